import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRunbookFile } from './core/runbookFile';

/** hoop's rule: the file name contains ".runbook." (any extension). As a glob: */
export const runbookGlob = '**/*.runbook.*';

export function isRunbookUri(uri: vscode.Uri): boolean {
  return isRunbookFile(uri.path);
}

export async function findWorkspaceRunbooks(): Promise<vscode.Uri[]> {
  const perFolder = await Promise.all((vscode.workspace.workspaceFolders ?? []).map(runbooksIn));
  // Once each, when one workspace folder is inside another.
  const unique = new Map(perFolder.flat().map((uri) => [uri.toString(), uri]));
  return [...unique.values()].filter(isRunbookUri).sort((a, b) => relativeLabel(a).localeCompare(relativeLabel(b)));
}

/** Where the folder is in a git repository, the runbooks committed there (quick, and what the gateway can have); else a search of the folder. */
async function runbooksIn(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  if (folder.uri.scheme === 'file') {
    const { listRunbookFiles } = await import('./core/git');
    const listed = await listRunbookFiles(folder.uri.fsPath);
    if (listed) return listed.map((file) => vscode.Uri.joinPath(folder.uri, file));
  }
  return vscode.workspace.findFiles(new vscode.RelativePattern(folder, runbookGlob), '**/{node_modules,.git}/**');
}

/** The path shown to people: relative to its workspace folder (prefixed by the folder's name in multi-root workspaces). */
export function relativeLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

export function runbookDisplayName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}
