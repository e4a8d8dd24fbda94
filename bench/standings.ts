/**
 * Standings at LMArena's scale, from maintained counts (server/standings/pair-counts-repo.ts):
 *  1. a Bradley-Terry + interval refresh (what the standings worker does after votes, bt-refresh.ts:
 *     read the counts and the stored Elo, deduplicate prompts, fit, 100 bootstrap rounds on two
 *     threads) on databases of
 *     1,000,000 votes among 100 models and 3,000,000 among 200, beside the same fit read vote by
 *     vote (the audit path, and how every refresh read before);
 *  2. the real server on the 1,000,000-vote database: how long after a vote that follows a quiet
 *     moment its `leaderboard:bt` push reaches a subscriber.
 * Databases are generated once into the OS temp folder and reused (copied for the server run).
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, openReadOnly, type Sqlite } from '../db/client.ts';
import type { BtLeaderboard, Winner } from '../protocol/types.ts';
import { Xoshiro128 } from '../server/ratings/random.ts';
import { fitBt } from '../server/standings/bt-fit.ts';
import { refreshBt } from '../server/standings/bt-refresh.ts';
import { LiveCounts } from '../server/standings/live-counts.ts';
import { PairCountsRepo } from '../server/standings/pair-counts-repo.ts';
import { ParallelRounds } from '../server/standings/parallel-rounds.ts';
import { RatingsRepo, readBtSnapshot } from '../server/standings/ratings-repo.ts';
import { startWorker } from '../server/transport/worker-thread.ts';
import { BattleEnds, type BenchSocket, closeAll, connect, request } from './support/clients.ts';
import type { Figure, ScenarioResult } from './support/report.ts';
import { makeTempDir, startServer } from './support/server-process.ts';
import { Samples } from './support/stats.ts';
import { sleep, withTimeout } from './support/time.ts';
import { instantDemoModels } from './support/vote-load.ts';

export interface StandingsOptions {
  quick: boolean;
}

interface Size {
  votes: number;
  models: number;
}

const DEDUP_TOP_SHARE = 0.0001;
const REFRESH_RUNS = 5;
/** The standings refit at most once per 2 s (BT_MIN_INTERVAL_MS); a quiet moment is longer. */
const QUIET_MS = 2_500;
/** Long enough for a helper thread to load its module from source. */
const HELPER_START_MS = 2_000;
const BT_WORKER = new URL('../server/standings/bt-worker.ts', import.meta.url);
const WINNERS: readonly Winner[] = ['a', 'b', 'tie', 'bothbad'];

function plan(quick: boolean) {
  return quick
    ? { sizes: [{ votes: 50_000, models: 20 }], live: { votes: 50_000, models: 20 }, pushes: 2 }
    : {
        sizes: [
          { votes: 1_000_000, models: 100 },
          { votes: 3_000_000, models: 200 },
        ],
        live: { votes: 1_000_000, models: 100 },
        pushes: 5,
      };
}

/** Writes one battle and its vote as the arena stores them (the pair-count triggers count it unless deferred). */
function voteWriter(sqlite: Sqlite) {
  const battle = sqlite.prepare(`INSERT INTO battles (id, model_a, model_b, status, voter_id, turns, created_at) VALUES (?, ?, ?, 'voted', ?, 1, ?)`);
  const vote = sqlite.prepare(
    `INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, categories, prompt_hash, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?)`,
  );
  return (id: string, voter: string, winner: Winner, modelA: string, modelB: string, prompt: string, at: number) => {
    battle.run(id, modelA, modelB, voter, at);
    vote.run(id, voter, winner, modelA, modelB, prompt, at);
  };
}

/**
 * Votes between models of spread strengths (Bradley-Terry outcomes, a quarter ties), each with
 * its own prompt except 1% drawn from 50 prompts asked again and again (deduplication has work).
 * Written as the arena stores them, the pair-count triggers deferred as an import does.
 */
