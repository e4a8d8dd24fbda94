// The closing lines of .ci/run, from vitest's JSON reports (vitest.config.ts writes .vitest-results.json).
//
//   node scripts/ci/summary.mjs LABEL REPORT EXIT [LABEL REPORT EXIT ...]
//
// EXIT is the exit status of the command that should have written REPORT. Prints one line per run,
// `LABEL: N passed, N failed, N skipped`, then the plain total `N passed, N failed`, and exits 1 if any
// run failed a test or a suite, wrote no report, or exited non-zero. Plain JavaScript, no
// dependencies: it has to work whatever state the install is in.
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 3 !== 0) {
  console.error('usage: node scripts/ci/summary.mjs LABEL REPORT EXIT [LABEL REPORT EXIT ...]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let ok = true;
for (let i = 0; i < args.length; i += 3) {
  const [label, report, exit] = [args[i], args[i + 1], Number(args[i + 2])];
  if (!existsSync(report)) {
    // Counted as one failure so that the total can never read as green.
    console.log(`${label}: 0 passed, 1 failed, 0 skipped`);
    console.error(`${label}: vitest wrote no results (exit ${exit})`);
    failed += 1;
    ok = false;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + (r.numTodoTests || 0);
  console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numFailedTestSuites) console.error(`${label}: ${r.numFailedTestSuites} test suite(s) failed`);
  if (exit !== 0) console.error(`${label}: the test command exited ${exit}`);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTests > 0 || r.numFailedTestSuites > 0 || !r.success || exit !== 0) ok = false;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
