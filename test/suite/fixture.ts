import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';

export const testToken = 'hpk_extension_host_suite';
export const extensionId = 'hoop-runbooks.hoop-runbooks';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through test/host/extensionHostTests.ts`);
  }
  return value;
}

/**
 * The workspace has two folders, clones made by the runner (test/host/extensionHostTests.ts): acme/runbooks
 * (bare remote in HOOP_TEST_BARE_DIR) and acme/platform (HOOP_TEST_PLATFORM_BARE_DIR). The suite starts a
 * local gateway serving both and points the extension at it.
 */
export async function startSuiteGateway(): Promise<LocalGateway> {
  const gateway = await startLocalGateway({
    users: { [testToken]: { email: 'suite@example.com', role: 'standard' } },
    repositories: [
      { gitUrl: 'https://github.com/acme/runbooks.git', path: requiredEnv('HOOP_TEST_BARE_DIR') },
      { gitUrl: 'https://github.com/acme/platform.git', path: requiredEnv('HOOP_TEST_PLATFORM_BARE_DIR') },
    ],
    connections: [
      { name: 'bash-local', subtype: 'custom', command: ['bash'] },
      { name: 'reviewed', subtype: 'custom', command: ['bash'], review: true },
      // `bash -s --` reads the runbook from stdin and takes client_args as $1, $2, …
      { name: 'needs-ticket', subtype: 'custom', command: ['bash', '-s', '--'], mandatoryMetadataFields: ['ticket'] },
    ],
    execWaitMs: 5_000,
  });
  await vscode.workspace.getConfiguration('hoop').update('gatewayUrl', gateway.url, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('hoop.setToken', testToken);
  return gateway;
}

/** An older gateway, with only the legacy plugin routes, serving acme/runbooks to the suite's token. */
export function startLegacyGateway(): Promise<LocalGateway> {
  return startLocalGateway({
    api: 'legacy',
    users: { [testToken]: { email: 'suite@example.com', role: 'standard' } },
    repositories: [{ gitUrl: 'https://github.com/acme/runbooks.git', path: requiredEnv('HOOP_TEST_BARE_DIR') }],
    connections: [{ name: 'bash-local', command: ['bash'] }],
  });
}

/** A path in the workspace's first folder (acme/runbooks), or in folder `folderIndex`. */
export function workspaceUri(relativePath: string, folderIndex = 0): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[folderIndex];
  if (!folder) {
    throw new Error(`the suite needs workspace folder ${folderIndex}`);
  }
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Runs git in the workspace folder `folderIndex` and returns its trimmed output. */
export function gitIn(folderIndex: number, ...args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceUri('', folderIndex).fsPath, encoding: 'utf8' }).trim();
}

/** Output channels are text documents with the `output` scheme; find ours by its content. */
export function transcriptText(): string {
  return vscode.workspace.textDocuments
    .filter((document) => document.uri.scheme === 'output')
    .map((document) => document.getText())
    .find((text) => text.includes('━━━')) ?? '';
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
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

/**
 * Runs a command that may ask something (an input box or a quick pick) and answers every question with
 * Escape, as a user who dismisses it, until the command settles. Resolves with what the command returned.
 */
export async function runDismissingPrompts<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => (settled = true));
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  return result;
}

/** The extension's log ("Hoop Runbooks Log") as written to its file in code-server's logs folder. */
export function extensionLogText(): string {
  const logs = path.join(requiredEnv('VSCODE_TEST_USER_DATA_DIR'), 'logs');
  const files = fs.existsSync(logs) ? (fs.readdirSync(logs, { recursive: true }) as string[]).filter((file) => path.basename(file) === 'Hoop Runbooks Log.log') : [];
  return files.map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n');
}

/** One stored item of the workbench's state (settings, each extension's global and workspace state). */
export interface StoredItem {
  database: string;
  key: string;
  value: string;
}

/** Everything the workbench stored in the browser, read by the runner (test/host/runExtensionHostSuite.ts). */
export async function browserState(): Promise<StoredItem[]> {
  const response = await fetch(requiredEnv('HOOP_TEST_BROWSER_STATE_URL'));
  const body = (await response.json()) as Record<string, Record<string, string>>;
  if (!response.ok) {
    throw new Error(`the runner could not read the browser's state: ${JSON.stringify(body)}`);
  }
  return Object.entries(body).flatMap(([database, items]) => Object.entries(items).map(([key, value]) => ({ database, key, value })));
}
