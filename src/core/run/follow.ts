import type { GatewaySession, SessionStreamEvent } from '../gatewayTypes';
import type { ExecOutputSink } from '../execAnswer';
import { describeOutcome, type RunOutcome } from '../runOutcome';
import { turnTaker } from '../turns';
import type { Run } from './run';

/** What following needs from the gateway client. */
export interface SessionApi {
  findSessionByCorrelationId(correlationId: string, signal?: AbortSignal): Promise<GatewaySession | undefined>;
  getSession(sessionId: string, options?: { withOutput?: boolean }, signal?: AbortSignal): Promise<GatewaySession>;
  /** Live output (SSE); throws when the gateway has no stream route, and the caller polls instead. */
  streamSessionOutput(sessionId: string, signal: AbortSignal): AsyncIterable<SessionStreamEvent>;
}

/** Masks secrets in output as it streams in; `maskAll` for a whole text. */
export interface OutputMasker {
  push(chunk: string): string;
  flush(): string;
  maskAll(text: string): string;
  /** A sink for an exec answer's output: masked through a stream of its own, keeping what a Run keeps. */
  answerSink(): ExecOutputSink;
}

export interface FollowOptions {
  signal: AbortSignal;
  masker: OutputMasker;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Session polling: 1 s doubling to 10 s (issue: follow a running run). */
  pollStartMs?: number;
  pollMaxMs?: number;
  /** Review watching, like hoop's web UI: every 5 s, every 30 s after 5 minutes. */
  reviewFastMs?: number;
  reviewSlowMs?: number;
  reviewSlowAfterMs?: number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Looks the run's session up by its correlation id while the exec request waits (§1.9), soon and
 * then every half second, until found or `settled` resolves. The session exists long before exec
 * answers, and the live stream has no catch-up: the sooner it is found, the less output is missed.
 */
export async function locateSession(api: SessionApi, correlationId: string, settled: Promise<unknown>, options: Pick<FollowOptions, 'signal' | 'sleep'>): Promise<string | undefined> {
  const sleep = options.sleep ?? abortableSleep;
  let done = false;
  void settled.finally(() => (done = true)).catch(() => undefined);
  for (let delay = 100; !done && !options.signal.aborted; delay = Math.min(delay * 2, 500)) {
    const session = await api.findSessionByCorrelationId(correlationId, options.signal).catch(() => undefined);
    if (session) {
      return session.id;
    }
    await Promise.race([sleep(delay, options.signal).catch(() => undefined), settled.catch(() => undefined)]);
  }
  return undefined;
}

/**
 * Appends live output until the session ends or `signal` aborts. Resolves `false` when the
 * gateway has no stream route, so the caller knows to read output by polling.
 */
export async function streamLiveOutput(api: SessionApi, run: Run, sessionId: string, masker: OutputMasker, signal: AbortSignal): Promise<boolean> {
  const takeTurn = turnTaker();
  try {
    for await (const event of api.streamSessionOutput(sessionId, signal)) {
      if (event.kind === 'end') {
        break;
      }
      if (event.stream !== 'i') {
        run.appendOutput(masker.push(event.text));
      }
      await takeTurn();
    }
    run.appendOutput(masker.flush());
    return true;
  } catch {
    return signal.aborted;
  }
}

/**
 * Follows a session the gateway is still running (202, a lost answer, a resumed run) until it is
 * done. Output streams live where the gateway can; otherwise polling reads it. At the end the
 * session's own output and exit code are the authoritative ones.
 */
export async function followUntilDone(api: SessionApi, run: Run, sessionId: string, options: FollowOptions): Promise<GatewaySession> {
  const sleep = options.sleep ?? abortableSleep;
  const live = new AbortController();
  const stopLive = () => live.abort();
  options.signal.addEventListener('abort', stopLive, { once: true });
  let streaming = true;
  const streamed = streamLiveOutput(api, run, sessionId, options.masker, live.signal).then((ok) => {
    streaming = ok && !live.signal.aborted;
  });
  let delay = options.pollStartMs ?? 1000;
  try {
    for (;;) {
      const session = await api.getSession(sessionId, { withOutput: !streaming }, options.signal);
      noteIntegrations(run, session);
      if (session.status === 'done') {
        live.abort();
        await streamed;
        const final = await api.getSession(sessionId, { withOutput: true }, options.signal).catch(() => session);
        if (final.output !== undefined) {
          run.replaceOutput(options.masker.maskAll(final.output));
        }
        endFromSession(run, final);
        return final;
      }
      if (!streaming && session.output !== undefined) {
        run.replaceOutput(options.masker.maskAll(session.output));
      }
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, options.pollMaxMs ?? 10_000);
    }
  } finally {
    options.signal.removeEventListener('abort', stopLive);
    live.abort();
  }
}

export type ReviewVerdict = 'approved' | 'rejected' | 'revoked' | 'executed';

/**
 * Watches a session waiting for review until a reviewer decides (§1.5 step 2): every 5 s, then
 * every 30 s after 5 minutes, like hoop's web UI. Also ends when someone executed it elsewhere.
 */
