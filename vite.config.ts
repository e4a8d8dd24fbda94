import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const serverPort = Number(process.env.PORT ?? 3000);

/**
 * Writes `.br` and `.gz` beside every text file of the build, compressed once at the highest
 * levels, for the server to send as they are (server/static-assets.ts). A variant is kept only
 * when it is smaller than the file.
 */
function precompress(): Plugin {
  return {
    name: 'arena-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(html|js|css|svg)$/.test(fileName)) continue;
        const file = path.join(options.dir!, fileName);
        const raw = readFileSync(file);
        const variants = {
          br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
          gz: gzipSync(raw, { level: 9 }),
        };
        for (const [ext, body] of Object.entries(variants)) if (body.length < raw.length) writeFileSync(`${file}.${ext}`, body);
      }
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [svelte(), precompress()],
  build: { outDir: '../dist/client', emptyOutDir: true },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/socket.io': { target: `http://127.0.0.1:${serverPort}`, ws: true },
    },
  },
});
