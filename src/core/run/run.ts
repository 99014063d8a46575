import type { AiAnalysis } from '../gatewayTypes';
import { TextTail } from './textTail';

/**
 * A run's life. `preparing` and `sending` happen before the gateway may have started anything;
 * every state from `running` on means a session may exist. The last five are ends.
 */
export type RunState =
  | 'preparing'
  | 'sending'
  | 'running'
  | 'waitingForReview'
  | 'approved'
  | 'done'
  | 'failed'
  | 'rejected'
  | 'killed'
  | 'unknown';

const endStates: ReadonlySet<RunState> = new Set(['done', 'failed', 'rejected', 'killed', 'unknown']);

export function isEndState(state: RunState): boolean {
  return endStates.has(state);
}

/** What a rerun needs, minus anything secret: password, file and asenv values and env var values are left out. */
export interface RunRecipe {
  uri: string;
  connection: string;
  /** Only values that may be remembered. */
  parameters: Record<string, string>;
  metadata: Record<string, string>;
}

/** Shown in the transcript header: safe parameter values (hoop stores them in the session's labels anyway). */
export interface RunSummary {
  fileName: string;
  repository: string;
  refHash: string;
  branch?: string;
  route: 'v2' | 'legacy';
  /** Name → shown value; hidden values read `(hidden)`. */
  parameters: Record<string, string>;
  envVarNames: string[];
  metadataKeys: string[];
  clientArgs: string[];
}

/** The plain data of a run, as history keeps it across restarts. */
export interface RunRecord {
  id: string;
  runbookName: string;
  connection: string;
  gatewayUrl: string;
  gatewayName?: string;
  state: RunState;
  /** One sentence for notifications, tooltips and the runs view. Never holds a secret. */
  message: string;
  startedAt: number;
  endedAt?: number;
  sessionId?: string;
  correlationId?: string;
  batchId?: string;
  exitCode?: number;
  reviewUrl?: string;
  reviewedBy?: string;
  jiraIssue?: { key: string; url?: string };
  /** The connection has a Jira issue template: the gateway creates an issue for the run. */
  jiraIssueExpected?: boolean;
  aiAnalysis?: AiAnalysis;
  /** The user stopped waiting: the run goes on at the gateway, followed in the background. */
  detached?: boolean;
  /** The user asked to kill before the session id was known; kill as soon as it is. */
  killRequested?: boolean;
  summary?: RunSummary;
  recipe?: RunRecipe;
}

type Listener = (run: Run) => void;

/** What a run keeps of its output: its last MiB of characters (hoop's web UI shows 512 KB); the full output stays in the session. */
export const runOutputMaxChars = 1024 * 1024;

/**
 * One run, observed by the status bar, the runs view, its output document and the notifications.
 * Output arrives already masked; the model never sees a secret value.
 */
export class Run {
  private record: RunRecord;
  private readonly outputTail: TextTail;
  private readonly listeners = new Set<Listener>();
  private readonly outputListeners = new Set<(appended: string) => void>();

  constructor(record: RunRecord, maxOutputChars = runOutputMaxChars) {
    this.record = { ...record };
    this.outputTail = new TextTail(maxOutputChars);
  }

  get data(): Readonly<RunRecord> {
    return this.record;
  }

  get id(): string {
    return this.record.id;
  }

  get state(): RunState {
    return this.record.state;
  }

  get ended(): boolean {
    return isEndState(this.record.state);
  }

  /** The output so far, masked; its start is dropped past the cap (the full output stays at the gateway). */
  get output(): string {
    return this.outputTail.text;
  }

  get outputCharsDropped(): number {
    return this.outputTail.charsDropped;
  }

  update(changes: Partial<RunRecord>): void {
    if (this.ended && changes.state && changes.state !== this.record.state) {
      return; // an end is final: a late poll must not reopen it
    }
    this.record = { ...this.record, ...changes };
    if (changes.state && isEndState(changes.state) && this.record.endedAt === undefined) {
      this.record.endedAt = Date.now();
    }
    this.emit();
  }

  appendOutput(text: string): void {
    if (!text) {
      return;
    }
    this.outputTail.append(text);
    this.outputListeners.forEach((listener) => listener(text));
  }

  /**
   * The authoritative output at the end (the exec answer's or the session's) replaces what streamed in.
   * `charsDroppedBefore`: what was cut from its start on the way (see TextTail).
   */
  replaceOutput(text: string, charsDroppedBefore = 0): void {
    this.outputTail.reset('', charsDroppedBefore);
    this.appendOutput(text);
    this.emit();
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onDidAppendOutput(listener: (appended: string) => void): { dispose(): void } {
    this.outputListeners.add(listener);
    return { dispose: () => this.outputListeners.delete(listener) };
  }

  private emit(): void {
    this.listeners.forEach((listener) => listener(this));
  }
}

/** Short label for the status bar and the runs view. */
export function stateLabel(run: Readonly<RunRecord>): string {
  switch (run.state) {
    case 'preparing':
      return 'preparing';
    case 'sending':
      return 'sending';
    case 'running':
      return run.detached ? 'running (not waiting)' : 'running';
    case 'waitingForReview':
      return 'waiting for review';
    case 'approved':
      return 'approved';
    case 'done':
      return run.exitCode === undefined ? 'done' : `exit ${run.exitCode}`;
    case 'failed':
      return run.exitCode === undefined ? 'failed' : `exit ${run.exitCode}`;
    case 'rejected':
      return 'rejected';
    case 'killed':
      return 'killed';
    case 'unknown':
      return 'unknown';
  }
}
