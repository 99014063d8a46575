// Runs a compiled mocha suite inside code-server's extension host: the
// @vscode/test-electron contract (extensionDevelopmentPath + extensionTestsPath
// exporting run()), carried by the workbench URL's payload and reported back
// through the smoke-test driver's codeAutomationExit/codeAutomationLog hooks.
//
//   node out/test/host/runExtensionHostSuite.js --extension <dir> --suite <index.js> [--workspace <dir>] [--timeout <ms>]
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import type { Page } from 'playwright-core';
import { launchBrowser, BrowserSession } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { artifactsDir, safeFileName } from './paths';

export interface ExtensionHostSuiteOptions {
  /** Folder with the extension's package.json. */
  extensionDevelopmentPath: string;
  /** Compiled suite entry (module exporting run()). */
  extensionTestsPath: string;
  /** Folder opened in the workbench; default: a fresh empty temp folder. */
  workspaceFolder?: string;
  /** Whole run, from server start to exit code. Default 180 s. */
  timeoutMs?: number;
  /** Environment for code-server and so for the extension host running the suite. */
  env?: Record<string, string>;
  userSettings?: Record<string, unknown>;
  installVsix?: string;
  /**
   * Receives each console line of the workbench and extension host (mocha's
   * reporter output included). Default: print to stdout/stderr, hiding the
   * workbench's own start-up chatter unless HOST_DEBUG is set.
   */
  onLog?: (type: string, message: string) => void;
  /** Name used for artifacts (screenshot, logs). */
  label?: string;
}

export interface ExtensionHostSuiteResult {
  exitCode: number;
  durationMs: number;
}

interface AutomationLogFile {
  relativePath: string;
  contents: string;
}

// Lines the workbench itself logs on every run; they bury mocha's output.
const workbenchChatter = [
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket \(renderer-/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost:remote|AccountPolicyGate)\]/,
  /^Updating additional builtin extensions cache/,
];
// Errors raised in the workbench (e.g. the closed network refusing open-vsx.org) carry its bundle in their stack.
const workbenchStack = /\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js/;

/** mocha's reporter logs at info level and its failures carry workbench stack frames too: those always show. */
export function isWorkbenchChatter(message: string, type = 'error'): boolean {
  return workbenchChatter.some((pattern) => pattern.test(message)) || (type !== 'info' && workbenchStack.test(message));
}

function printLog(type: string, message: string): void {
  if (!process.env.HOST_DEBUG && isWorkbenchChatter(message, type)) return;
  (type === 'error' ? process.stderr : process.stdout).write(`${message}\n`);
}

/** The hook receives the console call's arguments as an array, format string first. */
export function formatAutomationLog(message: unknown): string {
  if (Array.isArray(message)) return format(...(message as unknown[]));
  if (typeof message !== 'string') return format(message);
  try {
    const args: unknown = JSON.parse(message);
    if (Array.isArray(args)) return format(...(args as unknown[]));
  } catch {
    // not JSON: print as is
  }
  return message;
}

function toRemoteUri(port: number, absolutePath: string): string {
  // The workbench resolves vscode-remote URIs against the server that served it.
  return `vscode-remote://127.0.0.1:${port}${path.resolve(absolutePath)}`;
}

