import { describe, expect, it } from 'vitest';
import { findOutlierVoters, type VoterVote } from '../../server/integrity/outliers.ts';
import { identityMatcher, isTooFast } from '../../server/integrity/rules.ts';

describe('self-identification matcher', () => {
  const match = identityMatcher(['OpenAI', 'GPT-4', 'GPT-4o', 'Meta AI', 'Llama', 'Sage (demo)']);
  it('matches names on word boundaries, case-insensitively, longest first', () => {
    expect(match('I was trained by openai.')).toEqual(['openai']);
    expect(match('As GPT-4o, I think…')).toEqual(['gpt-4o']);
    expect(match('Meta AI built me; I am Llama.')).toEqual(['meta ai', 'llama']);
    expect(match('I am Sage (demo).')).toEqual(['sage (demo)']);
  });
  it('ignores words that merely contain a name', () => {
    expect(match('metadata, llamas and GPT-40000 are fine')).toEqual([]);
    expect(identityMatcher([])('anything')).toEqual([]);
  });
});

describe('reading-time rule', () => {
  const rule = { secondsPer1kChars: 2, minSeconds: 1 };
  it('needs the floor for short answers and time per character for long ones', () => {
    expect(isTooFast(100, 900, rule)).toBe(true);
    expect(isTooFast(100, 1000, rule)).toBe(false);
    expect(isTooFast(5000, 9_999, rule)).toBe(true);
    expect(isTooFast(5000, 10_000, rule)).toBe(false);
  });
});

describe('outlier voters', () => {
  const ratings = new Map([
    ['strong', 1200],
    ['weak', 800],
  ]);
  // P(strong beats weak) = 1 / (1 + 10^(-400/400)) = 10/11 ≈ 0.909.
  const votes = (voterId: string, picksStrong: number, total: number): VoterVote[] =>
    Array.from({ length: total }, (_, i) => ({
      voterId,
      modelA: i % 2 ? 'strong' : 'weak',
      modelB: i % 2 ? 'weak' : 'strong',
      winner: i < picksStrong === Boolean(i % 2) ? 'a' : 'b',
    }));

  it('flags a voter who picks the underdog far more often than chance', () => {
    const all = [...votes('honest', 27, 30), ...votes('contrarian', 5, 30), ...votes('new', 0, 5)];
    const outliers = findOutlierVoters(all, ratings);
    expect(outliers.map((o) => o.voterId)).toEqual(['contrarian']);
    const c = outliers[0]!;
    expect(c.decisiveVotes).toBe(30);
    expect(c.agreed).toBe(5);
    // expected = 30·10/11 = 27.27; sd = sqrt(30·(10/11)(1/11)) = 1.575; z = (5 − 27.27)/1.575 = −14.14
    expect(c.expected).toBe(27.3);
    expect(c.z).toBeCloseTo(-14.14, 1);
  });

  it('ignores ties and voters with too few decisive votes', () => {
    const ties: VoterVote[] = Array.from({ length: 40 }, () => ({ voterId: 't', modelA: 'strong', modelB: 'weak', winner: 'tie' }));
    expect(findOutlierVoters([...ties, ...votes('few', 0, 10)], ratings)).toEqual([]);
  });
});
