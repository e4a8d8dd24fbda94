/**
 * Style control end to end: each answer's tokens and Markdown are stored when it finishes (and
 * backfilled for answers stored before), and `styleControl=1` fits the standings with style as
 * covariates. Planted: three models of equal quality, one answering long most of the time, one
 * short, voters preferring the longer answer. The plain ratings reward length; style control
 * takes it out and reports the coefficient.
 */
import { describe, expect, it } from 'vitest';
import type { Standings } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import { answerStyle } from '../../server/standings/answer-style.ts';
import { seeded } from '../support/plant-votes.ts';
import { getStandings } from '../support/standings.ts';
import { plantedStyleAdapter } from '../support/style-answers.ts';
import { type TestServer, useTestServer, waitForTurn } from '../support/test-server.ts';

const startServer = useTestServer();
const LONG_SHARE = { 'm-verbose': 0.8, 'm-terse': 0.2, 'm-even': 0.5 };
const models = Object.keys(LONG_SHARE).map((id) => ({ id, name: id.toUpperCase(), provider: 'demo' as const }));

/** Battles voted by people who prefer the longer answer 85% of the time (a coin when both are alike). */
async function voteOnLength(server: TestServer, battles: number, random: () => number): Promise<void> {
  const socket = await server.connect({ voterId: 'style-voter' });
  for (let i = 0; i < battles; i++) {
    const turn = waitForTurn(socket, undefined, 1);
    const started = await socket.emitWithAck('battle:start', { prompt: `question ${i} about sorting` });
    if (!started.ok) throw new Error(started.error.message);
    const { a, b } = await turn;
    const longer: Winner | null = Math.abs(a.length - b.length) > 300 ? (a.length > b.length ? 'a' : 'b') : null;
    const winner: Winner = longer ? (random() < 0.85 ? longer : longer === 'a' ? 'b' : 'a') : random() < 0.5 ? 'a' : 'b';
    const reply = await socket.emitWithAck('battle:vote', { battleId: started.battleId, winner });
    if (!reply.ok) throw new Error(reply.error.message);
  }
  socket.disconnect();
}

const gap = (s: Standings) => s.models.find((m) => m.id === 'm-verbose')!.rating - s.models.find((m) => m.id === 'm-terse')!.rating;

describe('style control', () => {
  it('stores each answer’s style, and styleControl=1 takes the length bias out of the ratings', async () => {
    const random = seeded(21);
    const server = await startServer({ models, deps: { adapterFor: plantedStyleAdapter(LONG_SHARE, random), btIntervalMs: 0 }, loadTest: true });
    await voteOnLength(server, 160, random);

    // Every answer got its features when it was stored, as the real tokenizer counts them.
    const rows = server.app.db.$client
      .prepare('SELECT content, style_tokens AS tokens, style_headers AS headers, style_list_items AS listItems, style_bold AS bold FROM answers')
      .all() as Array<{ content: string; tokens: number; headers: number; listItems: number; bold: number }>;
    expect(rows).toHaveLength(320);
    for (const { content, ...stored } of rows.slice(0, 20)) expect(stored).toEqual(answerStyle(content));

    const plain = await getStandings(server, { method: 'bt', minVotes: 0 });
    const styled = await getStandings(server, { method: 'bt', minVotes: 0, styleControl: '1' });
    expect(plain.style).toBeNull();
    expect(styled.view.styleControl).toBe('1');
    // Style control has no bootstrap: sandwich intervals, with the prior.
    expect(styled.intervals).toEqual({ method: 'sandwich', clustered: false, prior: { sd: 400 } });
    expect(styled.votes).toBe(160);
    expect(styled.style!.votesWithoutFeatures).toBe(0);
    const tokens = styled.style!.coefficients.find((c) => c.feature === 'tokens')!;
    expect(tokens.lower).toBeGreaterThan(0);
    expect(styled.style!.coefficients.map((c) => c.feature)).toEqual(['tokens', 'headers', 'listItems', 'bold']);
    console.log(
      `style control: verbose − terse ${gap(plain).toFixed(0)} → ${gap(styled).toFixed(0)} points; tokens ${tokens.estimate} [${tokens.lower}, ${tokens.upper}] per sd`,
    );
    expect(gap(plain)).toBeGreaterThan(60);
    expect(gap(styled)).toBeLessThan(gap(plain) - 60);
    for (const m of styled.models) expect(m.ci!.lower).toBeLessThan(m.rating);
    expect(styled.neighbours).toHaveLength(2);

    // Over the socket too; an Elo view has no style control.
    const socket = await server.connect();
    const ack = await socket.emitWithAck('standings:subscribe', { view: { method: 'bt', minVotes: 0, styleControl: '1' } });
    expect(ack.ok && ack.standings.style?.coefficients).toEqual(styled.style!.coefficients);
    const refused = await fetch(`${server.url}/api/standings?method=elo&styleControl=1`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe('styleControl');
  });

  it('backfills the style of answers, and the prompt hash of votes, stored before they existed', async () => {
    const random = seeded(22);
    const first = await startServer({ models, deps: { adapterFor: plantedStyleAdapter(LONG_SHARE, random) }, loadTest: true });
    await voteOnLength(first, 6, random);
    const sqlite = first.app.db.$client;
    // As a database from before the migration: no features, no hashes.
    sqlite.exec(
      'UPDATE answers SET style_tokens = NULL, style_headers = NULL, style_list_items = NULL, style_bold = NULL; UPDATE votes SET prompt_hash = NULL',
    );
    await first.close();

    const server = await startServer({ dir: first.dir, models, deps: { adapterFor: plantedStyleAdapter(LONG_SHARE, random) } });
    expect(await server.app.standings.styled).toBe(12 + 6);
    const rows = server.app.db.$client
      .prepare('SELECT content, style_tokens AS tokens, style_headers AS headers, style_list_items AS listItems, style_bold AS bold FROM answers')
      .all() as Array<{
      content: string;
      tokens: number;
    }>;
    for (const { content, ...stored } of rows) expect(stored).toEqual(answerStyle(content));
    expect(server.app.db.$client.prepare('SELECT count(*) AS n FROM votes WHERE prompt_hash IS NULL OR length(prompt_hash) != 22').get()).toEqual({ n: 0 });
    const styled = await getStandings(server, { method: 'bt', minVotes: 0, styleControl: '1' });
    expect(styled.votes).toBe(6);
    // A second start finds nothing left to do.
    await server.close();
    const again = await startServer({ dir: first.dir, models });
    expect(await again.app.standings.styled).toBe(0);
  });
});