function generate(file: string, size: Size): void {
  const db = openDb(file);
  const sqlite = db.$client;
  const random = new Xoshiro128(size.votes + size.models);
  const ids = Array.from({ length: size.models }, (_, i) => `bench-model-${String(i).padStart(3, '0')}`);
  const theta = ids.map((_, i) => 1.2 - (2.4 * i) / (size.models - 1));
  // Switched-off registry entries, as `arena import battles` adds them.
  const model = sqlite.prepare(`INSERT INTO models (id, name, provider, settings, source, enabled) VALUES (?, ?, 'openai', ?, 'admin', 0)`);
  const write = voteWriter(sqlite);
  sqlite.transaction(() => {
    const counts = new PairCountsRepo(sqlite);
    const marks = counts.deferCounts();
    for (const id of ids) model.run(id, id, JSON.stringify({ id, name: id, provider: 'openai', model: id, enabled: false, weight: 1 }));
    const start = 1_700_000_000_000;
    for (let k = 0; k < size.votes; k++) {
      const a = Math.floor(random.nextFloat() * size.models);
      let b = Math.floor(random.nextFloat() * (size.models - 1));
      if (b >= a) b++;
      const u = random.nextFloat();
      const winner = u < 0.25 ? WINNERS[2 + (u < 0.125 ? 0 : 1)]! : random.nextFloat() < 1 / (1 + 10 ** (theta[b]! - theta[a]!)) ? 'a' : 'b';
      const prompt = random.nextFloat() < 0.01 ? `hot-${Math.floor(random.nextFloat() * 50)}` : `p-${k}`;
      const id = `bench-${k}`;
      const voter = `voter-${k % 5000}`;
      write(id, voter, winner, ids[a]!, ids[b]!, prompt, start + k);
    }
    counts.countDeferred(marks);
    new RatingsRepo(sqlite).recompute(4);
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

export function databaseFor(size: Size): string {
  const dir = path.join(tmpdir(), 'arena-bench-standings');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `votes-${size.votes}-models-${size.models}.db`);
  if (!existsSync(file)) {
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    generate(partial, size);
    renameSync(partial, file);
  }
  return file;
}

interface RefreshSamples {
  readMs: Samples;
  fitMs: Samples;
  totalMs: Samples;
}

interface Refresh extends RefreshSamples {
  /** The same refresh right after one new vote, with the worker's live counts (server/standings/live-counts.ts). */
  afterVote: RefreshSamples;
  scanMs: number;
  votes: number;
  prompts: number;
}

/** One vote as the arena stores it, committed: model 0 against one of the next nine. */
function addVote(sqlite: Sqlite, k: number): void {
  const b = `bench-model-${String(1 + (k % 9)).padStart(3, '0')}`;
  // Half on a new prompt, as most votes are; half on a frequent one (deduplicated, kept per pair).
  const prompt = k % 2 === 0 ? `live-${k}` : 'hot-3';
  sqlite.transaction(() => voteWriter(sqlite)(`bench-live-${k}`, 'live-voter', WINNERS[k % 4]!, 'bench-model-000', b, prompt, Date.now()))();
}

/**
 * The worker's refresh (server/standings/bt-refresh.ts), in this process, with the bootstrap's
 * rounds on this thread and a helper thread as the worker runs them (median of runs, the helper
 * started before the first): reading every maintained count; then, on a copy of the database, one
 * vote at a time, each followed by the refresh with the live counts the worker keeps; and once
 * vote by vote on one thread.
 */
async function measureRefresh(file: string): Promise<Refresh> {
  const options = { bootstrap: 100, seed: 1, dedupTopShare: DEDUP_TOP_SHARE };
  const samples = (): RefreshSamples => ({ readMs: new Samples(), fitMs: new Samples(), totalMs: new Samples() });
  const full = samples();
  const afterVote = samples();
  const record = (into: RefreshSamples, refresh: { readMs: number; fitMs: number }) => {
    into.readMs.push(refresh.readMs);
    into.fitMs.push(refresh.fitMs);
    into.totalMs.push(refresh.readMs + refresh.fitMs);
  };
  let votes = 0;
  let prompts = 0;
  const dir = makeTempDir('arena-bench-refresh-');
  const rounds = new ParallelRounds(() => startWorker(BT_WORKER, { background: true }));
  const reader = openReadOnly(file);
  try {
    // A server's helper starts with its first fit and then stays: start this one before measuring.
    rounds.start();
    await sleep(HELPER_START_MS);
    for (let run = 0; run < REFRESH_RUNS; run++) {
      const refresh = refreshBt({ sqlite: reader }, options, rounds.run);
      record(full, refresh);
      votes = refresh.fit.votes;
      prompts = refresh.fit.promptDedup?.prompts ?? 0;
    }
    // A copy to vote in (migrated to this version's schema, as a server opens it).
    const copy = path.join(dir, 'arena.db');
    copyFileSync(file, copy);
    const writer = openDb(copy);
    const copyReader = openReadOnly(copy);
    try {
      const live = new LiveCounts(copyReader);
      refreshBt({ sqlite: copyReader, live }, options, rounds.run);
      for (let run = 0; run < REFRESH_RUNS; run++) {
        addVote(writer.$client, run);
        const refresh = refreshBt({ sqlite: copyReader, live }, options, rounds.run);
        if (live.lastSync !== 'added' || refresh.fit.votes !== votes + run + 1) throw new Error(`live counts: ${live.lastSync}, ${refresh.fit.votes} votes`);
        record(afterVote, refresh);
      }
    } finally {
      copyReader.close();
      writer.$client.close();
    }
  } finally {
    await rounds.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const started = performance.now();
  fitBt(readBtSnapshot(reader, { prompts: true }), options);
  const scanMs = performance.now() - started;
  reader.close();
  return { ...full, afterVote, scanMs, votes, prompts };
}

/** Plays one battle between the demo models and votes on it; resolves with the time the vote was sent. */
async function voteOnce(socket: BenchSocket, ends: BattleEnds, k: number): Promise<number> {
  const started = await request(socket, 'battle:start', { prompt: `standings bench question ${k}` });
  await ends.finished(started.battleId);
  const sent = performance.now();
  await request(socket, 'battle:vote', { battleId: started.battleId, winner: WINNERS[k % 2]! });
  return sent;
}

async function measurePushes(size: Size, pushes: number): Promise<{ latencyMs: Samples; firstFitMs: number }> {
  const dir = makeTempDir('arena-bench-standings-');
  copyFileSync(databaseFor(size), path.join(dir, 'arena.db'));
  const server = await startServer({ models: instantDemoModels, dir });
  let socket: BenchSocket | null = null;
  try {
    socket = await connect(server.url, 'standings-bench-voter');
    const ends = new BattleEnds(socket);
    let latest: BtLeaderboard | null = null;
    let onPush: (() => void) | null = null;
    socket.on('leaderboard:bt', ({ leaderboard }) => {
      latest = leaderboard;
      onPush?.();
    });
    const subscribed = performance.now();
    const waitFor = (votes: number) =>
      withTimeout(
        new Promise<number>((resolve) => {
          const check = () => {
            if (latest && latest.votes >= votes) resolve(performance.now());
          };
          onPush = check;
          check();
        }),
        30_000,
        `a leaderboard:bt push with ${votes} votes`,
      );
    await request(socket, 'leaderboard:subscribe', {});
    // The page asks for the standings once over HTTP; pushes follow the votes.
    const first = (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as BtLeaderboard;
    const firstFitMs = performance.now() - subscribed;
    latest = first;
    const latencyMs = new Samples();
    for (let k = 0; k < pushes; k++) {
      const before = (latest as BtLeaderboard | null)?.votes ?? size.votes;
      await sleep(QUIET_MS);
      const sent = await voteOnce(socket, ends, k);
      latencyMs.push((await waitFor(before + 1)) - sent);
    }
    ends.dispose();
    return { latencyMs, firstFitMs };
  } finally {
    if (socket) closeAll([socket]);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function benchStandings(opts: StandingsOptions): Promise<ScenarioResult> {
  const p = plan(opts.quick);
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const size of p.sizes) {
    const generated = performance.now();
    const file = databaseFor(size);
    const refresh = await measureRefresh(file);
    const label = `${fmt(size.votes)} votes, ${size.models} models`;
    const goal = size.votes >= 3_000_000 ? { target: { kind: 'max' as const, value: 300 } } : {};
    const { afterVote } = refresh;
    figures.push({
      metric: `BT + 100 bootstrap refresh after a vote, ${label} (median)`,
      value: afterVote.totalMs.summary().p50,
      unit: 'ms',
      digits: 0,
      ...goal,
    });
    figures.push({ metric: `BT + 100 bootstrap refresh reading every count, ${label} (median)`, value: refresh.totalMs.summary().p50, unit: 'ms', digits: 0 });
    notes.push(
      `${label}: after a vote, the live counts read ${afterVote.readMs.summary().p50.toFixed(1)} ms + fit ${afterVote.fitMs.summary().p50.toFixed(0)} ms ` +
        `(median of ${REFRESH_RUNS}, max ${afterVote.totalMs.summary().max.toFixed(0)} ms); reading every maintained count ${refresh.readMs.summary().p50.toFixed(0)} ms + fit ${refresh.fitMs.summary().p50.toFixed(0)} ms ` +
        `(median of ${REFRESH_RUNS}, max ${refresh.totalMs.summary().max.toFixed(0)} ms; what a server's first refresh and one after a re-flag or deletion read); the same fit read vote by vote: ${fmt(Math.round(refresh.scanMs))} ms. ` +
        `${fmt(refresh.votes)} votes in the fit, ${refresh.prompts} frequent prompts capped. (database ready in ${((performance.now() - generated) / 1000).toFixed(1)} s)`,
    );
  }
  const pushes = await measurePushes(p.live, p.pushes);
  figures.push({
    metric: `vote → leaderboard:bt push after a quiet moment, ${fmt(p.live.votes)} votes (worst of ${p.pushes})`,
    value: pushes.latencyMs.summary().max,
    unit: 'ms',
    digits: 0,
    target: { kind: 'max', value: 500 },
  });
  notes.push(
    `Live push: median ${pushes.latencyMs.summary().p50.toFixed(0)} ms over ${p.pushes} votes, each ${QUIET_MS / 1000} s after the last push, from the vote's emit to the subscriber's receipt ` +
      `(vote commit, worker read and fit, broadcast); first standings (GET /api/leaderboard?method=bt) on a freshly started server: ${fmt(Math.round(pushes.firstFitMs))} ms.`,
  );
  return {
    name: 'Standings',
    setup:
      `SQLite databases of ${p.sizes.map((s) => `${fmt(s.votes)} votes among ${s.models} models`).join(' and ')} (1% of votes on 50 repeated prompts), ` +
      `prompt deduplication at its default; the refresh (server/standings/bt-refresh.ts: read the maintained counts, fit, 100 bootstrap rounds on this thread and a helper thread) ` +
      `runs in the bench process as the standings worker runs it, the helper started before the first run as a server's stays after its first fit; the push is measured on the real server (compiled build).`,
    figures,
    notes,
  };
}
