/**
 * Which Node.js the tests really run on. `.ci/run` runs the suite once per runtime (the machine's
 * Node 20, then Node 22 from the npm registry) and sets ARENA_EXPECT_NODE to the `node --version` it
 * put first on PATH: this proves vitest's forks run that binary, and that better-sqlite3 was built
 * for its ABI. The test's title carries the version, so each run's JSON report records it.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it(`runs on Node ${process.version} (ABI ${process.versions.modules}) with better-sqlite3 built for it`, () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    // package.json engines: >=20.19
    expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
    const expected = process.env.ARENA_EXPECT_NODE;
    if (expected) expect(process.version).toBe(expected);

    const db = new Database(':memory:');
    try {
      expect(db.prepare('SELECT 40 + 2 AS answer').get()).toEqual({ answer: 42 });
    } finally {
      db.close();
    }
  });
});