export async function watchReview(api: SessionApi, run: Run, sessionId: string, options: FollowOptions): Promise<ReviewVerdict> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const started = now();
  for (;;) {
    const session = await api.getSession(sessionId, {}, options.signal);
    noteIntegrations(run, session);
    const status = session.review?.status ?? '';
    const reviewer = reviewerOf(session);
    if (status === 'APPROVED' && session.status !== 'done') {
      run.update({ state: 'approved', reviewedBy: reviewer, message: `${run.data.runbookName} on ${run.data.connection} was approved${reviewer ? ` by ${reviewer}` : ''}: execute it now.` });
      return 'approved';
    }
    if (status === 'REJECTED' || status === 'REVOKED') {
      const reason = session.review?.rejection_reason?.trim();
      const verb = status === 'REJECTED' ? 'rejected' : 'revoked';
      run.update({
        state: 'rejected',
        reviewedBy: reviewer,
        message: `The review of ${run.data.runbookName} on ${run.data.connection} was ${verb}${reviewer ? ` by ${reviewer}` : ''}${reason ? `: ${reason}` : ''}. Nothing ran.`,
      });
      return status === 'REJECTED' ? 'rejected' : 'revoked';
    }
    if (status === 'PROCESSING' || status === 'EXECUTED' || (session.status === 'done' && status === 'APPROVED')) {
      run.update({ state: 'running', message: `${run.data.runbookName} was approved and is being executed.` });
      return 'executed';
    }
    await sleep(now() - started < (options.reviewSlowAfterMs ?? 5 * 60_000) ? (options.reviewFastMs ?? 5000) : (options.reviewSlowMs ?? 30_000), options.signal);
  }
}

/**
 * Applies the exec answer (or the reviewed exec's) to the run. Returns what must happen next:
 * follow a session still running, watch a review, or nothing (the run ended).
 * `answerOutput`, when given: the answer's output came through `masker.answerSink()`, masked, with this many characters cut from its start.
 */
export function applyExecOutcome(run: Run, outcome: RunOutcome, masker: OutputMasker, answerOutput?: { charsDropped: number }): 'follow' | 'review' | 'ended' {
  const message = masker.maskAll(describeOutcome(outcome, run.data.runbookName));
  const sessionId = outcome.sessionId ?? run.data.sessionId;
  switch (outcome.kind) {
    case 'succeeded':
    case 'failed': {
      // Masked once already on its way in: masking it again would only cost a stall.
      run.replaceOutput(answerOutput ? outcome.output : masker.maskAll(outcome.output), answerOutput?.charsDropped);
      const notes = [
        ...(outcome.warning ? [masker.maskAll(outcome.warning)] : []),
        ...(outcome.truncated ? ['The gateway cut the output at its 110 MiB limit; the session has what it kept.'] : []),
      ];
      run.update({ sessionId, exitCode: outcome.exitCode, state: outcome.kind === 'succeeded' ? 'done' : 'failed', message: [message, ...notes].join(' ') });
      return 'ended';
    }
    case 'gatewayFailed':
      run.replaceOutput(masker.maskAll(outcome.reason));
      run.update({ sessionId, state: 'failed', message });
      return 'ended';
    case 'blocked':
      run.update({ sessionId, state: 'failed', exitCode: 254, aiAnalysis: outcome.aiAnalysis, message });
      return 'ended';
    case 'review':
    case 'aiReview':
      run.update({
        sessionId,
        state: 'waitingForReview',
        reviewUrl: outcome.reviewUrl,
        aiAnalysis: outcome.kind === 'aiReview' ? outcome.aiAnalysis : undefined,
        message,
      });
      return sessionId ? 'review' : 'ended';
    case 'running':
      run.update({ sessionId, state: 'running', message: `${run.data.runbookName} is still running on the gateway; following it until it ends.` });
      return sessionId ? 'follow' : 'ended';
    case 'unknown':
      run.update({ sessionId, state: sessionId ? 'running' : 'unknown', message });
      return sessionId ? 'follow' : 'ended';
  }
}

function endFromSession(run: Run, session: GatewaySession): void {
  const exitCode = session.exit_code ?? undefined;
  const name = run.data.runbookName;
  if (exitCode === undefined || exitCode === -2) {
    run.update({ state: 'done', message: `${name} ended; the gateway reported no exit code.` });
  } else if (exitCode === 0) {
    run.update({ state: 'done', exitCode, message: `${name} finished successfully (exit 0).` });
  } else {
    run.update({ state: 'failed', exitCode, message: `${name} failed with exit code ${exitCode}.` });
  }
}

function noteIntegrations(run: Run, session: GatewaySession): void {
  const key = session.integrations_metadata?.jira_issue_key;
  if (key && run.data.jiraIssue?.key !== key) {
    run.update({ jiraIssue: { key, url: session.integrations_metadata?.jira_issue_url } });
  }
}

function reviewerOf(session: GatewaySession): string | undefined {
  const decided = session.review?.review_groups_data?.find((group) => group.reviewed_by);
  return decided?.reviewed_by?.name || decided?.reviewed_by?.email || undefined;
}
