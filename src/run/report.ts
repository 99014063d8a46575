import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { Run, RunState } from '../core/run/run';
import { gatewayLink } from '../core/run/links';
import { batchSummary, renderRunDocument } from '../core/run/runPresentation';
import type { RunRegistry } from '../core/run/runRegistry';
import { sessionUrl } from '../core/runOutcome';
import type { TranscriptChannel } from '../transcriptChannel';

/**
 * The report phase, as an observer of the runs: a notification when a run needs the user (review,
 * approval) or ends, and its transcript written to the output channel as one block when it ends,
 * so concurrent runs never interleave. A batch reports once, with a summary.
 */
export class RunReporter implements vscode.Disposable {
  private readonly seen = new Map<string, RunState>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly registry: RunRegistry,
    private readonly transcript: TranscriptChannel,
  ) {
    registry.all.forEach((run) => this.seen.set(run.id, run.state));
    this.subscription = registry.onDidChange(() => registry.all.forEach((run) => this.observe(run)));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private observe(run: Run): void {
    const before = this.seen.get(run.id);
    if (before === run.state) {
      return;
    }
    this.seen.set(run.id, run.state);
    if (run.state === 'waitingForReview') {
      const review = gatewayLink(run.data.reviewUrl, run.data.gatewayUrl, run.data.sessionId);
      this.notify(run, 'warning', [...(review ? [openLink('Open Review', review)] : []), showOutput(run)]);
    } else if (run.state === 'approved') {
      this.notify(run, 'info', [command('Execute Now', commandIds.executeApproved, run), showOutput(run)]);
    } else if (run.ended) {
      this.transcript.appendBlock(renderRunDocument(run));
      if (run.data.batchId) {
        this.reportBatch(run.data.batchId);
      } else {
        this.notify(run, run.state === 'done' ? 'info' : run.state === 'failed' || run.state === 'unknown' ? 'error' : 'warning', [showOutput(run), ...sessionAction(run), command('Rerun', commandIds.rerun, run)]);
      }
    }
  }

  private reportBatch(batchId: string): void {
    const runs = this.registry.batch(batchId);
    if (runs.some((run) => !run.ended)) {
      return;
    }
    const summary = batchSummary(runs.map((run) => run.data));
    this.transcript.appendBlock(summary.text);
    const show = summary.allSucceeded ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(summary.headline, 'Show Runs').then((picked) => picked && vscode.commands.executeCommand('hoop.runs.focus'));
  }

  private notify(run: Run, level: 'info' | 'warning' | 'error', actions: Action[]): void {
    const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(run.data.message, ...actions.map((action) => action.title)).then((picked) => actions.find((action) => action.title === picked)?.run());
  }
}

interface Action {
  title: string;
  run: () => unknown;
}

function command(title: string, id: string, run: Run): Action {
  return { title, run: () => vscode.commands.executeCommand(id, run.id) };
}

function showOutput(run: Run): Action {
  return command('Show Output', commandIds.openRunOutput, run);
}

function openLink(title: string, url: string): Action {
  return { title, run: () => vscode.env.openExternal(vscode.Uri.parse(url)) };
}

function sessionAction(run: Run): Action[] {
  return run.data.sessionId ? [openLink('Open Session', sessionUrl(run.data.gatewayUrl, run.data.sessionId))] : [];
}
