/**
 * The set-up and tear-down every test file used to write out by hand: one `afterEach` that stops
 * whatever the test started (servers, fake upstreams, browsers, temp folders), and one
 * `beforeAll`/`afterAll` pair around a thing the tests of a block share. Call these where hooks
 * may be registered: a file's top level or a describe block, never inside a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A thing a test starts and must stop again. */
export type Stoppable = { stop(): unknown } | { close(): unknown };

export interface Cleanup {
  /** Stops `thing` (its `stop()`, else its `close()`) after the current test; returns it. */
  add<T extends Stoppable>(thing: T): T;
  /** Runs `fn` after the current test. */
  defer(fn: () => unknown): void;
  /** A fresh temp folder, removed after the current test. */
  tempDir(prefix: string): string;
}

/**
 * Registers one afterEach for the calling file or describe block. Everything handed to it during a
 * test is undone after that test, last started first, even when the test failed; every step runs,
 * and the first failure is reported once all have.
 */
export function useCleanup(): Cleanup {
  const steps: Array<() => unknown> = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (let step = steps.pop(); step; step = steps.pop()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return {
    add(thing) {
      steps.push(() => ('stop' in thing ? thing.stop() : thing.close()));
      return thing;
    },
    defer(fn) {
      steps.push(fn);
    },
    tempDir(prefix) {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      steps.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}

/** A temp folder for every test of the calling file or block: made now, removed after the last of them. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * One `T` for every test of the calling block: started in beforeAll, stopped in afterAll. The
 * returned handle reads through to it (use it inside tests and hooks only, not while the file is
 * being collected); `afterEachTest` resets what tests must not see of each other.
 */
export function useShared<T extends object>(start: () => Promise<T>, stop: (thing: T) => unknown, afterEachTest?: (thing: T) => void): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  if (afterEachTest) afterEach(() => (current ? afterEachTest(current) : undefined));
  afterAll(async () => {
    if (current) await stop(current);
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_, property) {
      // Not a promise: `await handle` must not look for a `then`.
      if (property === 'then') return undefined;
      if (!current) throw new Error(`used before beforeAll started it (reading "${String(property)}")`);
      const value: unknown = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
