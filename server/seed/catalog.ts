/**
 * The models of the seeded demo: the built-in demo models, and a few sample "imported" models with
 * prices (switched off, like models from an imported battle file). Each has a latent strength on
 * the rating scale, with shifts by kind of prompt, so votes have a truth to be consistent with,
 * and the timings the demo's answers are given.
 */
import type { ModelConfigInput } from '../models/config.ts';
import { builtInDemoModels } from '../providers/demo.ts';
import type { DemoStyle } from '../providers/demo-writer.ts';
import type { SeedKind, SeedLanguage } from './prompts.ts';

export interface SeedModel {
  config: ModelConfigInput;
  /** Whose writer produces its answers (server/providers/demo-writer.ts). */
  style: DemoStyle;
  /** Latent Bradley-Terry strength (rating scale, 400 points = 10:1 odds). */
  strength: number;
  /** Shifts of that strength by kind and language of prompt. */
  shift: Partial<Record<SeedKind | SeedLanguage, number>>;
  /** Median time to first token (ms) and output speed (tokens/s). */
  ttftMs: number;
  tokensPerSecond: number;
  /** Share of answers that fail with an upstream error. */
  failureRate: number;
}

const demo = Object.fromEntries(builtInDemoModels().map((m) => [m.model, m]));

export const SEED_MODELS: SeedModel[] = [
  { config: demo.sage!, style: 'sage', strength: 1130, shift: { long: 40, math: 30 }, ttftMs: 420, tokensPerSecond: 30, failureRate: 0.004 },
  { config: demo.brisk!, style: 'brisk', strength: 1040, shift: { code: 60, long: -70 }, ttftMs: 180, tokensPerSecond: 55, failureRate: 0.004 },
  { config: demo.verse!, style: 'verse', strength: 980, shift: { math: -90, ja: 30 }, ttftMs: 300, tokensPerSecond: 38, failureRate: 0.006 },
  { config: demo.muddle!, style: 'muddle', strength: 860, shift: { code: -60 }, ttftMs: 250, tokensPerSecond: 22, failureRate: 0.01 },
  {
    config: {
      id: 'sample-atlas-70b',
      name: 'Atlas 70B (sample)',
      provider: 'openai',
      model: 'atlas-70b',
      enabled: false,
      organization: 'Sample Labs',
      license: 'proprietary',
      pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
    },
    style: 'sage',
    strength: 1170,
    shift: { code: 40, ko: -30 },
    ttftMs: 650,
    tokensPerSecond: 45,
    failureRate: 0.02,
  },
  {
    config: {
      id: 'sample-lumen-mini',
      name: 'Lumen Mini (sample)',
      provider: 'openai',
      model: 'lumen-mini',
      enabled: false,
      organization: 'Sample Labs',
      license: 'proprietary',
      pricing: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    },
    style: 'brisk',
    strength: 1060,
    shift: { ko: 50, zh: 40 },
    ttftMs: 320,
    tokensPerSecond: 110,
    failureRate: 0.01,
  },
  {
    config: {
      id: 'sample-kestrel-8b',
      name: 'Kestrel 8B (sample)',
      provider: 'openai',
      model: 'kestrel-8b',
      enabled: false,
      organization: 'Open Sample',
      license: 'apache-2.0',
      pricing: { inputPerMillion: 0.05, outputPerMillion: 0.08 },
    },
    style: 'verse',
    strength: 940,
    shift: { math: -40, en: 20 },
    ttftMs: 160,
    tokensPerSecond: 160,
    failureRate: 0.03,
  },
];
