/** A real arena serving the built client, plus Chromium: the set-up every browser test shares. */
import type { Browser, Page } from 'playwright-core';
import type { RoleName } from '../../protocol/auth.ts';
import { type App, defaultStaticDir } from '../../server/app.ts';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import { PASSWORD } from './auth.ts';
import { launchBrowser } from './browser.ts';
import { useShared } from './hooks.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';

export interface BrowserArena {
  app: App;
  url: string;
  browser: Browser;
  /** A socket.io client of an anonymous visitor (TestServer.connect). */
  connect: TestServer['connect'];
  close(): Promise<void>;
}

export interface BrowserArenaOptions extends Pick<TestServerOptions, 'models' | 'config' | 'deps' | 'beforeListen' | 'dir' | 'loadTest'> {
  /** Accounts to make before any page opens (email → role), each with PASSWORD. */
  users?: Record<string, RoleName>;
}

export async function startBrowserArena(opts: BrowserArenaOptions = {}): Promise<BrowserArena> {
  const server = await startTestServer({ ...opts, deps: { staticDir: defaultStaticDir, ...opts.deps } });
  try {
    for (const [email, role] of Object.entries(opts.users ?? {})) await server.app.auth.addUser(email, role, PASSWORD, CLI_ACTOR);
    const browser = await launchBrowser();
    return {
      app: server.app,
      url: server.url,
      browser,
      connect: server.connect,
      async close() {
        await browser.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * One arena and browser for every test of the calling describe block: started in beforeAll (the
 * options are read then, so they may name something an earlier beforeAll started), closed in afterAll.
 */
export function useBrowserArena(opts: BrowserArenaOptions | (() => BrowserArenaOptions) = {}): BrowserArena {
  return useShared(
    () => startBrowserArena(typeof opts === 'function' ? opts() : opts),
    (arena) => arena.close(),
  );
}

export async function signIn(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
