/** Starts the arena: read config, build the app, listen, print the URL, shut down gracefully. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { AppConfig } from './config/schema.ts';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Invalid configuration:\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config, logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  const address = await app.fastify.listen({ port: config.port, host: config.host });
  const models = app.registry.enabled();
  console.log(`Arena is running at ${address.replace('[::1]', 'localhost')}`);
  console.log(
    config.usingDemoModels
      ? `Serving ${models.length} built-in offline demo models (no arena.config.json found).`
      : `Serving ${models.length} models from ${config.configPath}.`,
  );
  console.log(`Database: ${config.databasePath}`);
  if (config.loadTest) {
    console.warn('!!! ARENA_LOAD_TEST is ON: rate limits, vote caps and the reading-time rule are switched OFF.');
    console.warn('!!! Never run a real arena like this.');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down (running answers may finish for up to ${config.drainSeconds} s)`);
    // A stuck upstream or client must not keep the process alive forever: running answers get the
    // drain budget (then they are cut and stored), flushing and closing get 10 s more.
    const limitMs = config.drainSeconds * 1000 + 10_000;
    const force = setTimeout(() => {
      console.error(`shutdown took longer than ${limitMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, limitMs);
    force.unref();
    try {
      await app.fastify.close();
      process.exit(0);
    } catch (err) {
      console.error('shutdown failed:', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
