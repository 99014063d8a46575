import type * as vscode from 'vscode';
import type { RunRecord } from '../core/run/run';
import type { RunHistoryStore } from '../core/run/runRegistry';

const historyKey = 'hoop.runHistory';

/** Run history in VS Code's global state: per machine (not synced), so it survives reloads and restarts. */
export function globalStateHistory(globalState: vscode.Memento): RunHistoryStore {
  return {
    read: () => globalState.get<RunRecord[]>(historyKey),
    write: (records) => globalState.update(historyKey, records),
  };
}
