import { Run, type RunRecord } from './run';

/** Where history lives between sessions (VS Code's global state in the extension). */
export interface RunHistoryStore {
  read(): RunRecord[] | undefined;
  write(records: RunRecord[]): PromiseLike<void>;
}

export const maxHistoryEntries = 200;

/**
 * Every run this window knows, newest first: those going on and the history kept across restarts.
 * History records hold no secret (see RunRecord); output is not kept, the gateway's session has it.
 */
export class RunRegistry {
  private readonly runs: Run[] = [];
  private readonly listeners = new Set<() => void>();
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly store: RunHistoryStore) {
    for (const record of store.read() ?? []) {
      if (isRunRecord(record)) {
        this.runs.push(new Run(interruptedSend(record)));
      }
    }
  }

  get all(): readonly Run[] {
    return this.runs;
  }

  get active(): Run[] {
    return this.runs.filter((run) => !run.ended);
  }

  get(id: string): Run | undefined {
    return this.runs.find((run) => run.id === id);
  }

  /** The newest run with a recipe, for "Rerun Last". */
  get lastRerunnable(): Run | undefined {
    return this.runs.find((run) => run.data.recipe !== undefined);
  }

  batch(batchId: string): Run[] {
    return this.runs.filter((run) => run.data.batchId === batchId);
  }

  add(run: Run): Run {
    this.runs.unshift(run);
    run.onDidChange(() => this.changed());
    this.trim();
    this.changed();
    return run;
  }

  remove(id: string): void {
    const index = this.runs.findIndex((run) => run.id === id);
    if (index >= 0) {
      this.runs.splice(index, 1);
      this.changed();
    }
  }

  /** Clear History: ended runs go; runs still going stay. */
  clearEnded(): void {
    const going = this.runs.filter((run) => !run.ended);
    this.runs.splice(0, this.runs.length, ...going);
    this.changed();
  }

  /** Runs that were still going when the window closed: the runs view resumes following them. */
  unfinishedFromHistory(): Run[] {
    return this.runs.filter((run) => !run.ended && run.data.sessionId !== undefined);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves once the last change is written. */
  flush(): Promise<void> {
    return this.saving;
  }

  private trim(): void {
    while (this.runs.length > maxHistoryEntries) {
      const oldestEnded = this.runs.map((run) => run.ended).lastIndexOf(true);
      this.runs.splice(oldestEnded >= 0 ? oldestEnded : this.runs.length - 1, 1);
    }
  }

  private changed(): void {
    const records = this.runs.filter((run) => run.state !== 'preparing').map((run) => run.data);
    this.saving = this.saving.then(() => this.store.write(records as RunRecord[]));
    this.listeners.forEach((listener) => listener());
  }
}

const knownStates: ReadonlySet<string> = new Set(['preparing', 'sending', 'running', 'waitingForReview', 'approved', 'done', 'failed', 'rejected', 'killed', 'unknown']);

function isRunRecord(value: unknown): value is RunRecord {
  const record = value as Partial<RunRecord> | undefined;
  return typeof record?.id === 'string' && typeof record.runbookName === 'string' && typeof record.startedAt === 'number' && knownStates.has(String(record.state));
}

/** A window that closed while sending cannot know whether the gateway got the request. */
function interruptedSend(record: RunRecord): RunRecord {
  if ((record.state === 'sending' || record.state === 'preparing') && record.sessionId === undefined) {
    return { ...record, state: 'unknown', message: `VS Code closed while ${record.runbookName} was being sent: it may have run. Check the gateway's sessions.` };
  }
  return record;
}
