import * as fs from 'fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { chromiumPath } from './paths';

// Debian's Chromium in a closed network: without the networking flags it keeps
// retrying hosts that are refused here.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchOptions {
  headless?: boolean;
  viewport?: { width: number; height: number };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Idempotent; safe to call from after-hooks even when launch half-failed. */
  close(): Promise<void>;
}

/**
 * Launches /usr/bin/chromium (never downloads a browser). playwright's launch()
 * gives every browser a fresh temporary --user-data-dir and deletes it on close.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: options.headless ?? !process.env.HEADED,
    args: chromiumArgs,
    timeout: 60_000,
  });
  // playwright-core itself SIGKILLs browsers it launched when our process exits.
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      // A page stuck in a busy loop can make close() hang: don't let it block the after-hook.
      await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
    })());
  try {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    return { browser, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `fn` with a fresh browser and always closes it. */
export async function withBrowser<T>(fn: (session: BrowserSession) => Promise<T>, options?: LaunchOptions): Promise<T> {
  const session = await launchBrowser(options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
