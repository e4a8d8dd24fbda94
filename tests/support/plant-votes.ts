/**
 * Votes written straight into a test server's database, as the arena stores them (a voted battle,
 * its prompt, a counted vote with its prompt hash), for tests that need hundreds of votes with
 * known outcomes; the fits read them like any other. Planting before a restart also gives the
 * live Elo (read at start-up) its votes.
 */
import type { Sqlite } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';
import { promptHash } from '../../server/standings/prompt-hash.ts';
import { RatingsRepo } from '../../server/standings/ratings-repo.ts';

export interface PlantedVote {
  a: string;
  b: string;
  winner: Winner;
  voter?: string;
  prompt?: string;
}

let planted = 0;

export function plantVotes(sqlite: Sqlite, votes: readonly PlantedVote[], start = 1_700_000_000_000): void {
  const battle = sqlite.prepare(`INSERT INTO battles (id, model_a, model_b, status, voter_id, turns, created_at) VALUES (?, ?, ?, 'voted', ?, 1, ?)`);
  const turn = sqlite.prepare('INSERT INTO turns (battle_id, turn, prompt, created_at) VALUES (?, 1, ?, ?)');
  const vote = sqlite.prepare(
    `INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, categories, prompt_hash, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?)`,
  );
  sqlite.transaction(() => {
    votes.forEach((v, k) => {
      const id = `planted-${++planted}`;
      const at = start + k * 1000;
      const voter = v.voter ?? `voter-${k % 17}`;
      const prompt = v.prompt ?? `planted question ${planted}`;
      battle.run(id, v.a, v.b, voter, at);
      turn.run(id, prompt, at);
      vote.run(id, voter, v.winner, v.a, v.b, promptHash([prompt]), at);
    });
    new RatingsRepo(sqlite).recompute(4);
  })();
}

/** A seeded uniform source (mulberry32), for reproducible planted data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Votes between models of known ratings (Bradley-Terry, no ties), on pairs drawn by `pairs` or uniformly. */
export function simulateVotes(strengths: Record<string, number>, count: number, random: () => number, pairs?: ReadonlyArray<[string, string]>): PlantedVote[] {
  const ids = Object.keys(strengths);
  const all = pairs ?? ids.flatMap((a, i) => ids.slice(i + 1).map((b): [string, string] => [a, b]));
  return Array.from({ length: count }, () => {
    const [x, y] = all[Math.floor(random() * all.length)]!;
    const [a, b] = random() < 0.5 ? [x, y] : [y, x];
    const pA = 1 / (1 + 10 ** ((strengths[b]! - strengths[a]!) / 400));
    return { a, b, winner: random() < pA ? 'a' : 'b' };
  });
}
