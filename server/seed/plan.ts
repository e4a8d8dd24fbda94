/**
 * The seeded demo's battles, drawn from one seed (pure: no I/O, no clock). Battles spread over the
 * chosen weeks, growing towards the end; prompts in four languages and five kinds; answers written
 * by the demo models' own writer, with plausible timings, tokens and costs; some failures and
 * abandoned battles; votes drawn from the models' latent strengths, so the standings have a truth.
 */
import type { Winner } from '../../protocol/types.ts';
import { demoAnswer } from '../providers/demo-writer.ts';
import { estimateMessagesTokens, estimateTokens } from '../providers/run-completion.ts';
import type { ChatMessage } from '../providers/types.ts';
import { Xoshiro128 } from '../ratings/random.ts';
import type { SeedModel } from './catalog.ts';
import { type Pick, promptsFor, type SeedKind, type SeedLanguage } from './prompts.ts';

export interface PlanOptions {
  seed: number;
  battles: number;
  days: number;
  /** End of the spread, epoch ms: the last battle is before it. */
  until: number;
  models: readonly SeedModel[];
  voters?: number;
}

export interface PlannedAnswer {
  modelId: string;
  content: string;
  inputTokens: number;
  outputTokens: number;
  ttftMs: number;
  totalMs: number;
  finishReason: 'stop' | 'error';
  errorKind: string | null;
  errorMessage: string | null;
  costUsd: number | null;
}

export interface PlannedTurn {
  prompt: string;
  /** When the turn was sent (epoch ms). */
  at: number;
  a: PlannedAnswer;
  b: PlannedAnswer;
}

export interface PlannedBattle {
  id: string;
  voterId: string;
  modelA: string;
  modelB: string;
  language: SeedLanguage;
  kind: SeedKind;
  turns: PlannedTurn[];
  status: 'voted' | 'failed' | 'abandoned';
  vote: { winner: Winner; at: number; flags: string[] } | null;
}

const DAY_MS = 86_400_000;
const LANGUAGE_WEIGHTS: Record<SeedLanguage, number> = { ko: 0.4, en: 0.35, ja: 0.12, zh: 0.13 };
const KIND_WEIGHTS: Record<SeedKind, number> = { general: 0.35, code: 0.25, math: 0.13, long: 0.1, multi_turn: 0.17 };
const ABANDON_RATE = 0.07;
const TOO_FAST_RATE = 0.02;

class Draw {
  readonly #random: Xoshiro128;
  constructor(seed: number) {
    this.#random = new Xoshiro128(seed);
  }
  float(): number {
    return this.#random.nextFloat();
  }
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }
  readonly pick: Pick = (items) => items[Math.floor(this.float() * items.length)]!;
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = this.float() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries.at(-1)![0];
  }
  /** exp(σ·N(0,1)): a multiplicative spread around 1 (Box-Muller). */
  spread(sigma: number): number {
    const z = Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
    return Math.exp(sigma * z);
  }
  /** A UUID-shaped id (version 4 layout) from the seeded source. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.float() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

function answer(model: SeedModel, messages: ChatMessage[], draw: Draw): PlannedAnswer {
  const full = demoAnswer(model.style, messages);
  const fails = draw.float() < model.failureRate;
  const content = fails ? full.slice(0, Math.floor(full.length * draw.between(0.1, 0.6))) : full;
  const ttftMs = model.ttftMs * draw.spread(0.35);
  const outputTokens = estimateTokens(content);
  const inputTokens = estimateMessagesTokens(messages);
  const pricing = model.config.pricing;
  return {
    modelId: model.config.id,
    content,
    inputTokens,
    outputTokens,
    ttftMs: Math.round(ttftMs * 10) / 10,
    totalMs: Math.round((ttftMs + (outputTokens / (model.tokensPerSecond * draw.spread(0.12))) * 1000) * 10) / 10,
    finishReason: fails ? 'error' : 'stop',
    errorKind: fails ? 'upstream' : null,
    errorMessage: fails ? 'HTTP 503 from upstream' : null,
    costUsd: pricing ? (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1e6 : null,
  };
}

function strengthOf(model: SeedModel, kind: SeedKind, language: SeedLanguage): number {
  return model.strength + (model.shift[kind] ?? 0) + (model.shift[language] ?? 0);
}

/** The voter's verdict, drawn from the latent strengths (Bradley-Terry), with ties and "both bad". */
function verdict(a: number, b: number, draw: Draw): Winner {
  const bothBad = 0.04 + (a < 1000 && b < 1000 ? 0.1 : 0);
  const r = draw.float();
  if (r < bothBad) return 'bothbad';
  if (r < bothBad + 0.15) return 'tie';
  return draw.float() < 1 / (1 + 10 ** ((b - a) / 400)) ? 'a' : 'b';
}

