import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import { stateLabel } from '../core/run/run';
import type { RunRegistry } from '../core/run/runRegistry';
import { isGoingOn, runIcon, runSeverity } from '../core/run/runPresentation';

const severityColor = {
  none: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

/**
 * One status bar item observing the registry: the runs going on (a spinner and their count, or the
 * one run's name), else the latest result. Hidden until a run starts in this window.
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
    const runs = this.registry.all;
    const goingOn = runs.filter((run) => isGoingOn(run.data));
    if (goingOn.length > 1) {
      this.item.text = `$(sync~spin) ${goingOn.length} running`;
      this.item.tooltip = `${goingOn.map((run) => `${run.data.runbookName} on ${run.data.connection}: ${stateLabel(run.data)}`).join('\n')}\nClick to pick one and open its output.`;
      this.item.command = commandIds.openRunOutput;
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const shown = goingOn[0] ?? latestResult(runs.filter((run) => !this.fromHistory.has(run.id)));
    if (!shown) {
      this.item.hide();
      return;
    }
    const record = shown.data;
    this.item.text = `$(${runIcon(record).id}) ${record.runbookName}: ${stateLabel(record)}`;
    this.item.tooltip = `${record.message}\nClick to open its output.`;
    this.item.command = { command: commandIds.openRunOutput, title: 'Open Run Output', arguments: [shown.id] };
    this.item.backgroundColor = severityColor[runSeverity(record)];
    this.item.show();
  }
}

/** The run whose last news (its end, or its start) is the latest. */
function latestResult<R extends { data: { startedAt: number; endedAt?: number } }>(runs: readonly R[]): R | undefined {
  const newsAt = (run: R) => run.data.endedAt ?? run.data.startedAt;
  return runs.reduce<R | undefined>((latest, run) => (!latest || newsAt(run) > newsAt(latest) ? run : latest), undefined);
}
