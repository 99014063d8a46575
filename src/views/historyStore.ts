import type * as vscode from 'vscode';
import type { RunRecord } from '../core/run/run';
import type { RunHistoryStore } from '../core/run/runRegistry';

const historyKey = 'hoop.runHistory';

/** Run history in VS Code's global state: per machine (not synced), so it survives reloads and restarts. */
export class GlobalStateHistoryStore implements RunHistoryStore {
  constructor(private readonly globalState: vscode.Memento) {}

  read(): RunRecord[] | undefined {
    return this.globalState.get<RunRecord[]>(historyKey);
  }

  write(records: RunRecord[]): PromiseLike<void> {
    return this.globalState.update(historyKey, records);
  }
}
