/**
 * `arena ratings` flags of issue 14 on files built here: `--ci` and `--prior` (interval method and
 * small-sample prior), `--cluster`, `--style-control` (features read from `conversation_a/b`),
 * `--dedup`, and the neighbours in every output. /work/shared/data has no file with conversations,
 * so the style-control file is built in the test: answers of planted length, judged by length.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRatingsCli } from '../../server/cli/ratings.ts';
import { useTempDir } from '../support/hooks.ts';
import { seeded } from '../support/plant-votes.ts';
import { plantedAnswer } from '../support/style-answers.ts';

const dir = useTempDir('cli-ratings-methods-');
const GENAI = '/work/shared/data/genai_arena_t2i_20240220.jsonl';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runRatingsCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

async function json(argv: string[]) {
  const result = await run([...argv, '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** FastChat rows with conversations: m-verbose answers long 80% of the time, m-terse 20%, the longer answer wins 85% of votes. */
async function styleFile(): Promise<string> {
  const random = seeded(41);
  const share: Record<string, number> = { 'm-verbose': 0.8, 'm-terse': 0.2, 'm-even': 0.5 };
  const ids = Object.keys(share);
  const rows = Array.from({ length: 200 }, (_, k) => {
    const i = Math.floor(random() * 3);
    const j = (i + 1 + Math.floor(random() * 2)) % 3;
    const [a, b] = [ids[i]!, ids[j]!];
    const [ta, tb] = [plantedAnswer(random() < share[a]!, random), plantedAnswer(random() < share[b]!, random)];
    const longer = Math.abs(ta.length - tb.length) > 300 ? (ta.length > tb.length ? 'model_a' : 'model_b') : null;
    const other = longer === 'model_a' ? 'model_b' : 'model_a';
    const winner = longer ? (random() < 0.85 ? longer : other) : random() < 0.5 ? 'model_a' : 'model_b';
    const prompt = k % 4 === 0 ? 'hi' : `question ${k}`;
    const conversation = (answer: string) => [
      { role: 'user', content: prompt },
      { role: 'assistant', content: answer },
    ];
    return { model_a: a, model_b: b, winner, judge: `judge-${k % 7}`, conversation_a: conversation(ta), conversation_b: conversation(tb) };
  });
  const file = path.join(dir, 'style.jsonl');
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

describe('arena ratings: interval methods, style control, deduplication', () => {
  it('--ci sandwich|fisher with the prior, --cluster by a record field; neighbours in every format', async () => {
    const bootstrap = await json(['--battles', GENAI]);
    expect(bootstrap.intervals).toEqual({ method: 'bootstrap', clustered: false, prior: null });
    expect(bootstrap.neighbours).toHaveLength(5);
    const sandwich = await json(['--battles', GENAI, '--ci', 'sandwich']);
    expect(sandwich.intervals).toEqual({ method: 'sandwich', clustered: false, prior: { sd: 400 } });
    expect(sandwich.bootstrap).toBeNull();
    expect(sandwich.models.map((m: { model: string }) => m.model)).toEqual(bootstrap.models.map((m: { model: string }) => m.model));
    const fisher = await json(['--battles', GENAI, '--ci', 'fisher', '--prior', '0']);
    expect(fisher.intervals).toEqual({ method: 'fisher', clustered: false, prior: null });
    // Without a prior the model-based fit is the maximum-likelihood one: the bootstrap's ratings.
    fisher.models.forEach((m: { rating: number }, i: number) => expect(m.rating).toBeCloseTo(bootstrap.models[i].rating, 1));
    const table = await run(['--battles', GENAI, '--ci', 'sandwich', '--prior', '300']);
    expect(table.stdout).toMatch(/95% CI sandwich, prior N\(1000, 300²\)/);
    expect(table.stdout).toMatch(
      /Neighbours \(95% interval of the rating difference\):\n {2}imagenhub_PlayGroundV2_generation > imagenhub_PixArtAlpha_generation {2}\+\d+ to \+\d+ {2}separated/,
    );
  });

  it('--style-control reads the answers from conversation_a/b and takes the length bias out', async () => {
    const file = await styleFile();
    const plain = await json(['--battles', file, '--ci', 'sandwich']);
    const styled = await json(['--battles', file, '--style-control']);
    expect(styled.intervals).toEqual({ method: 'sandwich', clustered: false, prior: { sd: 400 } });
    const tokens = styled.style.coefficients.find((c: { feature: string }) => c.feature === 'tokens');
    expect(tokens.lower).toBeGreaterThan(0);
    const gap = (board: { models: Array<{ model: string; rating: number }> }) =>
      board.models.find((m) => m.model === 'm-verbose')!.rating - board.models.find((m) => m.model === 'm-terse')!.rating;
    console.log(`arena ratings --style-control: verbose − terse ${gap(plain).toFixed(0)} → ${gap(styled).toFixed(0)}`);
    expect(gap(plain)).toBeGreaterThan(60);
    expect(gap(styled)).toBeLessThan(gap(plain) - 60);
    const clustered = await json(['--battles', file, '--style-control', '--cluster', 'judge']);
    expect(clustered.intervals).toEqual({ method: 'sandwich', clustered: true, prior: { sd: 400 } });
    const table = await run(['--battles', file, '--style-control', '--ci', 'fisher']);
    expect(table.stdout).toMatch(/model-based, prior N\(1000, 400²\), style controlled/);
    expect(table.stdout).toMatch(/Style coefficients \(log-odds per standard deviation, 95% interval\):\n {2}tokens {2}\d/);
  });

  it('--dedup counts a prompt asked far more often than others as the quantile of the counts', async () => {
    const file = await styleFile();
    const deduplicated = await json(['--battles', file, '--dedup', '0.05']);
    // 50 of 200 rows ask "hi"; the other 150 prompts are asked once each.
    expect(deduplicated.promptDedup).toEqual({ topShare: 0.05, cap: 1, prompts: 1, votes: 50, effectiveVotes: 151 });
    expect(deduplicated.intervals.method).toBe('bootstrap');
    expect(deduplicated.battles).toBe(200);
    const table = await run(['--battles', file, '--dedup', '0.05']);
    expect(table.stdout).toMatch(/Prompt deduplication: 1 prompt\(s\) with 50 votes count as 1 votes each \(151 votes in effect\)/);
  });

  it('refuses combinations that mean nothing, with exit code 2', async () => {
    const refused = async (argv: string[], message: RegExp) => {
      const result = await run(['--battles', GENAI, ...argv]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    };
    await refused(['--ci', 'jackknife'], /--ci must be one of bootstrap, sandwich, fisher/);
    await refused(['--prior', '400'], /--prior applies to --ci sandwich or fisher/);
    await refused(['--ci', 'fisher', '--prior', '10'], /--prior must be 0/);
    await refused(['--ci', 'fisher', '--cluster', 'judge'], /--cluster applies to --ci sandwich/);
    await refused(['--style-control', '--ci', 'bootstrap'], /--style-control has no bootstrap/);
    await refused(['--method', 'elo', '--ci', 'sandwich'], /apply to Bradley-Terry ratings/);
    await refused(['--dedup', '2'], /--dedup must be a share/);
    await refused(['--ci', 'sandwich', '--anchor', 'x=1000'], /--anchor applies to the default bootstrap fit/);
  });
});
