// Settings and commands a user reaches for, each observed where it shows: what the local gateway
// received, what VS Code renders, what the run returns.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/run/runFlow';
import type { LocalGateway, RecordedRequest } from '../gateway/localGateway';
import { extensionLogText, gitIn, runDismissingPrompts, startLegacyGateway, startSuiteGateway, testToken, waitFor, workspaceUri } from './fixture';

type ExecBody = Record<string, unknown>;

/** Sets user-level hoop.* settings for the body, then restores each to unset. */
async function withSettings<T>(values: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const configuration = vscode.workspace.getConfiguration('hoop');
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, configuration.inspect(key)?.globalValue]));
  for (const [key, value] of Object.entries(values)) {
    await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  }
  try {
    return await body();
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      await configuration.update(key, value, vscode.ConfigurationTarget.Global);
    }
  }
}

/** A prompt these runs should not show (e.g. for a token) is dismissed, so the test fails instead of hanging. */
function runRunbook(uri: vscode.Uri, options: Record<string, unknown>): Promise<RunResult | undefined> {
  return runDismissingPrompts<RunResult>('hoop.runRunbook', uri, options);
}

/** Asserts a run succeeded with this output; else shows what the extension logged (the error a user was shown). */
function assertOutput(outcome: RunResult | undefined, expected: string): void {
  if (outcome?.state !== 'done' || outcome.output !== expected) {
    assert.fail(`expected output ${JSON.stringify(expected)}, got ${JSON.stringify(outcome)}; the log ends:\n${extensionLogText().split('\n').slice(-8).join('\n')}`);
  }
}

