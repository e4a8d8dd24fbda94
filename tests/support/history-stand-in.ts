/**
 * TEST-ONLY stand-in for the routes of protocol/standings.ts `HistoryRoutes` (model profiles,
 * battle history, snapshots), whose real implementation lives on another branch: it serves the
 * fixtures of history-fixtures.ts on the real test server, with the visibility rules the server
 * must keep (admins see every battle, others their own; no model named before the vote), so the
 * pages can be driven in Chromium now. The lead replaces it with the real routes at merge.
 */
import type { FastifyRequest } from 'fastify';
import type { BattleDetail, BattleSummary, Snapshot } from '../../protocol/standings.ts';
import { battleHistoryQuerySchema, snapshotCreateSchema, standingsViewSchema } from '../../protocol/standings.ts';
import type { App } from '../../server/app.ts';
import { AppError } from '../../server/transport/errors.ts';
import { adminRoute, adminRoutes, route } from '../../server/transport/http.ts';
import { type Identity, requireAction } from '../../server/transport/identity.ts';
import { parseInput } from '../../server/transport/validation.ts';
import { ALPHA_PROFILE, BATTLES, type FixtureBattle, SNAPSHOT } from './history-fixtures.ts';

function mayView(identity: Identity, battle: FixtureBattle): boolean {
  if (identity.role === 'admin') return true;
  if ('email' in battle.owner) return identity.email === battle.owner.email;
  return identity.voterId === `anon:${battle.owner.voterId}`;
}

function summary(battle: FixtureBattle): BattleSummary {
  const voted = battle.status === 'voted';
  return {
    id: battle.id,
    createdAt: battle.createdAt,
    status: battle.status,
    mode: 'arena',
    prompt: battle.conversation[0]!.prompt.slice(0, 300),
    turns: battle.conversation.length,
    models: voted ? battle.models : null,
    winner: voted ? battle.winner : null,
    // Categories are filed with the vote.
    categories: voted ? battle.categories : [],
  };
}

const fold = (text: string) => text.normalize('NFC').toLocaleLowerCase();

function visibleBattles(identity: Identity): FixtureBattle[] {
  return BATTLES.filter((b) => mayView(identity, b)).sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}

function matches(battle: BattleSummary, query: { q?: string; model?: string; category?: string }): boolean {
  const names = battle.models ? [battle.models.a.name, battle.models.b.name] : [];
  if (query.q && !fold([battle.prompt, ...names].join('\n')).includes(fold(query.q))) return false;
  if (query.model && !(battle.models && [battle.models.a.id, battle.models.b.id].includes(query.model))) return false;
  if (query.category && !battle.categories.includes(query.category as never)) return false;
  return true;
}

export interface HistoryStandIn {
  /** Every `GET /api/battles` query the pages asked, in order (the raw query string). */
  readonly historyQueries: string[];
}

/** Registers the stand-in routes on the app; call before it listens. */
export async function registerHistoryStandIn(app: App): Promise<HistoryStandIn> {
  const { fastify } = app;
  const historyQueries: string[] = [];
  const snapshots = new Map<string, Snapshot>([[SNAPSHOT.id, SNAPSHOT]]);
  const identityOf = (request: FastifyRequest) => {
    requireAction(request.identity, 'view');
    return request.identity;
  };

  route(fastify, 'GET /api/battles', async (request) => {
    historyQueries.push(request.url.split('?')[1] ?? '');
    const query = parseInput(battleHistoryQuerySchema, request.query);
    const all = visibleBattles(identityOf(request))
      .map(summary)
      .filter((b) => matches(b, query));
    return { ok: true, battles: all.slice(query.offset, query.offset + query.limit), total: all.length };
  });

  route(fastify, 'GET /api/battles/:id', async (request) => {
    const { id } = request.params as { id: string };
    const found = BATTLES.find((b) => b.id === id);
    if (!found || !mayView(identityOf(request), found)) throw new AppError('not_found', 'no battle with this id that you may see');
    const battle: BattleDetail = { ...summary(found), conversation: found.conversation };
    return { ok: true, battle };
  });

  route(fastify, 'GET /api/models/:id/profile', async (request) => {
    const { id } = request.params as { id: string };
    if (id !== ALPHA_PROFILE.model.id) throw new AppError('not_found', `no model ${id}`);
    const recentBattles = visibleBattles(request.identity)
      .map(summary)
      .filter((b) => matches(b, { model: id }))
      .slice(0, 10);
    return { ok: true, profile: { ...ALPHA_PROFILE, recentBattles } };
  });

  route(fastify, 'GET /api/snapshots/:id', async (request) => {
    const snapshot = snapshots.get((request.params as { id: string }).id);
    if (!snapshot) throw new AppError('not_found', 'no such snapshot');
    return { ok: true, snapshot };
  });

  await adminRoutes(fastify, (scope) => {
    adminRoute(scope, 'GET /api/admin/snapshots', async () => ({
      ok: true,
      snapshots: [...snapshots.values()].map(({ standings: _, ...rest }) => rest),
    }));
    adminRoute(scope, 'POST /api/admin/snapshots', async (request) => {
      const input = parseInput(snapshotCreateSchema, request.body);
      const view = standingsViewSchema.parse(input.view);
      const id = `snap-${snapshots.size + 1}`;
      const snapshot: Snapshot = {
        ...SNAPSHOT,
        id,
        name: input.name,
        view,
        createdAt: new Date().toISOString(),
        createdBy: request.identity.email,
        bootstrap: view.method === 'bt' ? SNAPSHOT.bootstrap : null,
        standings: { ...SNAPSHOT.standings, method: view.method, view },
      };
      snapshots.set(id, snapshot);
      return { ok: true, snapshot };
    });
  });
  return { historyQueries };
}
