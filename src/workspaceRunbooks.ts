import * as path from 'node:path';
import * as vscode from 'vscode';

/** hoop's rule: the file name contains ".runbook." (any extension). As a glob: */
export const runbookGlob = '**/*.runbook.*';

/** hoop's IsRunbookFile, here rather than imported from the template engine: the CodeLens needs it at activation, the engine not until a run. */
export function isRunbookUri(uri: vscode.Uri): boolean {
  return runbookDisplayName(uri).includes('.runbook.');
}

export async function findWorkspaceRunbooks(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(runbookGlob, '**/{node_modules,.git}/**');
  return uris.filter(isRunbookUri).sort((a, b) => relativeLabel(a).localeCompare(relativeLabel(b)));
}

/** The path shown to people: relative to its workspace folder (prefixed by the folder's name in multi-root workspaces). */
export function relativeLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

export function runbookDisplayName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}