describe('settings and commands', () => {
  let gateway: LocalGateway;
  const hello = () => workspaceUri('ops/hello.runbook.sh');
  const execRequests = (since: number, on: LocalGateway = gateway): RecordedRequest[] =>
    on.requests.slice(since).filter((request) => request.method === 'POST' && request.path.endsWith('/exec'));

  before(async () => {
    gateway = await startSuiteGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  it('hoop.apiRoute "legacy" sends exec to the plugin route of a gateway that auto-detection finds V2', async () => {
    const since = gateway.requests.length;
    // This gateway has no runbooks plugin: the run fails with its 404, which is the point here.
    await withSettings({ apiRoute: 'legacy' }, () => runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'legacy route' } }));
    assert.deepEqual(execRequests(since).map((request) => request.path), ['/api/plugins/runbooks/connections/bash-local/exec']);
  });

  it('hoop.apiRoute "v2" sends exec to /api/runbooks/exec of a gateway that auto-detection finds legacy', async () => {
    const legacy = await startLegacyGateway();
    try {
      await withSettings({ gatewayUrl: legacy.url, apiRoute: 'v2' }, async () => {
        await vscode.commands.executeCommand('hoop.setToken', testToken);
        // The gateway has no such route: the run fails with its 404, which is the point here.
        await runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'v2 route' } });
      });
      assert.deepEqual(execRequests(0, legacy).map((request) => request.path), ['/api/runbooks/exec']);
    } finally {
      await legacy.close();
    }
  });

  it('hoop.codeLens.enabled false removes the Run runbook CodeLens, and true brings it back', async () => {
    await vscode.workspace.openTextDocument(hello());
    const hoopLenses = async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', hello())).filter((lens) => lens.command?.command.startsWith('hoop.'));
    await withSettings({ 'codeLens.enabled': false }, async () => {
      assert.deepEqual(await hoopLenses(), []);
    });
    assert.ok((await hoopLenses()).some((lens) => lens.command?.command === 'hoop.runRunbook'));
  });

  it('hoop.execTimeoutSeconds below its 120 s minimum still waits for a run that takes longer than the value', async () => {
    const outcome = await withSettings({ execTimeoutSeconds: 1 }, () => runRunbook(workspaceUri('ops/slow.runbook.sh'), { connection: 'bash-local' }));
    assertOutput(outcome, 'slow done\n');
  });

  it('Remove API Key or Token deletes the stored token: the next run asks for one and sends nothing when dismissed', async () => {
    await vscode.commands.executeCommand('hoop.clearToken');
    try {
      const since = gateway.requests.length;
      const outcome = await runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'no token' } });
      assert.equal(outcome, undefined);
      // Sign In asks the gateway how its users sign in (no credentials); nothing else is sent.
      assert.deepEqual(gateway.requests.slice(since).map((request) => `${request.method} ${request.path} ${request.headers.authorization ?? 'no credentials'}`), ['GET /api/publicserverinfo no credentials'], 'nothing but the sign-in method question reaches the gateway without a token');
    } finally {
      await vscode.commands.executeCommand('hoop.setToken', testToken);
    }
    const outcome = await runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'token again' } });
    assertOutput(outcome, 'hello token again\n');
  });

  it("uses the hoop CLI's token from ~/.hoop/config.toml for the same gateway when none is stored", async () => {
    assert.match(os.homedir(), /hoop-suite-/, 'the runner gives the extension host a throwaway HOME');
    const configDir = path.join(os.homedir(), '.hoop');
    await vscode.commands.executeCommand('hoop.clearToken');
    fs.mkdirSync(configDir, { recursive: true });
    // As `hoop login` writes it.
    fs.writeFileSync(path.join(configDir, 'config.toml'), `api_url = "${gateway.url}"\ngrpc_url = "127.0.0.1:8010"\ntoken = "${testToken}"\nmode = "local"\n`);
    try {
      const since = gateway.requests.length;
      const outcome = await runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'the CLI' } });
      assertOutput(outcome, 'hello the CLI\n');
      assert.equal(execRequests(since)[0]?.headers.authorization, 'Bearer');
    } finally {
      fs.rmSync(configDir, { recursive: true, force: true });
      await vscode.commands.executeCommand('hoop.setToken', testToken);
    }
  });

  it('Show Runbook Output brings the transcript into view', async () => {
    await runRunbook(hello(), { connection: 'bash-local', parameters: { name: 'shown' } });
    const visibleTexts = () => vscode.window.visibleTextEditors.map((editor) => editor.document.getText());
    const other = vscode.window.createOutputChannel('Suite: another channel');
    try {
      other.appendLine('another channel in front');
      other.show();
      await waitFor('another output channel in front of the transcript', () =>
        visibleTexts().some((text) => text.includes('another channel in front')) && !visibleTexts().some((text) => text.includes('hello shown')),
      );
      await vscode.commands.executeCommand('hoop.showTranscript');
      await waitFor('the transcript in view', () => visibleTexts().some((text) => text.includes('hello shown')));
    } finally {
      other.dispose();
    }
  });

  it('runs a runbook of the second workspace folder with that folder\'s repository and a path relative to it', async () => {
    const since = gateway.requests.length;
    const outcome = await runRunbook(workspaceUri('deploy/rollout.runbook.sh', 1), { connection: 'bash-local', parameters: { service: 'worker' } });
    assertOutput(outcome, 'rolling out worker\n');
    const body = execRequests(since).at(-1)?.body as ExecBody;
    assert.equal(body.repository, 'github.com/acme/platform');
    assert.equal(body.file_name, 'deploy/rollout.runbook.sh');
  });

  it('asks for the parameters the local file declares when the gateway does not list the runbook', async () => {
    const fileName = 'deploy/canary.runbook.sh';
    fs.writeFileSync(workspaceUri(fileName, 1).fsPath, 'echo "canary at {{ .percent | required "percent is required" | description "Traffic percentage" }}%"\n');
    gitIn(1, 'add', fileName);
    // Committed, not pushed: the gateway's copy of the repository does not have it.
    gitIn(1, 'commit', '--quiet', '-m', 'Add a canary runbook');
    try {
      const since = gateway.requests.length;
      const dismissed = await runRunbook(workspaceUri(fileName, 1), { connection: 'bash-local', skipGitWarnings: true });
      assert.equal(dismissed, undefined);
      assert.ok(gateway.requests.slice(since).some((request) => request.path === '/api/runbooks'), 'it read the gateway\'s listing first');
      assert.deepEqual(execRequests(since), [], 'it asked for "percent" (dismissed) instead of sending without it');
      await waitFor('the log to say where the parameters came from', () =>
        extensionLogText().includes(`The gateway does not list ${fileName}; its parameters come from the local file.`),
      );

      // Given the value, it sends it; the gateway, lacking the commit, answers that it has no such file.
      await runRunbook(workspaceUri(fileName, 1), { connection: 'bash-local', parameters: { percent: '5' }, skipGitWarnings: true });
      const body = execRequests(since).at(-1)?.body as ExecBody;
      assert.equal(body.file_name, fileName);
      assert.deepEqual(body.parameters, { percent: '5' });
    } finally {
      gitIn(1, 'reset', '--quiet', '--hard', 'HEAD~1');
    }
  });
});
