/**
 * The SQLite ceiling beside the vote figure: on a temp database with the project's migrations
 * and pragmas (db/client.ts: WAL, synchronous NORMAL, foreign keys), a tight loop commits what
 * one counted vote writes at the least: the vote row and both models' rating rows, one
 * transaction each. No socket, no validation, no ORM: what the disk and SQLite allow alone. The
 * WAL is checkpointed on a worker thread, as the server's is (server/transport/background-checkpoints.ts).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { openDb } from '../../db/client.ts';
import { startBackgroundCheckpoints } from '../../server/transport/background-checkpoints.ts';
import { makeTempDir } from './server-process.ts';

export interface SqliteCeiling {
  commits: number;
  seconds: number;
  commitsPerSecond: number;
}

export async function measureSqliteCeiling(opts: { seconds: number; battles: number }): Promise<SqliteCeiling> {
  const dir = makeTempDir('arena-bench-ceiling-');
  try {
    const file = path.join(dir, 'ceiling.db');
    const sqlite = openDb(file).$client;
    const checkpoints = startBackgroundCheckpoints({ file, writer: sqlite, onError: (err) => console.error(err), startAtWalBytes: 0 });
    if (!(await checkpoints.ready)) throw new Error('the checkpoint worker did not start');
    const model = sqlite.prepare("INSERT INTO models (id, name, provider, settings, source) VALUES (?, ?, 'demo', '{}', 'config')");
    const rating = sqlite.prepare('INSERT INTO ratings (model_id, rating) VALUES (?, 1000)');
    const battle = sqlite.prepare("INSERT INTO battles (id, model_a, model_b, status, voter_id, turns) VALUES (?, 'ceiling-a', 'ceiling-b', 'ready', ?, 1)");
    sqlite.transaction(() => {
      for (const id of ['ceiling-a', 'ceiling-b']) {
        model.run(id, id);
        rating.run(id);
      }
      for (let i = 0; i < opts.battles; i++) battle.run(`b${i}`, `voter-${i % 50}`);
    })();
    const vote = sqlite.prepare(
      "INSERT INTO votes (battle_id, vote_id, voter_id, winner, model_a, model_b, ip, flags, counted, categories, prompt_hash) VALUES (?, ?, ?, 'a', 'ceiling-a', 'ceiling-b', '127.0.0.1', '[]', 1, '[\"all\"]', '')",
    );
    const update = sqlite.prepare(
      'UPDATE ratings SET rating = rating + ?, games = games + 1, wins = wins + ?, losses = losses + ?, updated_at = ? WHERE model_id = ?',
    );
    const commitVote = sqlite.transaction((i: number) => {
      vote.run(`b${i}`, `v${i}`, `voter-${i % 50}`);
      update.run(4, 1, 0, Date.now(), 'ceiling-a');
      update.run(-4, 0, 1, Date.now(), 'ceiling-b');
    });
    const started = performance.now();
    const deadline = started + opts.seconds * 1000;
    let commits = 0;
    while (commits < opts.battles && (commits % 256 !== 0 || performance.now() < deadline)) commitVote(commits++);
    const seconds = (performance.now() - started) / 1000;
    await checkpoints.close();
    return { commits, seconds, commitsPerSecond: commits / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
