import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTryIt, type TryIt, type TryItOptions } from '../demo/tryIt';
import type { LocalGateway, RecordedRequest } from '../gateway/localGateway';
import { launchBrowser, type BrowserSession } from '../host/browser';
import { Workbench } from './workbench';

/** The exec requests (POST /api/runbooks/exec) the gateway has received so far. */
export function execRequestsTo(gateway: LocalGateway): RecordedRequest[] {
  return gateway.requests.filter((r) => r.method === 'POST' && r.path === '/api/runbooks/exec');
}

export interface SampleSession {
  readonly tryIt: TryIt;
  readonly gateway: LocalGateway;
  readonly workbench: Workbench;
}

/**
 * For one mocha suite: `npm start`'s own start-up (sample workspace, local gateway, code-server with
 * the .vsix) opened in Chromium before the tests, a screenshot of every failed test, and everything
 * stopped after. Call it inside `describe`, before the suite's own hooks.
 */
export function useSampleSession(options: Pick<TryItOptions, 'signedIn' | 'userSettings' | 'execWaitMs' | 'authMethod'> = {}): SampleSession {
  let tryIt: TryIt | undefined;
  let session: BrowserSession | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    // The summary step is on for real users (`npm start`); tests that want it turn it back on.
    const userSettings = { 'hoop.confirmBeforeRun': false, ...options.userSettings };
    tryIt = await startTryIt({ vscode: 'code-server', stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-ui-')), port: 0, gatewayPort: 0, ...options, userSettings });
    session = await launchBrowser();
    workbench = await Workbench.open(session.page, tryIt.vscodeUrl!);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      await workbench.screenshot(`FAILED-${this.currentTest.fullTitle()}`).catch(() => undefined);
      // Leave no half-done prompt or dialog for the next test.
      await workbench.page.keyboard.press('Escape').catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    await tryIt?.stop();
  });

  return {
    get tryIt() {
      return tryIt!;
    },
    get gateway() {
      return tryIt!.gateway;
    },
    get workbench() {
      return workbench!;
    },
  };
}

/**
 * Starts db/reindex.runbook.sh (about 8 s) on bash-local from its CodeLens, with the gateway waiting up to
 * 30 s for it, so `body` finds the run in progress; the gateway's wait is restored after.
 */
export async function withReindexRunning(session: SampleSession, body: () => Promise<void>): Promise<void> {
  const { gateway, workbench } = session;
  const quick = workbench.quickPick;
  const defaultExecWaitMs = gateway.config.execWaitMs;
  gateway.config.execWaitMs = 30_000;
  try {
    await startRunFromCodeLens(workbench, 'db/reindex.runbook.sh', 'bash-local');
    await quick.waitForStep('2/2');
    await quick.accept();
    await body();
  } finally {
    gateway.config.execWaitMs = defaultExecWaitMs;
  }
}

/** Opens a runbook of the sample, clicks its "Run runbook" CodeLens and picks the connection; the input then asks the rest. */
export async function startRunFromCodeLens(workbench: Workbench, runbook: string, connection: string): Promise<void> {
  await workbench.openFile(runbook);
  await workbench.clickCodeLens('Run runbook');
  await workbench.quickPick.waitForTitle(`Run ${path.posix.basename(runbook)}`);
  await workbench.quickPick.pick(connection);
}
