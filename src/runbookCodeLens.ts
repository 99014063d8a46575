import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { runbookGlob } from './workspaceRunbooks';

/**
 * A "Run runbook" lens on the first line of every runbook. It reads no document text,
 * so nothing runs on the typing path.
 */
export class RunbookCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly listeners: vscode.Disposable;

  constructor(private readonly isEnabled: () => boolean) {
    this.listeners = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hoop.codeLens.enabled')) {
          this.changed.fire();
        }
      }),
      // Lenses are hidden in Restricted Mode and appear once the workspace is trusted.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.isEnabled() || !vscode.workspace.isTrusted) {
      return [];
    }
    const firstLine = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(firstLine, { title: '$(play) Run runbook', command: commandIds.runRunbook, arguments: [document.uri], tooltip: 'Run this runbook through the hoop gateway' }),
      new vscode.CodeLens(firstLine, {
        title: 'Run with environment…',
        command: commandIds.runRunbookWithEnvironment,
        arguments: [document.uri],
        tooltip: 'Run this runbook with extra environment variables or file secrets',
      }),
    ];
  }

  dispose(): void {
    this.listeners.dispose();
    this.changed.dispose();
  }
}

/** Files only: a run's `hoop-run:` document is named after the runbook too, and is not one. */
export function registerRunbookCodeLens(isEnabled: () => boolean): vscode.Disposable {
  const provider = new RunbookCodeLensProvider(isEnabled);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: runbookGlob }, provider));
}
