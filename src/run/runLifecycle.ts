import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { GatewayHttpError, GatewayUnreachableError, HoopError, RejectedTokenError } from '../core/errors';
import type { ExecResult, GatewayClient } from '../core/gatewayClient';
import { applyExecOutcome, followUntilDone, locateSession, streamLiveOutput, watchReview, type OutputMasker } from '../core/run/follow';
import { createOutputMasker } from '../core/run/outputMasker';
import type { Run } from '../core/run/run';
import type { RunRegistry } from '../core/run/runRegistry';
import { interpretExecResponse } from '../core/runOutcome';
import { buildExecBody, secretValuesOf, type RunRequest } from '../core/runRequest';
import type { GatewayAccess } from '../gatewayAccess';
import { clientAfterRejectedToken } from './prepare';

/**
 * The send and follow phases, and what the user can do to a run meanwhile: stop waiting, kill,
 * execute once approved. Each run is followed on its own, so several can go on at once.
 */
export class RunLifecycle implements vscode.Disposable {
  private readonly following = new Map<string, AbortController>();
  private readonly clients = new Map<string, GatewayClient>();
  private readonly maskers = new Map<string, OutputMasker>();

  constructor(
    private readonly registry: RunRegistry,
    private readonly access: GatewayAccess,
    private readonly logger: vscode.LogOutputChannel,
  ) {}

  /**
   * Sends one exec for the run and follows it. Resolves when the run needs nothing more from
   * the caller: it ended, waits for review, or the user stopped waiting (it is followed on).
   */
  async send(run: Run, client: GatewayClient, request: RunRequest): Promise<void> {
    const masker = createOutputMasker(secretValuesOf(request));
    this.clients.set(run.id, client);
    this.maskers.set(run.id, masker);
    const signal = this.controllerFor(run).signal;
    const correlationId = request.route === 'v2' ? (request.correlationId ?? randomUUID()) : undefined;
    run.update({ state: 'sending', correlationId, message: `Sending ${run.data.runbookName} to ${run.data.connection}…` });

    const exec = this.execOnce(run, client, { ...request, correlationId }, signal);
    const live = new AbortController();
    if (correlationId) {
      void locateSession(client, correlationId, exec, { signal }).then((sessionId) => {
        if (sessionId && !run.ended) {
          this.sessionKnown(run, sessionId);
          void streamLiveOutput(client, run, sessionId, masker, live.signal);
        }
      });
    }
    let answer: ExecResult;
    try {
      answer = await exec;
    } catch (error) {
      live.abort();
      await this.execFailed(run, error);
      return;
    } finally {
      live.abort();
    }
    await this.handleAnswer(run, answer);
  }

  /** Stop Waiting: the run goes on at the gateway, and is followed in the background. */
  stopWaiting(run: Run): void {
    run.update({ detached: true });
  }

  /** Stop Run: kills the session on the gateway (§1.6); before the session id is known, as soon as it is. */
  async kill(run: Run): Promise<'killed' | 'pending' | 'ended'> {
    if (run.ended) {
      return 'ended';
    }
    const sessionId = run.data.sessionId;
    if (!sessionId) {
      run.update({ killRequested: true, message: `${run.data.runbookName} cannot be stopped yet: the gateway has not said which session it is. It is killed as soon as it does.` });
      return 'pending';
    }
    const client = await this.clientFor(run);
    await client.killSession(sessionId);
    this.following.get(run.id)?.abort();
    run.update({ state: 'killed', killRequested: false, message: `${run.data.runbookName} was killed on the gateway (session ${sessionId}).` });
    return 'killed';
  }

  /** Execute Now, after approval: the requester runs the reviewed session (§1.5 step 4). */
  async executeApproved(run: Run): Promise<void> {
    const sessionId = run.data.sessionId;
    if (!sessionId || run.state !== 'approved') {
      throw new RunNotApprovedError(run.data.runbookName);
    }
    const client = await this.clientFor(run);
    run.update({ state: 'running', message: `Executing the approved ${run.data.runbookName} on ${run.data.connection}…` });
    try {
      await this.handleAnswer(run, await client.execReviewedSession(sessionId, this.controllerFor(run).signal, this.masker(run).answerSink()));
    } catch (error) {
      if (error instanceof GatewayHttpError) {
        run.update({ state: 'approved', message: error.message });
      } else {
        run.update({ state: 'unknown', message: `${errorText(error)} The approved run may have started: the runs view keeps following its session.` });
        this.followInBackground(run, sessionId);
      }
      throw error;
    }
  }

  /** Runs still going when VS Code last closed: follow them again. */
  resume(): void {
    for (const run of this.registry.unfinishedFromHistory()) {
      const sessionId = run.data.sessionId!;
      this.logger.info(`Resuming ${run.data.runbookName} on ${run.data.connection} (session ${sessionId}, ${run.state}).`);
      if (run.state === 'waitingForReview') {
        this.watchReviewInBackground(run, sessionId);
      } else if (run.state === 'running' || run.state === 'sending') {
        this.followInBackground(run, sessionId);
      }
    }
  }

  dispose(): void {
    this.following.forEach((controller) => controller.abort());
    this.following.clear();
  }

  /** Exec is never retried, except once after a 401 that ran nothing, with a new token. */
  private async execOnce(run: Run, client: GatewayClient, request: RunRequest, signal: AbortSignal): Promise<ExecResult> {
    try {
      return await client.exec(request.route, buildExecBody(request), signal, this.masker(run).answerSink());
    } catch (error) {
      const renewed = await clientAfterRejectedToken(this.access, error, (reason) => this.logger.warn(reason));
      this.clients.set(run.id, renewed);
      this.logger.info(`Sending ${run.data.runbookName} again with the new token.`);
      return renewed.exec(request.route, buildExecBody(request), signal, this.masker(run).answerSink());
    }
  }

