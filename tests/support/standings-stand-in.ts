/**
 * A stand-in for the standings server (server/standings, built in another branch) on the real test
 * app, so the leaderboard page's browser tests run before it is merged: `standings:subscribe` /
 * `unsubscribe` and `GET /api/standings`, `/categories`, `/history`, answered from the fixed data
 * of standings-fixtures.ts through the real transport (`on()`, `route()`: validation, envelopes).
 * `push()` stands for a vote: the numbers move on and every subscriber gets its view again.
 *
 * At merge, the tests that use it switch to the real server (see the report of this branch).
 */
import { z } from 'zod';
import { type StandingsView, standingsViewSchema } from '../../protocol/standings.ts';
import type { App } from '../../server/app.ts';
import { route } from '../../server/transport/http.ts';
import { on } from '../../server/transport/socket.ts';
import { parseInput } from '../../server/transport/validation.ts';
import { FIXTURE_CATEGORIES, fixtureHistory, fixtureStandings } from './standings-fixtures.ts';

const subscribeSchema = z.strictObject({ view: standingsViewSchema });
const historyQuery = standingsViewSchema.pick({ category: true, votes: true });
const categoriesQuery = standingsViewSchema.pick({ votes: true });

export class StandingsStandIn {
  /** How many times the numbers moved on. */
  round = 0;
  /** Every view subscribed, in order. */
  readonly subscribed: StandingsView[] = [];
  readonly #views = new Map<string, StandingsView>();
  #app: App | null = null;

  /** For `beforeListen`: registers the routes and socket events on the app. */
  readonly install = (app: App): void => {
    this.#app = app;
    app.io.on('connection', (socket) => {
      on(socket, 'standings:subscribe', { schema: subscribeSchema }, ({ view }) => {
        const parsed = standingsViewSchema.parse(view);
        this.#views.set(socket.id, parsed);
        this.subscribed.push(parsed);
        return { standings: fixtureStandings(parsed, this.round) };
      });
      on(socket, 'standings:unsubscribe', { schema: z.strictObject({}) }, () => {
        this.#views.delete(socket.id);
        return {};
      });
      socket.on('disconnect', () => this.#views.delete(socket.id));
    });
    route(app.fastify, 'GET /api/standings', async (req) => ({
      ok: true,
      standings: fixtureStandings(parseInput(standingsViewSchema, req.query), this.round),
    }));
    route(app.fastify, 'GET /api/standings/categories', async (req) => {
      parseInput(categoriesQuery, req.query);
      return { ok: true, categories: FIXTURE_CATEGORIES };
    });
    route(app.fastify, 'GET /api/standings/history', async (req) => ({ ok: true, points: fixtureHistory(parseInput(historyQuery, req.query)) }));
  };

  /** A vote came in: the next round of numbers goes to every subscriber, for its view. */
  push(): void {
    this.round++;
    for (const [id, view] of this.#views) this.#app?.io.to(id).emit('standings:update', { standings: fixtureStandings(view, this.round) });
  }

  /** Sockets subscribed now. */
  get subscribers(): number {
    return this.#views.size;
  }
}
