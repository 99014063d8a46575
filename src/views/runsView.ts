import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { RunRegistry } from '../core/run/runRegistry';
import {
  batchIcon,
  describeBatch,
  describeRun,
  groupRuns,
  isGoingOn,
  runContextValue,
  runIcon,
  runTooltipMarkdown,
  type RunIcon,
  type RunsTreeElement,
} from '../core/run/runPresentation';

/** Command handlers unwrap what a menu passes with `runIdOf`. */
export { runIdOf, type RunsTreeElement } from '../core/run/runPresentation';

export const runsViewId = 'hoop.runs';

function themeIcon(icon: RunIcon): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

/**
 * The Runs view: every run of the registry, newest first, batches grouped. It only observes the
 * registry; its items' actions are commands that take the run id (see `runIdOf`).
 */
export class RunsView implements vscode.TreeDataProvider<RunsTreeElement>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly treeView: vscode.TreeView<RunsTreeElement>;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly registry: RunRegistry) {
    this.treeView = vscode.window.createTreeView(runsViewId, { treeDataProvider: this });
    const subscription = registry.onDidChange(() => this.scheduleRefresh());
    // "5 min ago" goes stale while nothing runs: recompute whenever the view comes back into sight.
    const visibility = this.treeView.onDidChangeVisibility((event) => event.visible && this.changeEmitter.fire());
    this.disposables.push(this.treeView, this.changeEmitter, visibility, { dispose: () => subscription.dispose() });
    this.update();
  }

  getChildren(element?: RunsTreeElement): RunsTreeElement[] {
    if (!element) {
      return groupRuns(this.registry.all).map((node) => (node.kind === 'run' ? { kind: 'run', runId: node.run.id } : { kind: 'batch', batchId: node.batchId }));
    }
    return element.kind === 'batch' ? this.registry.batch(element.batchId).map((run) => ({ kind: 'run', runId: run.id })) : [];
  }

  getTreeItem(element: RunsTreeElement): vscode.TreeItem {
    const now = Date.now();
    if (element.kind === 'batch') {
      const records = this.registry.batch(element.batchId).map((run) => run.data);
      const text = describeBatch(records);
      const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `batch:${element.batchId}`;
      item.description = text.description;
      item.iconPath = themeIcon(batchIcon(records));
      item.contextValue = 'hoopRunBatch';
      return item;
    }
    const run = this.registry.get(element.runId);
    if (!run) {
      return new vscode.TreeItem('(removed)');
    }
    const text = describeRun(run.data, now, run.data.batchId !== undefined && this.registry.batch(run.data.batchId).length > 1);
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = run.id;
    item.description = text.description;
    item.iconPath = themeIcon(runIcon(run.data));
    item.tooltip = new vscode.MarkdownString(runTooltipMarkdown(run.data, now));
    item.contextValue = runContextValue(run.data);
    item.command = { command: commandIds.openRunOutput, title: 'Open Run Output', arguments: [run.id] };
    return item;
  }

  getParent(element: RunsTreeElement): RunsTreeElement | undefined {
    const batchId = element.kind === 'run' ? this.registry.get(element.runId)?.data.batchId : undefined;
    return batchId !== undefined && this.registry.batch(batchId).length > 1 ? { kind: 'batch', batchId } : undefined;
  }

  /** Selects the run in the view (e.g. after starting it), without taking the focus. */
  reveal(runId: string): Thenable<void> {
    return this.treeView.reveal({ kind: 'run', runId }, { select: true, focus: false });
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearInterval(this.ticker);
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  /** Coalesces bursts (a batch of runs changing at once) into one refresh. */
  private scheduleRefresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    this.changeEmitter.fire();
    const goingOn = this.registry.all.filter((run) => isGoingOn(run.data)).length;
    this.treeView.badge = goingOn ? { value: goingOn, tooltip: `${goingOn} ${goingOn === 1 ? 'run' : 'runs'} going on` } : undefined;
    void vscode.commands.executeCommand('setContext', 'hoop.hasRunGoingOn', goingOn > 0);
    void vscode.commands.executeCommand('setContext', 'hoop.hasApprovedRun', this.registry.all.some((run) => run.state === 'approved'));
    void vscode.commands.executeCommand('setContext', 'hoop.hasRunHistory', this.registry.all.length > 0);
    // Durations of runs going on tick; the timer runs only while there are any.
    if (goingOn && !this.ticker) {
      this.ticker = setInterval(() => this.changeEmitter.fire(), 1000);
    } else if (!goingOn && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
