/**
 * `npm run bench [-- --quick] [-- --only votes,instances,viewers,streaming,ratings,import,matchmaking,intervals,client,startup] [-- --full] [-- --profile]`
 * Runs each scenario against a freshly started server, prints the table, and (on a complete,
 * non-quick run) writes docs/BENCHMARKS.md. Every scenario is bounded in time. `matchmaking` and
 * `intervals` are simulations in this process (no server).
 */
import { parseArgs } from 'node:util';
import { benchClientSize } from './client-size.ts';
import { benchImport } from './import.ts';
import { benchInstances } from './instances.ts';
import { benchIntervals } from './intervals.ts';
import { benchMatchmaking } from './matchmaking.ts';
import { benchStandings } from './standings.ts';
import { benchStartup } from './startup.ts';
import { benchStreaming } from './streaming.ts';
import { DOC_PATH, profileMarkdown, profileText, resultsMarkdown, updateDoc } from './support/benchmarks-doc.ts';
import { describeMachine, otherLoadMeter } from './support/machine.ts';
import { benchRatingsScenario } from './support/ratings-scenario.ts';
import { type ScenarioResult, terminalTable } from './support/report.ts';
import { sleep, withTimeout } from './support/time.ts';
import { benchViewers } from './viewers.ts';
import { benchVotes, PROFILE_COPY, profileVotes } from './votes.ts';

const SCENARIOS = ['votes', 'instances', 'viewers', 'streaming', 'ratings', 'import', 'standings', 'matchmaking', 'intervals', 'client', 'startup'] as const;
type Scenario = (typeof SCENARIOS)[number];

const SCENARIO_TIMEOUT_MS = 240_000;

interface Options {
  only: Scenario[];
  quick: boolean;
  full: boolean;
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
  });
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SCENARIOS];
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario(s) ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  return { only: only as Scenario[], quick: values.quick, full: values.full, profile: values.profile };
}

/** A scenario gives one result, or several (streaming's shapes), each then noting its own other-process load. */
function runners(opts: Options): Record<Scenario, () => Promise<ScenarioResult | ScenarioResult[]>> {
  const { quick } = opts;
  return {
    votes: () => benchVotes({ quick }),
    instances: () => benchInstances({ quick }),
    viewers: () => benchViewers({ quick }),
    streaming: () => benchStreaming({ quick }),
    ratings: () => benchRatingsScenario({ sizes: quick ? [100_000] : opts.full ? [1_000_000, 10_000_000] : [1_000_000] }),
    standings: () => benchStandings({ quick }),
    import: () => benchImport({ quick }),
    matchmaking: () => benchMatchmaking({ quick }),
    intervals: () => benchIntervals({ quick }),
    client: () => benchClientSize(),
    startup: () => benchStartup({ quick }),
  };
}

function failed(name: Scenario, err: unknown): ScenarioResult {
  const message = err instanceof Error ? err.message : String(err);
  return { name, setup: 'The scenario did not complete.', figures: [], notes: [`Error: ${message}`], error: message };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const machine = describeMachine();
  const idle = otherLoadMeter();
  await sleep(1_000);
  const busyBefore = idle.stop();
  if (busyBefore > 0.25) {
    log(`! Other processes are using ${busyBefore.toFixed(2)} of ${machine.cores} cores: figures will be noisy (each scenario notes the load it saw).`);
  }
  const started = performance.now();
  const run = runners(opts);
  const results: ScenarioResult[] = [];
  let failures = 0;

  for (const name of opts.only) {
    log(`▶ ${name}…`);
    const scenarioStarted = performance.now();
    const others = otherLoadMeter();
    try {
      const result = await withTimeout(run[name](), SCENARIO_TIMEOUT_MS, name);
      if (Array.isArray(result)) results.push(...result);
      else {
        result.notes.push(`Other processes on the machine used ${others.stop().toFixed(2)} cores on average during this scenario.`);
        results.push(result);
      }
    } catch (err) {
      failures++;
      results.push(failed(name, err));
      log(`  ✗ ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    log(`  done in ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
  }

  let profile: string | undefined;
  if (opts.profile) {
    log('▶ profile of vote ingestion (--cpu-prof)…');
    try {
      const summary = await withTimeout(profileVotes({ quick: opts.quick }), SCENARIO_TIMEOUT_MS, 'profile');
      log(profileText(summary));
      log(`Raw profile: ${PROFILE_COPY}`);
      profile = profileMarkdown(summary, machine, command);
    } catch (err) {
      failures++;
      log(`  ✗ profile: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  const totalSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`\n${terminalTable(results)}\n\n`);
  for (const r of results) {
    process.stdout.write(`${r.name}:\n${r.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  }
  log(`\nmachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${totalSeconds.toFixed(0)} s in all`);

  const complete = opts.only.length === SCENARIOS.length;
  if (opts.quick) {
    log('--quick: docs/BENCHMARKS.md left as it is.');
  } else {
    updateDoc({
      ...(complete ? { results: resultsMarkdown(machine, command, results, totalSeconds) } : {}),
      ...(profile ? { profile } : {}),
    });
    const wrote = [complete ? 'figures' : '', profile ? 'profile' : ''].filter(Boolean).join(' and ');
    log(wrote ? `Wrote the ${wrote} to ${DOC_PATH}.` : 'Partial run (--only): docs/BENCHMARKS.md left as it is.');
  }
  return failures > 0 ? 1 : 0;
}

// Exit explicitly: a scenario that timed out may leave sockets or timers behind.
process.exit(
  await main().catch((err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    return 2;
  }),
);
