import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { RunRegistry } from '../core/run/runRegistry';
import { statusBarView } from '../core/run/runPresentation';

const severityColor = {
  none: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

/**
 * One status bar item observing the registry: the runs going on, else the latest result; a click
 * opens that run's output. Hidden until a run starts in this window.
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hoop.runStatus', vscode.StatusBarAlignment.Left, 50);
  /** Runs from history: an old result alone does not bring the item up after a restart. */
  private readonly fromHistory: ReadonlySet<string>;
  private readonly subscription: { dispose(): void };

  constructor(private readonly registry: RunRegistry) {
    this.item.name = 'Hoop Runbook';
    this.fromHistory = new Set(registry.all.map((run) => run.id));
    this.subscription = registry.onDidChange(() => this.update());
    this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const view = statusBarView(
      this.registry.all.map((run) => run.data),
      (record) => !this.fromHistory.has(record.id),
    );
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    // Without a run id, Open Run Output asks which run.
    this.item.command = { command: commandIds.openRunOutput, title: 'Open Run Output', arguments: view.runId === undefined ? [] : [view.runId] };
    this.item.backgroundColor = severityColor[view.severity];
    this.item.show();
  }
}
