import * as vscode from 'vscode';
import { describeOutcome, outcomeLabel, type RunOutcome } from './core/runOutcome';
import { commandIds } from './commandIds';

const outcomeIcon: Record<RunOutcome['kind'], string> = {
  succeeded: '$(pass)',
  failed: '$(error)',
  gatewayFailed: '$(error)',
  review: '$(eye)',
  aiReview: '$(eye)',
  blocked: '$(circle-slash)',
  running: '$(clock)',
  unknown: '$(question)',
};

/** One status bar item: a spinner while a runbook runs (click cancels), then its result (click shows the transcript). */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hoop.runStatus', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Hoop Runbook';
  }

  showRunning(runbookName: string): void {
    this.item.text = `$(sync~spin) ${runbookName}`;
    this.item.tooltip = `Running ${runbookName} on the hoop gateway. Click to cancel.`;
    this.item.command = commandIds.cancelRun;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  showOutcome(runbookName: string, outcome: RunOutcome): void {
    this.item.text = `${outcomeIcon[outcome.kind]} ${runbookName}: ${outcomeLabel(outcome)}`;
    this.item.tooltip = `${describeOutcome(outcome, runbookName)} Click to show the transcript.`;
    this.item.command = commandIds.showTranscript;
    this.item.backgroundColor =
      outcome.kind === 'succeeded'
        ? undefined
        : new vscode.ThemeColor(outcome.kind === 'failed' || outcome.kind === 'gatewayFailed' || outcome.kind === 'blocked' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.show();
  }

  /** The user stopped waiting for the gateway's answer; the run itself may go on there. */
  showStoppedWaiting(runbookName: string, summary: string): void {
    this.item.text = `$(debug-stop) ${runbookName}: stopped waiting`;
    this.item.tooltip = `${summary} Click to show the transcript.`;
    this.item.command = commandIds.showTranscript;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  showError(runbookName: string, summary: string): void {
    this.item.text = `$(error) ${runbookName}: error`;
    this.item.tooltip = `${summary} Click to show the transcript.`;
    this.item.command = commandIds.showTranscript;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
