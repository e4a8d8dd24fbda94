import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/main.ts';
import { runRatingsCli } from '../../server/cli/ratings.ts';
import { useTempDir } from '../support/hooks.ts';

const DATA = '/work/shared/data';
const GENAI = path.join(DATA, 'genai_arena_t2i_20240220.jsonl');
const LLMFAO = path.join(DATA, 'llmfao_crowd.jsonl');

interface JsonModel {
  model: string;
  rating: number;
  ci: { lower: number; median: number; upper: number } | null;
  rankUB: number;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
  elo: number | null;
}

async function run(argv: string[], entry: (argv: string[], io: Parameters<typeof runRatingsCli>[1]) => Promise<number> = runRatingsCli) {
  let stdout = '';
  let stderr = '';
  const code = await entry(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

async function json(argv: string[]): Promise<{ battles: number; converged: boolean; models: JsonModel[] }> {
  const result = await run([...argv, '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const dir = useTempDir('cli-ratings-');

describe('arena ratings on GenAI-Arena (has anony)', () => {
  it('ranks the 1451 anonymous battles with the documented JSON shape', async () => {
    const out = await json(['--battles', GENAI]);
    expect(out.battles).toBe(1451);
    expect(out.converged).toBe(true);
    expect(out.models).toHaveLength(6);
    for (const m of out.models) {
      expect(Object.keys(m)).toEqual(['model', 'rating', 'ci', 'rankUB', 'battles', 'wins', 'losses', 'ties', 'elo']);
      expect(m.ci!.lower).toBeLessThan(m.rating);
      expect(m.ci!.upper).toBeGreaterThan(m.rating);
      expect(m.wins + m.losses + m.ties).toBe(m.battles);
      expect(typeof m.elo).toBe('number');
    }
    expect(out.models.map((m) => m.rating)).toEqual([...out.models.map((m) => m.rating)].sort((a, b) => b - a));
    expect(out.models[0]!.model).toBe('imagenhub_PlayGroundV2_generation');
    const mean = out.models.reduce((s, m) => s + m.rating, 0) / out.models.length;
    expect(mean).toBeCloseTo(1000, 6);
  });

  it('is identical for the same seed, and only the intervals move with the seed', async () => {
    const a = await json(['--battles', GENAI, '--seed', '5']);
    const b = await json(['--battles', GENAI, '--seed', '5']);
    const c = await json(['--battles', GENAI, '--seed', '6']);
    expect(b).toEqual(a);
    c.models.forEach((m, i) => {
      expect(m.model).toBe(a.models[i]!.model);
      expect(m.rating).toBe(a.models[i]!.rating); // the point estimate is the full-data fit
      expect(Math.abs(m.ci!.median - a.models[i]!.ci!.median)).toBeLessThan(0.25 * (m.ci!.upper - m.ci!.lower));
    });
    expect(c.models.map((m) => m.ci)).not.toEqual(a.models.map((m) => m.ci));
  });

  it('applies the filters', async () => {
    expect((await json(['--battles', GENAI, '--include-named', '--bootstrap', '0'])).battles).toBe(1977); // one self-battle dropped
    const noTies = await json(['--battles', GENAI, '--exclude-ties', '--bootstrap', '0']);
    expect(noTies.models.every((m) => m.ties === 0)).toBe(true);
    const early = await json(['--battles', GENAI, '--to', '2024-02-15', '--bootstrap', '0']);
    const late = await json(['--battles', GENAI, '--from', '2024-02-16', '--bootstrap', '0']);
    expect(early.battles + late.battles).toBe(1451);
    const sparse = await run(['--battles', GENAI, '--min-battles', '100000']);
    expect(sparse.code).toBe(1);
    expect(sparse.stderr).toMatch(/no battles left after filtering/);
  });

  it('anchors, and prints table and CSV', async () => {
    const anchored = await json(['--battles', GENAI, '--anchor', 'imagenhub_SDXL_generation=1100', '--bootstrap', '10']);
    expect(anchored.models.find((m) => m.model === 'imagenhub_SDXL_generation')!.rating).toBeCloseTo(1100, 9);
    const table = await run(['--battles', GENAI, '--bootstrap', '20']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Rank \(UB\)\s+Model\s+Rating\s+95% CI\s+Votes\s+Elo/);
    expect(table.stdout).toMatch(/\n\s+1\s+imagenhub_PlayGroundV2_generation\s+115\d\s+\+\d+\/-\d+\s+440\s+\d+/);
    const csv = await run(['--battles', GENAI, '--format', 'csv', '--method', 'elo']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('rank_ub,model,rating,ci_lower,ci_median,ci_upper,battles,wins,losses,ties,elo');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^1,imagenhub_\w+,[\d.]+,,,,\d+,\d+,\d+,\d+,[\d.]+$/);
  });
});

describe('arena ratings on LLMFAO (no anony field: all rows count)', () => {
  it('ranks all 8931 battles with stable point estimates', async () => {
    const a = await json(['--battles', LLMFAO, '--method', 'bt', '--seed', '1']);
    const b = await json(['--battles', LLMFAO, '--method', 'bt', '--seed', '2']);
    expect(a.battles).toBe(8931);
    expect(a.models).toHaveLength(59);
    expect(a.models.every((m) => m.elo === null)).toBe(true);
    expect(b.models.map((m) => [m.model, m.rating])).toEqual(a.models.map((m) => [m.model, m.rating]));
    // Bootstrap medians differ between seeds only by Monte Carlo noise, small against the interval width.
    a.models.forEach((m, i) => expect(Math.abs(m.ci!.median - b.models[i]!.ci!.median)).toBeLessThan(0.25 * (m.ci!.upper - m.ci!.lower)));
    expect(a.models[0]).toMatchObject({ model: 'GPT 4', rankUB: 1 });
  });

  it('gives the same BT numbers whether it streams counts (bt) or keeps battles for Elo (both)', async () => {
    const streamed = await json(['--battles', LLMFAO, '--method', 'bt', '--min-battles', '300', '--bootstrap', '20']);
    const kept = await json(['--battles', LLMFAO, '--method', 'both', '--min-battles', '300', '--bootstrap', '20']);
    expect(streamed.models.length).toBeGreaterThan(2);
    expect(streamed.models.length).toBeLessThan(59);
    expect(kept.models.map(({ elo: _, ...rest }) => rest)).toEqual(streamed.models.map(({ elo: _, ...rest }) => rest));
  });
});

describe('arena ratings: errors and messages', () => {
  it('names the line and field of a bad record, or skips it on request', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await writeFile(
      file,
      '{"model_a":"x","model_b":"y","winner":"model_a"}\n{"model_a":"x","model_b":"y","winner":"draw"}\n{"model_a":"y","model_b":"x","winner":"model_a"}\n',
    );
    const failed = await run(['--battles', file]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('line 2: winner: must be one of model_a, model_b, tie, tie (bothbad)');
    const skipped = await run(['--battles', file, '--skip-invalid', '--format', 'json']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped 1 invalid record/);
    expect(JSON.parse(skipped.stdout).battles).toBe(2);
  });

  it('says clearly when the fit does not converge', async () => {
    const file = path.join(dir, 'separated.jsonl');
    const rows = [
      '{"model_a":"a","model_b":"b","winner":"model_a"}',
      '{"model_a":"b","model_b":"c","winner":"model_a"}',
      '{"model_a":"c","model_b":"b","winner":"model_a"}',
    ];
    await writeFile(file, rows.join('\n'));
    const result = await run(['--battles', file, '--format', 'json', '--bootstrap', '5']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/did not converge/);
    expect(result.stderr).toMatch(/no finite maximum-likelihood ratings: a/);
    expect(JSON.parse(result.stdout)).toMatchObject({ converged: false, separatedModels: ['a'] });
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run([])).stderr).toMatch(/--battles FILE is required/);
    expect((await run(['--battles', GENAI, '--method', 'glicko'])).code).toBe(2);
    expect((await run(['--battles', GENAI, '--anchor', 'nonsense'])).code).toBe(2);
    expect((await run(['--battles', GENAI, '--turns', 'x'])).code).toBe(2);
    expect((await run(['--battles', GENAI, '--from', 'yesterday'])).stderr).toMatch(/--from: not a date/);
    const missing = await run(['--battles', path.join(dir, 'missing.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
    const anchor = await run(['--battles', GENAI, '--anchor', 'nobody=1000']);
    expect(anchor.code).toBe(1);
    expect(anchor.stderr).toMatch(/anchor model "nobody" has no battles/);
  });

  it('prints help through the dispatcher', async () => {
    const help = await run(['ratings', '--help'], runCli);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: arena ratings --battles FILE/);
    const unknown = await run(['frobnicate'], runCli);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"[\s\S]*ratings/);
  });

  it('runs as bin/arena.js', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/arena.js', 'ratings', '--battles', GENAI, '--format', 'csv', '--bootstrap', '0'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    });
    expect(stdout.split('\n')[0]).toMatch(/^rank_ub,model,rating/);
  });
});
