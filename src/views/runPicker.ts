import * as vscode from 'vscode';
import type { Run } from '../core/run/run';
import type { RunRegistry } from '../core/run/runRegistry';
import { describeRun, isGoingOn, runIcon } from '../core/run/runPresentation';

interface RunPick extends vscode.QuickPickItem {
  run?: Run;
}

function toPick(run: Run, now: number): RunPick {
  const text = describeRun(run.data, now);
  return { label: `$(${runIcon(run.data).id}) ${text.label}`, description: text.description, run };
}

/**
 * For a run command called without a run (palette, status bar with several runs): a quick pick of
 * the runs that `accepts`, those going on first. Undefined when there is none or the user cancels.
 */
export async function pickRun(registry: RunRegistry, placeHolder: string, accepts: (run: Run) => boolean = () => true): Promise<Run | undefined> {
  const now = Date.now();
  const candidates = registry.all.filter(accepts);
  if (candidates.length <= 1) {
    return candidates[0];
  }
  const goingOn = candidates.filter((run) => isGoingOn(run.data));
  const others = candidates.filter((run) => !isGoingOn(run.data));
  const items: RunPick[] = [
    ...(goingOn.length ? [{ label: 'Going on', kind: vscode.QuickPickItemKind.Separator }, ...goingOn.map((run) => toPick(run, now))] : []),
    ...(others.length ? [{ label: 'Earlier', kind: vscode.QuickPickItemKind.Separator }, ...others.map((run) => toPick(run, now))] : []),
  ];
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.run;
}