export function* planDemoBattles(options: PlanOptions): Generator<PlannedBattle> {
  const draw = new Draw(options.seed);
  const { models } = options;
  if (models.length < 2) throw new RangeError('the demo needs at least two models');
  // The last hour is left free, so every vote of the last battles lands before `until`.
  const start = options.until - options.days * DAY_MS;
  const span = options.days * DAY_MS - 3_600_000;
  // Density rising linearly from 0.5 to 1.5 over the window (inverse CDF): an arena that grows.
  const times = Array.from({ length: options.battles }, () => start + (Math.sqrt(0.25 + 2 * draw.float()) - 0.5) * span).sort((x, y) => x - y);
  const voterCount = options.voters ?? 150;
  // A few voters cast most votes (Zipf-like), as on any public arena.
  const voterWeights = Object.fromEntries(
    Array.from({ length: voterCount }, (_, i) => [`anon:demo-voter-${String(i + 1).padStart(4, '0')}`, 1 / (i + 1) ** 0.8]),
  );

  for (const createdAt of times) {
    const first = draw.pick(models);
    const second = draw.pick(models.filter((m) => m !== first));
    const language = draw.weighted(LANGUAGE_WEIGHTS);
    const kind = draw.weighted(KIND_WEIGHTS);
    const prompts = promptsFor(language, kind, draw.pick, kind === 'multi_turn' ? draw.pick([2, 2, 3]) : 1);
    const history = { a: [] as ChatMessage[], b: [] as ChatMessage[] };
    const turns: PlannedTurn[] = [];
    let at = Math.floor(createdAt);
    let failed = false;
    for (const prompt of prompts) {
      const ask = (side: 'a' | 'b', model: SeedModel) => {
        const messages: ChatMessage[] = [...history[side], { role: 'user', content: prompt }];
        const a = answer(model, messages, draw);
        history[side] = [...messages, { role: 'assistant', content: a.content }];
        return a;
      };
      const turn = { prompt, at, a: ask('a', first), b: ask('b', second) };
      turns.push(turn);
      failed = turn.a.finishReason === 'error' || turn.b.finishReason === 'error';
      if (failed) break;
      at += Math.ceil(Math.max(turn.a.totalMs, turn.b.totalMs)) + Math.floor(draw.between(20_000, 90_000));
    }
    const id = draw.uuid();
    const voterId = draw.weighted(voterWeights);
    const base = { id, voterId, modelA: first.config.id, modelB: second.config.id, language, kind, turns };
    if (failed) {
      yield { ...base, status: 'failed', vote: null };
      continue;
    }
    if (draw.float() < ABANDON_RATE) {
      yield { ...base, status: 'abandoned', vote: null };
      continue;
    }
    const winner = verdict(strengthOf(first, kind, language), strengthOf(second, kind, language), draw);
    const tooFast = draw.float() < TOO_FAST_RATE;
    const last = turns.at(-1)!;
    const readyAt = last.at + Math.ceil(Math.max(last.a.totalMs, last.b.totalMs));
    const voteAt = readyAt + (tooFast ? 1_000 : Math.floor(draw.between(15_000, 120_000)));
    yield { ...base, status: 'voted', vote: { winner, at: voteAt, flags: tooFast ? ['too_fast'] : [] } };
  }
}
