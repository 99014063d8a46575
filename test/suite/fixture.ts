import * as vscode from 'vscode';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';

export const testToken = 'hpk_extension_host_suite';

/**
 * The workspace is a clone made by the runner (test/host/extensionHostTests.ts); its bare remote is in
 * HOOP_TEST_BARE_DIR. The suite starts a local gateway serving that remote and points the extension at it.
 */
export async function startSuiteGateway(): Promise<LocalGateway> {
  const bareDir = process.env.HOOP_TEST_BARE_DIR;
  if (!bareDir) {
    throw new Error('HOOP_TEST_BARE_DIR is not set: run this suite through test/host/extensionHostTests.ts');
  }
  const gateway = await startLocalGateway({
    users: { [testToken]: { email: 'suite@example.com', role: 'standard' } },
    repositories: [{ gitUrl: 'https://github.com/acme/runbooks.git', path: bareDir }],
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

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('the suite needs a workspace folder');
  }
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Output channels are text documents with the `output` scheme; find ours by its content. */
export function transcriptText(): string {
  return vscode.workspace.textDocuments
    .filter((document) => document.uri.scheme === 'output')
    .map((document) => document.getText())
    .find((text) => text.includes('━━━')) ?? '';
}
