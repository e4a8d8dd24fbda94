/**
 * Voters who disagree with the consensus far more than chance (pure). For each decisive vote, the
 * consensus favourite is the model with the higher Bradley-Terry rating, and an honest voter picks
 * it with probability p = P(favourite wins). Agreements are then a sum of Bernoulli(p): a voter
 * whose count falls more than `zThreshold` standard deviations below its expectation is an outlier.
 */
import type { OutlierVoter } from '../../protocol/integrity.ts';
import type { Winner } from '../../protocol/types.ts';

export interface VoterVote {
  voterId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
}

export function findOutlierVoters(
  votes: Iterable<VoterVote>,
  ratings: ReadonlyMap<string, number>,
  opts: { minVotes?: number; zThreshold?: number } = {},
): OutlierVoter[] {
  const minVotes = opts.minVotes ?? 20;
  const zThreshold = opts.zThreshold ?? -3;
  const byVoter = new Map<string, { n: number; agreed: number; mean: number; variance: number }>();
  for (const v of votes) {
    if (v.winner !== 'a' && v.winner !== 'b') continue;
    const ra = ratings.get(v.modelA);
    const rb = ratings.get(v.modelB);
    if (ra === undefined || rb === undefined || ra === rb) continue;
    const p = 1 / (1 + 10 ** (-Math.abs(ra - rb) / 400));
    const favourite = ra > rb ? 'a' : 'b';
    const s = byVoter.get(v.voterId) ?? { n: 0, agreed: 0, mean: 0, variance: 0 };
    s.n++;
    s.agreed += v.winner === favourite ? 1 : 0;
    s.mean += p;
    s.variance += p * (1 - p);
    byVoter.set(v.voterId, s);
  }
  const out: OutlierVoter[] = [];
  for (const [voterId, s] of byVoter) {
    if (s.n < minVotes || s.variance === 0) continue;
    const z = (s.agreed - s.mean) / Math.sqrt(s.variance);
    if (z < zThreshold) out.push({ voterId, decisiveVotes: s.n, agreed: s.agreed, expected: Math.round(s.mean * 10) / 10, z: Math.round(z * 100) / 100 });
  }
  return out.sort((x, y) => x.z - y.z);
}
