/** The seeded demo's plan (pure): deterministic, spread over the window, varied, and votes that follow the latent strengths. */
import { describe, expect, it } from 'vitest';
import { SEED_MODELS } from '../../server/seed/catalog.ts';
import { type PlannedBattle, planDemoBattles } from '../../server/seed/plan.ts';
import { promptsFor, SEED_KINDS, SEED_LANGUAGES } from '../../server/seed/prompts.ts';

const UNTIL = Date.parse('2026-12-01T00:00:00Z');
const plan = (seed: number, battles = 1500, days = 28): PlannedBattle[] => [...planDemoBattles({ seed, battles, days, until: UNTIL, models: SEED_MODELS })];

describe('demo plan', () => {
  const battles = plan(7);

  it('is the same for the same seed and different for another', () => {
    expect(plan(7, 200)).toEqual(plan(7, 200));
    expect(plan(8, 200).map((b) => b.id)).not.toEqual(plan(7, 200).map((b) => b.id));
    expect(new Set(battles.map((b) => b.id)).size).toBe(battles.length);
    for (const b of battles) expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('spreads battles over every day of the window, more towards its end, every vote before it ends', () => {
    const start = UNTIL - 28 * 86_400_000;
    const times = battles.map((b) => b.turns[0]!.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start);
    for (const b of battles) if (b.vote) expect(b.vote.at).toBeLessThan(UNTIL);
    const perDay = new Map<number, number>();
    for (const t of times) perDay.set(Math.floor((t - start) / 86_400_000), (perDay.get(Math.floor((t - start) / 86_400_000)) ?? 0) + 1);
    expect(perDay.size).toBe(28);
    const firstWeek = [0, 1, 2, 3, 4, 5, 6].reduce((s, d) => s + (perDay.get(d) ?? 0), 0);
    const lastWeek = [21, 22, 23, 24, 25, 26, 27].reduce((s, d) => s + (perDay.get(d) ?? 0), 0);
    expect(lastWeek).toBeGreaterThan(firstWeek * 1.5);
  });

  it('mixes languages, kinds, multi-turn battles, failures and abandoned battles', () => {
    for (const language of SEED_LANGUAGES) expect(battles.filter((b) => b.language === language).length).toBeGreaterThan(100);
    for (const kind of SEED_KINDS) expect(battles.filter((b) => b.kind === kind).length).toBeGreaterThan(60);
    const multi = battles.filter((b) => b.kind === 'multi_turn' && b.status !== 'failed');
    expect(multi.every((b) => b.turns.length >= 2)).toBe(true);
    const failed = battles.filter((b) => b.status === 'failed');
    expect(
      failed.every((b) => b.vote === null && [b.turns.at(-1)!.a, b.turns.at(-1)!.b].some((a) => a.finishReason === 'error' && a.errorKind === 'upstream')),
    ).toBe(true);
    expect(failed.length).toBeGreaterThan(5);
    expect(battles.filter((b) => b.status === 'abandoned').length).toBeGreaterThan(50);
    expect(battles.filter((b) => b.vote?.flags.includes('too_fast')).length).toBeGreaterThan(5);
    expect(battles.every((b) => b.modelA !== b.modelB)).toBe(true);
  });

  it('answers with the demo writer, and times, tokens and costs that fit the model', () => {
    for (const b of battles.slice(0, 300)) {
      for (const t of b.turns) {
        for (const a of [t.a, t.b]) {
          const model = SEED_MODELS.find((m) => m.config.id === a.modelId)!;
          expect(a.content.length).toBeGreaterThan(0);
          expect(a.totalMs).toBeGreaterThan(a.ttftMs);
          expect(a.outputTokens).toBe(Math.max(1, Math.round(a.content.length / 4)));
          if (model.config.pricing) expect(a.costUsd).toBeGreaterThan(0);
          else expect(a.costUsd).toBeNull();
        }
      }
    }
    const speed = (id: string) => {
      const answers = battles.flatMap((b) => b.turns.flatMap((t) => [t.a, t.b])).filter((a) => a.modelId === id && a.outputTokens > 20);
      const tps = answers.map((a) => a.outputTokens / ((a.totalMs - a.ttftMs) / 1000)).sort((x, y) => x - y);
      return tps[Math.floor(tps.length / 2)]!;
    };
    expect(speed('sample-kestrel-8b')).toBeGreaterThan(speed('demo-sage') * 3);
  });

  it('draws votes from the latent strengths', () => {
    const winRate = (id: string) => {
      let score = 0;
      let n = 0;
      for (const b of battles) {
        if (!b.vote || (b.modelA !== id && b.modelB !== id)) continue;
        n++;
        const w = b.vote.winner;
        score += w === 'tie' || w === 'bothbad' ? 0.5 : (w === 'a') === (b.modelA === id) ? 1 : 0;
      }
      return score / n;
    };
    const byStrength = [...SEED_MODELS].sort((x, y) => y.strength - x.strength).map((m) => m.config.id);
    expect(winRate(byStrength[0]!)).toBeGreaterThan(0.55);
    expect(winRate(byStrength.at(-1)!)).toBeLessThan(0.4);
    expect(winRate(byStrength[0]!)).toBeGreaterThan(winRate(byStrength[3]!));
  });

  it('writes prompts of every language and kind, long ones over a thousand characters', () => {
    let i = 0;
    const pick = <T>(items: readonly T[]) => items[i++ % items.length]!;
    for (const language of SEED_LANGUAGES) {
      for (const kind of SEED_KINDS) {
        const prompts = promptsFor(language, kind, pick, 3);
        expect(prompts).toHaveLength(kind === 'multi_turn' ? 3 : 1);
        if (kind === 'long') expect(prompts[0]!.length).toBeGreaterThan(1000);
        expect(prompts.every((p) => !p.includes('{'))).toBe(true);
      }
    }
    expect(promptsFor('ko', 'general', pick, 1)[0]).toMatch(/[\uac00-\ud7a3]/);
    expect(promptsFor('ja', 'general', pick, 1)[0]).toMatch(/[\u3040-\u30ff]/);
    expect(promptsFor('zh', 'general', pick, 1)[0]).toMatch(/[\u4e00-\u9fff]/);
  });
});
