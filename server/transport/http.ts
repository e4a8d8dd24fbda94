/**
 * Fastify as every feature meets it: the error envelope for every failure, security headers, the
 * list of registered routes, and the /api/admin scope whose every route requires the admin role.
 */
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteShorthandOptions } from 'fastify';
import type { FileRouteKey, HttpMethod, JsonRouteKey, ResponseOf, RouteKey, RoutesUnder } from '../../protocol/http.ts';
import { AppError, errorReply } from './errors.ts';
import { requireAction } from './identity.ts';

export interface HttpServer {
  fastify: FastifyInstance;
  /** Every HTTP route registered (method and URL pattern), for the fuzz test and docs checks. */
  routes: Array<{ method: string; url: string }>;
}

export async function createHttp(logger: FastifyServerOptions['logger']): Promise<HttpServer> {
  const fastify = Fastify({ logger: logger ?? false, bodyLimit: 1024 * 1024 });
  const routes: HttpServer['routes'] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'upgrade-insecure-requests': null,
        'frame-ancestors': ["'none'"],
      },
    },
  });
  fastify.setErrorHandler((err: Error, _req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(errorReply(err));
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ ok: false, error: { code: 'invalid_input', message: err.message } });
    }
    return reply.status(500).send(errorReply(err));
  });
  fastify.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ ok: false, error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
  return { fastify, routes };
}

const ADMIN_PREFIX = '/api/admin';

type Handler<K extends RouteKey> = (request: FastifyRequest, reply: FastifyReply) => Promise<ResponseOf<K>>;

function methodAndUrl(key: RouteKey, prefix = ''): [HttpMethod, string] {
  const [method, url] = key.split(' ') as [HttpMethod, string];
  return [method, url.slice(prefix.length)];
}

/**
 * One JSON route of the contract (protocol/http.ts): the key names method and path, and the
 * handler must answer the route's response type, so a wrong shape fails the type check.
 */
export function route<K extends JsonRouteKey>(app: FastifyInstance, key: K, handler: Handler<K>, options: RouteShorthandOptions = {}): void {
  const [method, url] = methodAndUrl(key);
  app.route({ ...options, method, url, handler });
}

/** A JSON route inside the admin scope (see `adminRoutes`), keyed by its full path. */
export function adminRoute<K extends JsonRouteKey & RoutesUnder<typeof ADMIN_PREFIX>>(
  scope: FastifyInstance,
  key: K,
  handler: Handler<K>,
  options: RouteShorthandOptions = {},
): void {
  const [method, url] = methodAndUrl(key, ADMIN_PREFIX);
  scope.route({ ...options, method, url, handler });
}

/** A download inside the admin scope: the handler sends the file itself. */
export function adminFileRoute<K extends FileRouteKey & RoutesUnder<typeof ADMIN_PREFIX>>(
  scope: FastifyInstance,
  key: K,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  const [method, url] = methodAndUrl(key, ADMIN_PREFIX);
  scope.route({ method, url, handler });
}

/** Routes under /api/admin; the role is checked before the body is read. */
export async function adminRoutes(fastify: FastifyInstance, register: (scope: FastifyInstance) => void): Promise<void> {
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request) => requireAction(request.identity, 'admin'));
      register(scope);
    },
    { prefix: ADMIN_PREFIX },
  );
}

/** `GET /api/health` for probes: up, and whether the demo models or the load-test mode are on. */
export function registerHealth(fastify: FastifyInstance, status: { demoModels: boolean; loadTest: boolean; instance: string | null }): void {
  const warning = 'ARENA_LOAD_TEST is on: rate limits, vote caps and the reading-time rule are OFF';
  const instance = status.instance ? { instance: status.instance } : {};
  route(fastify, 'GET /api/health', async () => ({
    ok: true,
    demoModels: status.demoModels,
    ...(status.loadTest ? { loadTest: true, warning } : {}),
    ...instance,
  }));
}
