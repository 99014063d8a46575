import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/run/runFlow';
import type { LocalGateway } from '../gateway/localGateway';
import { extensionId, gitIn, runDismissingPrompts, startLegacyGateway, startSuiteGateway, testToken, transcriptText, waitFor, workspaceUri } from './fixture';
import { bundleParts, hasLoaded } from './loadedCode';

/** A server a hostile repository could name: it records every request's headers and answers nothing useful. */
async function startRecordingServer(): Promise<{ url: string; requests: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Hoop Runbooks in the extension host', () => {
  let gateway: LocalGateway;

  before(async () => {
    gateway = await startSuiteGateway();
  });
  after(async () => {
    await gateway?.close();
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
    const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', uri, { connection: 'bash-local', parameters: { name: 'extension host' } });
    assert.equal(outcome?.state, 'done', JSON.stringify(outcome));
    assert.equal(outcome.state === 'done' && outcome.output, 'hello extension host\n');
    const exec = gateway.requests.find((request) => request.path === '/api/runbooks/exec');
    const body = exec?.body as Record<string, unknown>;
    assert.equal(body.file_name, 'ops/hello.runbook.sh');
    assert.equal(body.repository, 'github.com/acme/runbooks');
    assert.equal(body.connection_name, 'bash-local');
    assert.match(String(body.ref_hash), /^[0-9a-f]{40}$/);
    await vscode.commands.executeCommand('hoop.showTranscript');
    const transcript = await waitFor('the transcript', () => (transcriptText().includes('hello extension host') ? transcriptText() : undefined));
    assert.match(transcript, /Runbook:\s+ops\/hello\.runbook\.sh/);
    assert.match(transcript, /Connection:\s+bash-local/);
    assert.match(transcript, /Status:\s+exit 0/);
  });

  it('has loaded the HTTP client and the template engine once a runbook ran (the activation test sees what it checks)', async () => {
    for (const part of bundleParts) {
      assert.equal(await hasLoaded(part), true, `a run did not load ${part}, or the check cannot see it`);
    }
  });

  it('reports a failing runbook with its real exit code', async () => {
    const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri('ops/fail.runbook.sh'), { connection: 'bash-local', parameters: {} });
    assert.equal(outcome?.state, 'failed');
    assert.equal(outcome.state === 'failed' && outcome.exitCode, 3);
  });

  it('reports a review instead of success on a reviewed connection', async () => {
    const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri('ops/hello.runbook.sh'), { connection: 'reviewed', parameters: { name: 'x' } });
    assert.equal(outcome?.state, 'waitingForReview');
    assert.match(outcome.state === 'waitingForReview' ? (outcome.reviewUrl ?? '') : '', new RegExp(`^${gateway.url}/sessions/`));
  });

  it('runs the file it is given, not the active editor', async () => {
    await vscode.window.showTextDocument(workspaceUri('README.md'));
    const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri('ops/fail.runbook.sh'), { connection: 'bash-local' });
    assert.equal(outcome?.state, 'failed');
    const exec = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').pop();
    assert.equal((exec?.body as Record<string, unknown>).file_name, 'ops/fail.runbook.sh');
  });

  it('also takes a workspace-relative path, for tasks and keybindings', async () => {
    const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', 'ops/hello.runbook.sh', { connection: 'bash-local', parameters: { name: 'task' } });
    assert.equal(outcome?.state === 'done' && outcome.output, 'hello task\n');
  });

  it('finds by itself that a gateway has only the legacy plugin route, and runs through it', async () => {
    const legacy = await startLegacyGateway();
    const configuration = vscode.workspace.getConfiguration('hoop');
    try {
      await configuration.update('gatewayUrl', legacy.url, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('hoop.setToken', testToken);
      const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri('ops/hello.runbook.sh'), { connection: 'bash-local', parameters: { name: 'legacy' } });
      assert.equal(outcome?.state === 'done' && outcome.output, 'hello legacy\n');
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
      const outcome = await vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri('ops/args.runbook.sh'), { connection: 'needs-ticket', metadata: { ticket: 'OPS-7' } });
      assert.equal(outcome?.state === 'done' && outcome.output, 'args: --dry-run\n');
      const body = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').pop()?.body as Record<string, unknown>;
      assert.deepEqual(body.metadata, { team: 'sre', ticket: 'OPS-7' });
      assert.deepEqual(body.client_args, ['--dry-run']);
    } finally {
      await configuration.update('metadata', undefined, vscode.ConfigurationTarget.Global);
      await configuration.update('clientArgs', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('sends nothing for a file that is not a runbook', async () => {
    const before = gateway.requests.length;
    const outcome = await vscode.commands.executeCommand('hoop.runRunbook', workspaceUri('README.md'), { connection: 'bash-local' });
    assert.equal(outcome, undefined);
    assert.equal(gateway.requests.length, before);
  });

  it('sends the token only to the user-level gateway, even when the repository\'s settings name another', async () => {
    const hostile = await startRecordingServer();
    const workspaceFile = vscode.workspace.workspaceFile;
    assert.ok(workspaceFile, 'the suite runs in a multi-root workspace (a .code-workspace file)');
    const workspaceFileText = fs.readFileSync(workspaceFile.fsPath, 'utf8');
    // A repository can ship both. Each also sets a harmless setting that VS Code does apply from it,
    // which proves the file was read while the gateway URL in it was not used.
    fs.writeFileSync(
      workspaceFile.fsPath,
      JSON.stringify({ ...JSON.parse(workspaceFileText), settings: { 'hoop.gatewayUrl': hostile.url, 'hoop.metadata': { source: 'workspace file' } } }),
    );
    fs.mkdirSync(workspaceUri('.vscode').fsPath, { recursive: true });
    fs.writeFileSync(workspaceUri('.vscode/settings.json').fsPath, JSON.stringify({ 'hoop.gatewayUrl': hostile.url, 'editor.tabSize': 7 }));
    gitIn(0, 'add', '.vscode/settings.json');
    gitIn(0, 'commit', '--quiet', '-m', 'A repository that names its own gateway');
    gitIn(0, 'push', '--quiet', 'origin', 'HEAD:main');
    try {
      await waitFor('VS Code to read both settings files', () =>
        vscode.workspace.getConfiguration('hoop').get<Record<string, string>>('metadata')?.source === 'workspace file' &&
        vscode.workspace.getConfiguration('editor', workspaceUri('ops/hello.runbook.sh')).get('tabSize') === 7,
      );
      const sentBefore = gateway.requests.length;
      // A token prompt (for the other gateway) is dismissed, so a redirect fails the test instead of hanging it.
      const outcome = await runDismissingPrompts<RunResult>('hoop.runRunbook', workspaceUri('ops/hello.runbook.sh'), { connection: 'bash-local', parameters: { name: 'redirected?' } });
      assert.equal(outcome?.state === 'done' && outcome.output, 'hello redirected?\n', JSON.stringify(outcome));
      const exec = gateway.requests.slice(sentBefore).find((request) => request.path === '/api/runbooks/exec');
      assert.deepEqual((exec?.body as Record<string, unknown>).metadata, { source: 'workspace file' }, 'the run went to the user-level gateway, with the workspace file in force');
      assert.deepEqual(hostile.requests, [], 'the gateway the repository names received nothing, so no Authorization either');
    } finally {
      fs.writeFileSync(workspaceFile.fsPath, workspaceFileText);
      gitIn(0, 'rm', '--quiet', '.vscode/settings.json');
      gitIn(0, 'commit', '--quiet', '-m', 'Remove the repository settings');
      gitIn(0, 'push', '--quiet', 'origin', 'HEAD:main');
      await hostile.close();
      await waitFor('the workspace file\'s settings to be gone', () => vscode.workspace.getConfiguration('hoop').get<Record<string, string>>('metadata')?.source === undefined);
    }
  });
});
