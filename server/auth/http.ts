/**
 * HTTP side of auth: the session cookie, `request.identity` for every /api route, the CSRF rule
 * for state-changing requests, and the sign-in routes.
 */
import type { TLSSocket } from 'node:tls';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, loginSchema, type PromptLimits, signupSchema } from '../../protocol/auth.ts';
import { VOTER_HEADER } from '../../protocol/headers.ts';
import { emptySchema } from '../../protocol/schemas.ts';
import { AppError } from '../transport/errors.ts';
import { route } from '../transport/http.ts';
import type { Identity } from '../transport/identity.ts';
import { parseInput } from '../transport/validation.ts';
import type { OriginPolicy } from './origin-policy.ts';
import { firstHeader } from './request-info.ts';
import { type AuthService, DEVICE_COOKIE, type NewSession, SESSION_COOKIE } from './service.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function peerOf(request: FastifyRequest): string {
  return request.raw.socket.remoteAddress ?? '';
}

/**
 * CSRF: a cross-site page can make a browser send our cookie with a form post or a simple fetch,
 * but it cannot add a custom header without a CORS preflight, which this server never grants.
 * So every state-changing /api request must carry X-Arena-CSRF, and its Origin (when present)
 * must be this server's own or an allowed one. Applies with or without a cookie (login CSRF too).
 */
export function checkCsrf(request: FastifyRequest, origins: OriginPolicy): void {
  if (!STATE_CHANGING.has(request.method)) return;
  if (!firstHeader(request.headers, CSRF_HEADER) || !origins.originAllowed(sourceOf(request))) {
    throw new AppError('forbidden', `cross-site request refused: state-changing requests need the ${CSRF_HEADER} header and a same-origin Origin`);
  }
}

function sourceOf(request: FastifyRequest) {
  return { headers: request.headers, peer: peerOf(request), encrypted: (request.raw.socket as TLSSocket).encrypted === true };
}

export async function registerAuthHttp(fastify: FastifyInstance, deps: { auth: AuthService; origins: OriginPolicy; limits: PromptLimits }): Promise<void> {
  const { auth } = deps;
  await fastify.register(fastifyCookie);
  fastify.decorateRequest('identity', null as unknown as Identity);
  // Every request, not only URLs that look like /api/: the router decodes `%61pi`, a prefix test
  // on the raw URL would not (a request must never reach a route without identity or CSRF check).
  fastify.addHook('onRequest', async (request) => {
    // DNS rebinding: a name that is not ours is refused before anything else, pages included.
    if (!deps.origins.hostAllowed(request.headers)) throw new AppError('forbidden', deps.origins.refusal(sourceOf(request))!);
    checkCsrf(request, deps.origins);
    request.identity = await auth.resolve({
      headers: request.headers,
      remoteAddress: peerOf(request),
      claimedVoterId: firstHeader(request.headers, VOTER_HEADER),
    });
  });

  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, session: NewSession) => {
    const secure = auth.proxies.isHttps(peerOf(request), request.headers, (request.raw.socket as TLSSocket).encrypted === true);
    reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: session.expiresAt });
    // Read only by sign-in, so it travels with nothing else.
    if (session.device) {
      reply.setCookie(DEVICE_COOKIE, session.device.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/api/auth',
        secure,
        expires: session.device.expiresAt,
      });
    }
  };

  route(fastify, 'GET /api/me', async (request) => ({ ok: true, ...auth.me(request.identity), limits: deps.limits }));

  route(fastify, 'POST /api/auth/login', async (request, reply) => {
    const { email, password } = parseInput(loginSchema, request.body);
    const session = await auth.login(email, password, auth.proxies.clientIp(peerOf(request), request.headers), request.cookies[DEVICE_COOKIE]);
    setSessionCookie(request, reply, session);
    return { ok: true, user: { id: String(session.user.id), email: session.user.email, role: session.user.role } };
  });

  route(fastify, 'POST /api/auth/signup', async (request, reply) => {
    const { invite, email, password } = parseInput(signupSchema, request.body);
    const session = await auth.signup(invite, email, password);
    setSessionCookie(request, reply, session);
    return { ok: true, user: { id: String(session.user.id), email: session.user.email, role: session.user.role } };
  });

  route(fastify, 'POST /api/auth/logout', async (request, reply) => {
    parseInput(emptySchema, request.body ?? {});
    await auth.logout(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
