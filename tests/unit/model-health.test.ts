/** Outages from how answers end (server/models/health.ts), and the candidates the matchmaker builds from them. */
import { describe, expect, it } from 'vitest';
import { matchmakingConfigSchema } from '../../server/arena/config.ts';
import { Matchmaker } from '../../server/arena/matchmaker.ts';
import type { ModelConfig } from '../../server/models/config.ts';
import { ModelHealth } from '../../server/models/health.ts';

describe('ModelHealth', () => {
  it('puts a model in an outage after its last answers all failed, until the cooldown passes or it succeeds', () => {
    let now = 0;
    const health = new ModelHealth({ failures: 3, cooldownMs: 60_000, now: () => now });
    health.record('m', 'failed');
    health.record('m', 'failed');
    expect(health.inOutage('m')).toBe(false);
    health.record('m', 'ok');
    health.record('m', 'failed');
    health.record('m', 'failed');
    expect(health.inOutage('m')).toBe(false);
    health.record('m', 'failed');
    expect(health.inOutage('m')).toBe(true);
    expect(health.outages()).toEqual(['m']);
    now = 59_999;
    expect(health.inOutage('m')).toBe(true);
    // After the cooldown it is drawn again; one more failure starts a new cooldown, one success ends it.
    now = 60_000;
    expect(health.inOutage('m')).toBe(false);
    health.record('m', 'failed');
    expect(health.inOutage('m')).toBe(true);
    health.record('m', 'ok');
    expect(health.inOutage('m')).toBe(false);
    expect(health.inOutage('never-seen')).toBe(false);
  });
});

describe('Matchmaker', () => {
  it('hands the policy each model’s registry weight, counted votes and outage', () => {
    const health = new ModelHealth({ failures: 1, cooldownMs: 1000, now: () => 0 });
    health.record('b', 'failed');
    const matchmaker = new Matchmaker({
      config: matchmakingConfigSchema.parse({ policy: 'weighted' }),
      health,
      sources: { votesOf: (id) => (id === 'a' ? 12 : 0), latestFit: () => null },
      random: () => 0,
    });
    const models = [
      { id: 'a', weight: 2 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ] as ModelConfig[];
    expect(matchmaker.candidates(models)).toEqual([
      { id: 'a', weight: 2, votes: 12, outage: false },
      { id: 'b', weight: 1, votes: 0, outage: true },
      { id: 'c', weight: 1, votes: 0, outage: false },
    ]);
    expect(matchmaker.pick(models).sort()).toEqual(['a', 'c']);
    expect(matchmakingConfigSchema.parse(undefined)).toMatchObject({
      policy: 'uniform',
      boostBelowVotes: 0,
      explorationFloor: 0.1,
      outage: { failures: 3, cooldownSeconds: 300 },
    });
  });
});
