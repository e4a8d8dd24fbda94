/**
 * The built client over real HTTP (`npm test` runs `vite build` first): hashed assets are cacheable
 * for a year, index.html is revalidated on every load, and both come compressed (brotli or gzip, by
 * Accept-Encoding) with bodies that decompress to the very files Vite wrote.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultStaticDir } from '../../server/app.ts';
import { type TestServer, useSharedServer } from '../support/test-server.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET without any client-side decoding, so the bytes on the wire can be checked. */
function get(server: TestServer, urlPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${urlPath}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = { br: brotliDecompressSync, gzip: gunzipSync } as const;
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('static assets', () => {
  const indexHtml = readFileSync(path.join(defaultStaticDir, 'index.html'));
  // The entry script and the stylesheet index.html loads.
  const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(indexHtml.toString())![1]!;
  const stylesheet = /href="(\/assets\/index-[^"]+\.css)"/.exec(indexHtml.toString())![1]!;

  const server = useSharedServer({ deps: { staticDir: defaultStaticDir } });

  for (const encoding of ['br', 'gzip'] as const) {
    it(`serves index.html ${encoding}-compressed and always revalidated`, async () => {
      for (const urlPath of ['/', '/index.html']) {
        const res = await get(server, urlPath, { 'accept-encoding': encoding === 'br' ? 'gzip, deflate, br' : 'gzip, deflate' });
        expect(res.status, urlPath).toBe(200);
        expect(res.headers['content-encoding'], urlPath).toBe(encoding);
        expect(res.headers['content-type'], urlPath).toMatch(/^text\/html/);
        expect(res.headers['cache-control'], urlPath).toBe('no-cache');
        expect(res.headers.vary, urlPath).toMatch(/accept-encoding/i);
        expect(decode[encoding](res.body).equals(indexHtml), urlPath).toBe(true);
      }
    });

    it(`serves hashed assets ${encoding}-compressed and cacheable for a year`, async () => {
      for (const asset of [entry, stylesheet]) {
        const file = readFileSync(path.join(defaultStaticDir, asset));
        const res = await get(server, asset, { 'accept-encoding': encoding });
        expect(res.status, asset).toBe(200);
        expect(res.headers['content-encoding'], asset).toBe(encoding);
        expect(res.headers['content-type'], asset).toMatch(asset.endsWith('.js') ? /javascript/ : /^text\/css/);
        expect(res.headers['cache-control'], asset).toBe(IMMUTABLE);
        expect(res.headers.vary, asset).toMatch(/accept-encoding/i);
        expect(decode[encoding](res.body).equals(file), asset).toBe(true);
        expect(res.body.length, asset).toBeLessThan(file.length / 2);
      }
    });
  }

  it('serves the plain file to a client that accepts no compression, with the same caching', async () => {
    const asset = await get(server, entry);
    expect(asset.headers['content-encoding']).toBeUndefined();
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    expect(asset.body.equals(readFileSync(path.join(defaultStaticDir, entry)))).toBe(true);
    const page = await get(server, '/', { 'accept-encoding': 'identity' });
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body.equals(indexHtml)).toBe(true);
  });

  it('answers a revalidation of index.html with 304', async () => {
    const first = await get(server, '/', { 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await get(server, '/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});
