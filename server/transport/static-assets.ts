/**
 * The built client (dist/client). Vite names every file under assets/ by a hash of its content,
 * so those are cached for a year and never revalidated; index.html (and anything else at the top)
 * names them, so it is revalidated on every load (ETag, 304). Brotli and gzip variants are made
 * once at build time (vite.config.ts) and chosen by Accept-Encoding, the plain file otherwise.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function registerStaticAssets(fastify: FastifyInstance, root: string): Promise<void> {
  const hashedDir = path.join(path.resolve(root), 'assets') + path.sep;
  await fastify.register(fastifyStatic, {
    root,
    // An array: with preCompressed, @fastify/static finds the index of `/` only in a list (a plain
    // string makes `/` a 404).
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', path.resolve(filePath).startsWith(hashedDir) ? IMMUTABLE : 'no-cache');
    },
  });
}
