import type { Principal } from './auth';
import type { RunningExec } from './executor';

export type SessionStatus = 'open' | 'ready' | 'done';
export type ReviewStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED' | 'PROCESSING' | 'EXECUTED';

export interface AiAnalysis {
  risk_level: string;
  title: string;
  explanation: string;
  action: 'allow_execution' | 'block_execution' | 'require_access_request';
  summary?: string;
}

export interface ReviewGroup {
  id: string;
  group: string;
  status: ReviewStatus | '';
  reviewedBy: { id: string; name: string; email: string } | null;
  reviewDate: Date | null;
}

/** A one-time review (§1.5). The stored script, env vars and client args are what runs after approval. */
export interface Review {
  id: string;
  status: ReviewStatus;
  createdAt: Date;
  groups: ReviewGroup[];
  accessRequestRuleName: string | null;
  rejectionReason: string | null;
}

/** `[seconds since start, 'o'|'e', base64]`, one entry of the blob stream. */
export type SessionEvent = [number, 'o' | 'e', string];

/** One exec session as the gateway stores it (`models.Session`). */
export interface Session {
  id: string;
  orgId: string;
  connection: string;
  connectionType: string;
  connectionSubtype: string;
  owner: Principal;
  labels: Record<string, string>;
  metadata: Record<string, unknown> | null;
  /** The rendered runbook (`blob_input`). */
  script: string;
  /** Merged client env vars (asenv + request), kept for a reviewed re-run. */
  envVars: Record<string, string>;
  clientArgs: string[];
  status: SessionStatus;
  exitCode: number | null;
  startDate: Date;
  endDate: Date | null;
  /** The stored blob stream (what was flushed so far). */
  events: SessionEvent[];
  review: Review | null;
  aiAnalysis: AiAnalysis | null;
  sessionBatchId: string | null;
  correlationId: string | null;
  /** `jira_issue_key`/`jira_issue_url` once a Jira issue was created (§1.8). */
  integrationsMetadata: Record<string, string> | null;
}

/** One output chunk as it happens, for `GET /api/sessions/{id}/stream` subscribers. */
export interface LiveEvent {
  time: Date;
  type: 'o' | 'e';
  payload: Buffer;
}

export interface SessionSubscriber {
  onEvent(event: LiveEvent): void;
  /** The session is done; no more events. */
  onEnd(): void;
}

/** hoop's gateway closes the agent stream with this error on kill (transport/system KillSession). */
export const KILLED_BY_USER = 'session killed by the user';

/**
 * In-memory sessions, the processes still running for them, and their output: live to subscribers at
 * once, into the stored `event_stream` every `flushIntervalMs` and at the end (hoop's audit WAL).
 */
export class SessionStore {
  readonly sessions = new Map<string, Session>();
  /** Sessions whose reviewed exec request is being handled (run-exec.go lockExec). */
  readonly execLocks = new Set<string>();
  private readonly running = new Map<string, RunningExec>();
  private readonly killed = new Set<string>();
  private readonly subscribers = new Map<string, Set<SessionSubscriber>>();
  private readonly unflushed = new Map<string, SessionEvent[]>();
  private readonly flushTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly flushIntervalMs: number) {}

  add(session: Session): void {
    this.sessions.set(session.id, session);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** A review by its own id or its session id (GetReviewByIdOrSid). */
  findByReview(idOrSid: string): Session | undefined {
    const direct = this.sessions.get(idOrSid);
    if (direct?.review) {
      return direct;
    }
    return [...this.sessions.values()].find((s) => s.review?.id === idOrSid);
  }

  attach(session: Session, exec: RunningExec): void {
    this.running.set(session.id, exec);
    const timer = setInterval(() => this.flush(session), this.flushIntervalMs);
    timer.unref();
    this.flushTimers.set(session.id, timer);
    void exec.result.finally(() => this.running.delete(session.id));
  }

  /** An output chunk: published to subscribers now, stored at the next flush. */
  record(session: Session, type: 'o' | 'e', chunk: Buffer): void {
    const time = new Date();
    const pending = this.unflushed.get(session.id) ?? [];
    pending.push([(time.getTime() - session.startDate.getTime()) / 1000, type, chunk.toString('base64')]);
    this.unflushed.set(session.id, pending);
    this.subscribers.get(session.id)?.forEach((s) => s.onEvent({ time, type, payload: chunk }));
  }

  private flush(session: Session): void {
    session.events.push(...(this.unflushed.get(session.id) ?? []));
    this.unflushed.delete(session.id);
  }

  /** The session is done: its output is stored and its stream subscribers get `session_end`. */
  end(session: Session, exitCode: number | null): void {
    clearInterval(this.flushTimers.get(session.id));
    this.flushTimers.delete(session.id);
    this.flush(session);
    session.status = 'done';
    session.exitCode = exitCode;
    session.endDate = new Date();
    this.subscribers.get(session.id)?.forEach((s) => s.onEnd());
    this.subscribers.delete(session.id);
  }

  /** Returns the unsubscribe function. */
  subscribe(sessionId: string, subscriber: SessionSubscriber): () => void {
    const set = this.subscribers.get(sessionId) ?? new Set();
    set.add(subscriber);
    this.subscribers.set(sessionId, set);
    return () => set.delete(subscriber);
  }

  /** Resolves when the session's process (if any) has exited. */
  finished(sessionId: string): Promise<void> {
    return this.running.get(sessionId)?.result.then(() => undefined) ?? Promise.resolve();
  }

  isRunning(sessionId: string): boolean {
    return this.running.has(sessionId);
  }

  wasKilled(sessionId: string): boolean {
    return this.killed.has(sessionId);
  }

  /** Kills the process tree; false when nothing runs for the session. */
  kill(sessionId: string): boolean {
    const exec = this.running.get(sessionId);
    if (!exec) {
      return false;
    }
    this.killed.add(sessionId);
    exec.kill();
    return true;
  }

  async killAll(): Promise<void> {
    const pending = [...this.running.values()];
    pending.forEach((exec) => exec.kill());
    await Promise.all(pending.map((exec) => exec.result));
  }
}

