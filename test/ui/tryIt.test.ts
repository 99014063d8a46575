// `npm start` as a newcomer uses it: the real CLI process, its printed address, a run through the
// CodeLens in the browser, then Ctrl+C leaving nothing behind.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, type BrowserSession } from '../host/browser';
import { repoRoot } from '../host/paths';
import { Workbench } from './workbench';

/**
 * Everything the process prints, from its start: a wait sees lines printed before it began, so
 * waiting for a later line never misses one that arrived in the same chunk as an earlier one.
 */
function watchOutput(child: ChildProcess): (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray> {
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return (pattern, timeoutMs) =>
    new Promise((resolve, reject) => {
      const stop = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off('exit', onExit);
        settle();
      };
      const check = () => {
        const match = pattern.exec(output);
        if (match) stop(() => resolve(match));
      };
      const onExit = (code: number | null) => stop(() => reject(new Error(`exited ${code} before ${pattern}; output:\n${output}`)));
      const timer = setTimeout(() => stop(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`))), timeoutMs);
      listeners.add(check);
      child.once('exit', onExit);
      check();
    });
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

describe('npm start: the sample workspace, the local gateway and VS Code in one command', function () {
  this.timeout(240_000);
  let stateDir: string;
  let child: ChildProcess | undefined;
  let session: BrowserSession | undefined;

  before(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-try-it-'));
  });

  after(async () => {
    await session?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints where VS Code is, runs a sample runbook from the CodeLens, and stops cleanly on Ctrl+C', async () => {
    const state = path.join(stateDir, 'state');
    child = spawn(process.execPath, [path.join(repoRoot, 'out/test/demo/tryIt.js'), '--vscode', 'code-server', '--port', '0', '--gateway-port', '0', '--state-dir', state], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const waitForOutput = watchOutput(child);
    const [, vscodeUrl, gatewayUrl] = await waitForOutput(/VS Code:\s+(\S+)\n\s+Gateway:\s+(\S+)/, 120_000);
    await waitForOutput(/Press Ctrl\+C to stop\./, 5_000);

    session = await launchBrowser();
    const workbench = await Workbench.open(session.page, vscodeUrl);
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.clickCodeLens('Run runbook', 60_000);
    const quick = workbench.quickPick;
    // Signed in already through the hoop CLI's environment: the first question is the connection.
    await quick.waitForStep('1/6');
    await quick.pick('bash-local');
    await quick.waitForStep('2/6');
    await quick.pick('scheduler');
    await quick.waitForStep('3/6');
    await quick.accept();
    await quick.waitForStep('4/6');
    await quick.type('oncall@acme.example');
    await quick.accept();
    await quick.waitForStep('5/6');
    await quick.type('correct horse');
    await quick.accept();
    // `npm start` keeps the summary step on, as a real user has it.
    await quick.waitForStep('6/6');
    assert.equal(await quick.placeholder(), 'Run restart-service.runbook.sh on bash-local — 4 parameters, 0 secrets');
    await quick.accept();
    assert.equal(await workbench.waitForStatusBar(/restart-service\.runbook\.sh: exit/, 60_000), 'restart-service.runbook.sh: exit 0');
    const transcript = await workbench.readOutputChannel('Hoop Runbooks');
    assert.match(transcript, /Restarting scheduler with 2 replicas\.\.\./);
    assert.match(transcript, /Status:\s+exit 0/);
    // A clean picture for the README: click into the transcript to drop the copy's selection.
    await workbench.page.locator('.part.panel .monaco-editor[data-uri^="output:"]').first().click({ position: { x: 80, y: 8 } });
    await workbench.screenshot('readme-run-restart-service');

    await session.close();
    session = undefined;
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.equal(fs.existsSync(state), false, 'the state folder is removed');
    assert.equal(await answers(vscodeUrl), false, 'code-server stopped');
    assert.equal(await answers(`${gatewayUrl}/api/serverinfo`), false, 'the gateway stopped');
  });
});