export function workbenchSuiteUrl(server: CodeServer, extensionDevelopmentPath: string, extensionTestsPath: string): string {
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', toRemoteUri(server.port, extensionDevelopmentPath)],
    ['extensionTestsPath', toRemoteUri(server.port, extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  return `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function saveArtifacts(label: string, logs: AutomationLogFile[] | undefined, serverLog: string, consoleLog: string[]): string {
  const dir = path.join(artifactsDir, 'extension-host', safeFileName(label));
  fs.mkdirSync(dir, { recursive: true });
  for (const file of logs ?? []) {
    const target = path.join(dir, 'vscode-logs', file.relativePath);
    // relativePath comes from the workbench; keep it inside our folder.
    if (!target.startsWith(dir + path.sep)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.contents);
  }
  fs.writeFileSync(path.join(dir, 'code-server.log'), serverLog);
  fs.writeFileSync(path.join(dir, 'console.log'), consoleLog.join('\n') + '\n');
  return dir;
}

// Every `vscode-web-state-db-*` IndexedDB database of the workbench (settings, and each extension's global and
// workspace state) as { database: { key: value } }. A string: tsconfig has no DOM lib for the page's globals.
const readBrowserStateScript = `(async () => {
  const settle = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
  const state = {};
  for (const { name } of await indexedDB.databases()) {
    if (!name || !name.startsWith('vscode-web-state-db-')) continue;
    const db = await settle(indexedDB.open(name));
    try {
      if (!db.objectStoreNames.contains('ItemTable')) continue;
      const store = db.transaction('ItemTable', 'readonly').objectStore('ItemTable');
      const [keys, values] = await Promise.all([settle(store.getAllKeys()), settle(store.getAll())]);
      state[name] = Object.fromEntries(keys.map((key, index) => [String(key), String(values[index])]));
    } finally {
      db.close();
    }
  }
  return state;
})()`;

/**
 * In code-server the workbench keeps global and workspace state in the browser, out of the extension host's
 * reach: the suite asks the runner for it at HOOP_TEST_BROWSER_STATE_URL (127.0.0.1 only).
 */
async function startBrowserStateProbe(currentPage: () => Page | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    const page = currentPage();
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!page) {
      answer(503, { message: 'the workbench page is not open yet' });
      return;
    }
    page.evaluate(readBrowserStateScript).then(
      (state) => answer(200, state),
      (error: Error) => answer(500, { message: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function runExtensionHostSuite(options: ExtensionHostSuiteOptions): Promise<ExtensionHostSuiteResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const label = options.label ?? `${path.basename(path.resolve(options.extensionDevelopmentPath))}-${new Date().toISOString()}`;
  const onLog = options.onLog ?? printLog;
  for (const [what, file] of [['extension folder', options.extensionDevelopmentPath], ['suite', options.extensionTestsPath]] as const) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found: ${file}`);
  }

  let tempWorkspace: string | undefined;
  const workspaceFolder = options.workspaceFolder ?? (tempWorkspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ext-host-ws-')));
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  const consoleLines: string[] = [];
  const probe = await startBrowserStateProbe(() => session?.page);
  try {
    const run = (async (): Promise<number> => {
      server = await startCodeServer({
        workspaceFolder,
        smokeTestDriver: true,
        env: { ...options.env, HOOP_TEST_BROWSER_STATE_URL: probe.url },
        ...(options.userSettings && { userSettings: options.userSettings }),
        ...(options.installVsix && { installVsix: options.installVsix }),
      });
      session = await launchBrowser();
      const { page } = session;
      const exited = new Promise<{ code: number; logs?: AutomationLogFile[] }>((resolve, reject) => {
        // Registered before the page loads: the workbench looks them up on window.
        void page.exposeFunction('codeAutomationExit', (code: number, logs?: AutomationLogFile[]) => {
          resolve({ code, ...(logs && { logs }) });
        });
        void page.exposeFunction('codeAutomationLog', (type: string, message: unknown) => {
          const text = formatAutomationLog(message);
          consoleLines.push(`[${type}] ${text}`);
          onLog(String(type), text);
        });
        page.on('crash', () => reject(new Error('the workbench page crashed')));
      });
      // The smoke-test driver may close the window after exiting; that is not an error.
      await page.goto(workbenchSuiteUrl(server, options.extensionDevelopmentPath, options.extensionTestsPath), { waitUntil: 'domcontentloaded' });
      const { code, logs } = await exited;
      if (code !== 0) {
        const dir = saveArtifacts(label, logs, server.logTail(), consoleLines);
        process.stderr.write(`extension host suite exited ${code}; logs in ${dir}\n`);
      }
      return code;
    })();
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension host suite did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    const exitCode = await Promise.race([run, timedOut]);
    return { exitCode, durationMs: Date.now() - started };
  } catch (error) {
    const dir = saveArtifacts(label, undefined, server?.logTail() ?? '', consoleLines);
    if (session) {
      await session.page.screenshot({ path: path.join(dir, 'workbench.png'), timeout: 10_000 }).catch(() => undefined);
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (screenshot and code-server log in ${dir})`);
  } finally {
    clearTimeout(timer);
    await probe.close();
    await session?.close();
    await server?.stop();
    if (tempWorkspace) fs.rmSync(tempWorkspace, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag?.startsWith('--') || value === undefined) throw new Error(`unexpected argument ${flag ?? ''}`);
    args.set(flag.slice(2), value);
    i++;
  }
  return args;
}

async function main(): Promise<void> {
  const usage = 'usage: node out/test/host/runExtensionHostSuite.js --extension <dir> --suite <index.js> [--workspace <dir>] [--timeout <ms>]';
  const args = parseArgs(process.argv.slice(2));
  const extension = args.get('extension');
  const suite = args.get('suite');
  if (!extension || !suite) throw new Error(usage);
  const workspace = args.get('workspace');
  const timeout = args.get('timeout');
  const result = await runExtensionHostSuite({
    extensionDevelopmentPath: path.resolve(extension),
    extensionTestsPath: path.resolve(suite),
    ...(workspace && { workspaceFolder: path.resolve(workspace) }),
    ...(timeout && { timeoutMs: Number(timeout) }),
  });
  console.log(`extension host suite exited ${result.exitCode} after ${(result.durationMs / 1000).toFixed(1)} s`);
  process.exitCode = result.exitCode;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