/** openapi.SessionReview (and openapi.Review when `withSession`). */
export function reviewJson(session: Session, withSession: boolean): Record<string, unknown> | null {
  const review = session.review;
  if (!review) {
    return null;
  }
  return {
    id: review.id,
    ...(withSession ? { session: session.id } : {}),
    type: 'onetime',
    access_duration: 0,
    status: review.status,
    revoke_at: null,
    created_at: review.createdAt.toISOString(),
    review_groups_data: review.groups.map((g) => ({
      id: g.id,
      group: g.group,
      status: g.status,
      reviewed_by: g.reviewedBy ? { ...g.reviewedBy, slack_id: '' } : null,
      review_date: g.reviewDate?.toISOString() ?? null,
      forced_review: false,
    })),
    time_window: null,
    access_request_rule_name: review.accessRequestRuleName,
    min_approvals: null,
    force_approval_groups: null,
    ...(review.rejectionReason ? { rejection_reason: review.rejectionReason } : {}),
  };
}

export type EventStreamFormat = 'raw' | 'utf8' | 'base64';

/**
 * openapi.Session (session/parser.go toOpenApiSession). `script` is loaded only without `expand`
 * or with `expand=session_input`; `event_stream` only when expanded and allowed.
 */
export function sessionJson(session: Session, opts: { includeScript: boolean; eventStream?: EventStreamFormat }): Record<string, unknown> {
  const scriptBytes = Buffer.byteLength(session.script);
  let eventStream: unknown;
  let eventSize = session.events.reduce((n, [, , b64]) => n + Buffer.from(b64, 'base64').length, 0);
  if (opts.eventStream === 'raw') {
    eventStream = session.events;
  } else if (opts.eventStream) {
    const output = Buffer.concat(session.events.map(([, , b64]) => Buffer.from(b64, 'base64')));
    const text = opts.eventStream === 'utf8' ? output.toString('utf8') : output.toString('base64');
    eventStream = [text];
    eventSize = opts.eventStream === 'utf8' ? [...text].length : text.length;
  }
  return {
    id: session.id,
    org_id: session.orgId,
    script: { data: opts.includeScript ? session.script : '' },
    script_size: scriptBytes,
    labels: session.labels,
    integrations_metadata: session.integrationsMetadata,
    metadata: session.metadata,
    metrics: null,
    user: session.owner.email,
    user_id: session.owner.userId,
    user_name: session.owner.name,
    type: session.connectionType,
    connection_subtype: session.connectionSubtype,
    connection: session.connection,
    resource_name: '',
    role_name: session.connection,
    connection_tags: null,
    review: reviewJson(session, false),
    verb: 'exec',
    status: session.status,
    exit_code: session.exitCode,
    ...(eventStream !== undefined ? { event_stream: eventStream } : {}),
    event_size: eventSize,
    ...(session.sessionBatchId ? { session_batch_id: session.sessionBatchId } : {}),
    ...(session.correlationId ? { correlation_id: session.correlationId } : {}),
    start_date: session.startDate.toISOString(),
    end_date: session.endDate?.toISOString() ?? null,
    ai_analysis: session.aiAnalysis,
    guardrails_info: null,
    identity_type: 'user',
  };
}
