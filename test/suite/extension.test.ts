import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/core/runOutcome';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { startSuiteGateway, testToken, transcriptText, workspaceUri } from './fixture';

const extensionId = 'hoop-runbooks.hoop-runbooks';

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Hoop Runbooks in the extension host', () => {
  let gateway: LocalGateway;

  before(async () => {
    gateway = await startSuiteGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  it('activates because the workspace contains runbooks', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    await waitFor('activation', () => extension.isActive);
  });

  it('registers every command it contributes', async () => {
    const contributed: string[] = vscode.extensions.getExtension(extensionId)!.packageJSON.contributes.commands.map((command: { command: string }) => command.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('provides a Run runbook CodeLens on runbook files and none on other files', async () => {
    // The CodeLens command reads the open model, so open both documents first.
    await vscode.workspace.openTextDocument(workspaceUri('ops/hello.runbook.sh'));
    await vscode.workspace.openTextDocument(workspaceUri('README.md'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceUri('ops/hello.runbook.sh'));
    const run = lenses.find((lens) => lens.command?.command === 'hoop.runRunbook');
    assert.ok(run, 'a hoop.runRunbook lens');
    assert.equal(run.range.start.line, 0);
    assert.equal((run.command!.arguments![0] as vscode.Uri).path, workspaceUri('ops/hello.runbook.sh').path);
    const readme = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceUri('README.md'));
    assert.equal(readme.filter((lens) => lens.command?.command.startsWith('hoop.')).length, 0);
  });

  it('runs a runbook through the command with arguments, reaching the gateway and writing the transcript', async () => {
    const uri = workspaceUri('ops/hello.runbook.sh');
    const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', uri, { connection: 'bash-local', parameters: { name: 'extension host' } });
    assert.equal(outcome?.kind, 'succeeded', JSON.stringify(outcome));
    assert.equal(outcome.kind === 'succeeded' && outcome.output, 'hello extension host\n');
    const exec = gateway.requests.find((request) => request.path === '/api/runbooks/exec');
    const body = exec?.body as Record<string, unknown>;
    assert.equal(body.file_name, 'ops/hello.runbook.sh');
    assert.equal(body.repository, 'github.com/acme/runbooks');
    assert.equal(body.connection_name, 'bash-local');
    assert.match(String(body.ref_hash), /^[0-9a-f]{40}$/);
    const transcript = await waitFor('the transcript', () => (transcriptText().includes('hello extension host') ? transcriptText() : undefined));
    assert.match(transcript, /Runbook:\s+ops\/hello\.runbook\.sh/);
    assert.match(transcript, /Connection:\s+bash-local/);
    assert.match(transcript, /Status:\s+exit 0/);
  });

  it('reports a failing runbook with its real exit code', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', workspaceUri('ops/fail.runbook.sh'), { connection: 'bash-local', parameters: {} });
    assert.equal(outcome?.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.exitCode, 3);
  });

  it('reports a review instead of success on a reviewed connection', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', workspaceUri('ops/hello.runbook.sh'), { connection: 'reviewed', parameters: { name: 'x' } });
    assert.equal(outcome?.kind, 'review');
    assert.match(outcome.kind === 'review' ? outcome.reviewUrl : '', new RegExp(`^${gateway.url}/sessions/`));
  });

  it('runs the file it is given, not the active editor', async () => {
    await vscode.window.showTextDocument(workspaceUri('README.md'));
    const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', workspaceUri('ops/fail.runbook.sh'), { connection: 'bash-local' });
    assert.equal(outcome?.kind, 'failed');
    const exec = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').pop();
    assert.equal((exec?.body as Record<string, unknown>).file_name, 'ops/fail.runbook.sh');
  });

  it('also takes a workspace-relative path, for tasks and keybindings', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', 'ops/hello.runbook.sh', { connection: 'bash-local', parameters: { name: 'task' } });
    assert.equal(outcome?.kind === 'succeeded' && outcome.output, 'hello task\n');
  });

  it('finds by itself that a gateway has only the legacy plugin route, and runs through it', async () => {
    const legacy = await startLocalGateway({
      api: 'legacy',
      users: { [testToken]: { email: 'suite@example.com', role: 'standard' } },
      repositories: [{ gitUrl: 'https://github.com/acme/runbooks.git', path: process.env.HOOP_TEST_BARE_DIR! }],
      connections: [{ name: 'bash-local', command: ['bash'] }],
    });
    const configuration = vscode.workspace.getConfiguration('hoop');
    try {
      await configuration.update('gatewayUrl', legacy.url, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('hoop.setToken', testToken);
      const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', workspaceUri('ops/hello.runbook.sh'), { connection: 'bash-local', parameters: { name: 'legacy' } });
      assert.equal(outcome?.kind === 'succeeded' && outcome.output, 'hello legacy\n');
      assert.ok(legacy.requests.some((request) => request.method === 'POST' && request.path === '/api/plugins/runbooks/connections/bash-local/exec'));
    } finally {
      await configuration.update('gatewayUrl', gateway.url, vscode.ConfigurationTarget.Global);
      await legacy.close();
    }
  });

  it('sends hoop.metadata plus the metadata given, and hoop.clientArgs to the connection command', async () => {
    const configuration = vscode.workspace.getConfiguration('hoop');
    await configuration.update('metadata', { team: 'sre' }, vscode.ConfigurationTarget.Global);
    await configuration.update('clientArgs', ['--dry-run'], vscode.ConfigurationTarget.Global);
    try {
      const outcome = await vscode.commands.executeCommand<RunOutcome>('hoop.runRunbook', workspaceUri('ops/args.runbook.sh'), { connection: 'needs-ticket', metadata: { ticket: 'OPS-7' } });
      assert.equal(outcome?.kind === 'succeeded' && outcome.output, 'args: --dry-run\n');
      const body = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').pop()?.body as Record<string, unknown>;
      assert.deepEqual(body.metadata, { team: 'sre', ticket: 'OPS-7' });
      assert.deepEqual(body.client_args, ['--dry-run']);
    } finally {
      await configuration.update('metadata', undefined, vscode.ConfigurationTarget.Global);
      await configuration.update('clientArgs', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('keeps the token out of settings', () => {
    const settings = JSON.stringify(vscode.workspace.getConfiguration('hoop'));
    assert.doesNotMatch(settings, new RegExp(testToken));
  });

  it('sends nothing for a file that is not a runbook', async () => {
    const before = gateway.requests.length;
    const outcome = await vscode.commands.executeCommand('hoop.runRunbook', workspaceUri('README.md'), { connection: 'bash-local' });
    assert.equal(outcome, undefined);
    assert.equal(gateway.requests.length, before);
  });

  it('refuses a gateway URL from workspace settings, so a cloned repo cannot redirect the token', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.getConfiguration('hoop').update('gatewayUrl', 'http://127.0.0.1:9/evil', vscode.ConfigurationTarget.Workspace)),
      /workspace/i,
    );
    assert.equal(vscode.workspace.getConfiguration('hoop').get('gatewayUrl'), gateway.url);
  });
});