  private async handleAnswer(run: Run, answer: ExecResult): Promise<void> {
    const outcome = interpretExecResponse(answer.status, answer.body, answer.text);
    if (outcome.kind === 'unknown') {
      this.logger.warn(`The gateway's answer to ${run.data.runbookName} could not be understood: ${this.masker(run).maskAll(outcome.raw)}`);
    }
    if (outcome.sessionId) {
      this.sessionKnown(run, outcome.sessionId);
    }
    if (run.data.jiraIssueExpected && run.data.sessionId) {
      await this.noteJiraIssue(run, run.data.sessionId); // before the run ends, so its transcript names the issue
    }
    // Every exec here streams its output through the run's answer sink: it arrives masked.
    const next = applyExecOutcome(run, outcome, this.masker(run), { charsDropped: answer.outputCharsDropped });
    if (next === 'follow') {
      this.followInBackground(run, run.data.sessionId!);
    } else if (next === 'review') {
      this.watchReviewInBackground(run, run.data.sessionId!);
    } else {
      this.done(run);
    }
  }

  /** The Jira issue the gateway created for the run (§1.8) is on its session once created. */
  private async noteJiraIssue(run: Run, sessionId: string): Promise<void> {
    const session = await (await this.clientFor(run)).getSession(sessionId).catch(() => undefined);
    const key = session?.integrations_metadata?.jira_issue_key;
    if (key) {
      run.update({ jiraIssue: { key, url: session.integrations_metadata?.jira_issue_url } });
    }
  }

  /** Only errors that prove nothing ran end the run as failed; anything else may have run, and its session is followed when known. */
  private async execFailed(run: Run, error: unknown): Promise<void> {
    const masked = this.masker(run).maskAll(errorText(error));
    if (provesNothingRan(error) && !run.data.sessionId) {
      run.update({ state: 'failed', message: masked });
      this.done(run);
      return;
    }
    if (!run.data.sessionId && run.data.correlationId) {
      // The answer was lost, but the run's correlation id still finds its session if it exists.
      const client = await this.clientFor(run);
      const session = await client.findSessionByCorrelationId(run.data.correlationId).catch(() => undefined);
      if (session) {
        this.sessionKnown(run, session.id);
      }
    }
    const where = run.data.sessionId ? `its session ${run.data.sessionId} is followed until it ends` : "check the gateway's sessions";
    run.update({ state: run.data.sessionId ? 'running' : 'unknown', message: `${masked} The run may have happened: ${where}.` });
    if (run.data.sessionId) {
      this.followInBackground(run, run.data.sessionId);
    } else {
      this.done(run);
    }
  }

  private sessionKnown(run: Run, sessionId: string): void {
    if (run.data.sessionId !== sessionId) {
      run.update({ sessionId, ...(run.state === 'sending' ? { state: 'running' as const, message: `${run.data.runbookName} is running on ${run.data.connection}.` } : {}) });
    }
    if (run.data.killRequested) {
      void this.kill(run).catch((error: unknown) => this.logger.error(`Could not kill ${sessionId}: ${errorText(error)}`));
    }
  }

  private followInBackground(run: Run, sessionId: string): void {
    void this.clientFor(run)
      .then((client) => followUntilDone(client, run, sessionId, { signal: this.controllerFor(run).signal, masker: this.masker(run) }))
      .catch((error: unknown) => this.followFailed(run, error))
      .finally(() => this.done(run));
  }

  private watchReviewInBackground(run: Run, sessionId: string): void {
    void this.clientFor(run)
      .then((client) => watchReview(client, run, sessionId, { signal: this.controllerFor(run).signal, masker: this.masker(run) }))
      .then((verdict) => {
        if (verdict === 'executed') {
          this.followInBackground(run, sessionId);
        }
      })
      .catch((error: unknown) => this.followFailed(run, error));
  }

  private followFailed(run: Run, error: unknown): void {
    if (this.following.get(run.id)?.signal.aborted) {
      return; // VS Code is closing or the run was killed: the next start resumes it
    }
    const reason = this.masker(run).maskAll(errorText(error));
    this.logger.warn(`Following ${run.data.runbookName} (session ${run.data.sessionId}) failed: ${reason}`);
    run.update({ state: 'unknown', message: `Lost track of ${run.data.runbookName}: ${reason} Open its session on the gateway to see how it ended.` });
  }

  private done(run: Run): void {
    if (run.ended) {
      this.following.delete(run.id);
      this.clients.delete(run.id);
      this.maskers.delete(run.id);
    }
  }

  private controllerFor(run: Run): AbortController {
    let controller = this.following.get(run.id);
    if (!controller || controller.signal.aborted) {
      controller = new AbortController();
      this.following.set(run.id, controller);
    }
    return controller;
  }

  private masker(run: Run): OutputMasker {
    return this.maskers.get(run.id) ?? createOutputMasker([]);
  }

  private async clientFor(run: Run): Promise<GatewayClient> {
    return this.clients.get(run.id) ?? this.access.client();
  }
}

export class RunNotApprovedError extends HoopError {
  readonly code = 'run-not-approved';
  constructor(runbookName: string) {
    super(`${runbookName} is not approved yet: Execute Now is available once a reviewer approves it.`);
  }
}

/** The client's own verdicts: hoop refused before any session, the request never left, or the token was already rejected. */
function provesNothingRan(error: unknown): boolean {
  return error instanceof GatewayHttpError || error instanceof GatewayUnreachableError || error instanceof RejectedTokenError;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
