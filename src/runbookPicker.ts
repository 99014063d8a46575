import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, ConfigurationError } from './core/errors';
import { findWorkspaceRunbooks, isRunbookUri, relativeLabel } from './workspaceRunbooks';

/**
 * The runbook a command acts on: the clicked Uri, a path given as an argument,
 * or else the user's pick among the workspace's runbooks (the active editor's preselected).
 */
export async function resolveRunbookUri(target: unknown): Promise<vscode.Uri> {
  const uri = toUri(target) ?? (await pickWorkspaceRunbook());
  if (!isRunbookUri(uri)) {
    throw new ConfigurationError(`${relativeLabel(uri)} is not a runbook: hoop runs files whose name contains ".runbook.", like refund.runbook.sql.`);
  }
  return uri;
}

function toUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) {
    return target;
  }
  if (typeof target === 'string' && target) {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(target)) {
      return vscode.Uri.parse(target);
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    return path.isAbsolute(target) || !folder ? vscode.Uri.file(target) : vscode.Uri.joinPath(folder.uri, target);
  }
  return undefined;
}

/**
 * The runbook the user has in front of them: the focused editor's, else the editor area's active tab
 * (after a run, focus is often in the Output panel, whose editor is then the active text editor).
 */
function runbookInFront(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const candidates = [vscode.window.activeTextEditor?.document.uri, tab instanceof vscode.TabInputText ? tab.uri : undefined];
  return candidates.find((uri): uri is vscode.Uri => uri !== undefined && isRunbookUri(uri));
}

async function pickWorkspaceRunbook(): Promise<vscode.Uri> {
  const inFront = runbookInFront();
  const listed = await findWorkspaceRunbooks();
  // The one in front is offered even when git does not list it yet (new, not committed): running it explains why.
  const runbooks = inFront && !listed.some((uri) => uri.toString() === inFront.toString()) ? [inFront, ...listed] : listed;
  if (runbooks.length === 0) {
    throw new ConfigurationError('This workspace has no committed runbooks. hoop runbooks are files whose name contains ".runbook.", like ops/refund.runbook.sql, committed to the repository the gateway reads.');
  }
  const active = inFront?.toString();
  const items = runbooks.map((uri) => ({ label: path.posix.basename(uri.path), description: relativeLabel(uri), uri }));
  const activeItem = items.find((item) => item.uri.toString() === active);
  const quickPick = vscode.window.createQuickPick<(typeof items)[number]>();
  quickPick.title = 'Hoop: Run Runbook';
  quickPick.placeholder = 'Pick a runbook to run (type to search by path)';
  quickPick.matchOnDescription = true;
  quickPick.items = activeItem ? [activeItem, ...items.filter((item) => item !== activeItem)] : items;
  if (activeItem) {
    quickPick.activeItems = [activeItem];
  }
  try {
    return await new Promise<vscode.Uri>((resolve, reject) => {
      quickPick.onDidAccept(() => {
        const picked = quickPick.activeItems[0];
        if (picked) {
          resolve(picked.uri);
        }
      });
      quickPick.onDidHide(() => reject(new CancelledError()));
      quickPick.show();
    });
  } finally {
    quickPick.dispose();
  }
}
