import { randomUUID } from 'crypto';
import type { Principal } from './auth';
import type { ConnectionConfig } from './config';
import { mergeAgentEnv } from './envVars';
import { AGENT_INTERNAL_EXIT_CODE, startExec } from './executor';
import { message, reply, type JsonReply } from './httpKit';
import { createJiraIssue, missingJiraFieldsMessage } from './jira';
import { KILLED_BY_USER, type AiAnalysis, type Session } from './sessions';
import type { GatewayState } from './state';

/** clientexec's nil exit code: "the gateway could not get one". */
const NIL_EXIT_CODE = -2;

/** clientexec.Response, in its JSON field order. */
function execResponse(fields: {
  sessionId: string;
  output?: string;
  outputStatus: string;
  exitCode: number;
  hasReview?: boolean;
  truncated?: boolean;
  executionTime?: number;
  aiAnalysis?: AiAnalysis | null;
}): Record<string, unknown> {
  return {
    has_review: fields.hasReview ?? false,
    session_id: fields.sessionId,
    output: fields.output ?? '',
    output_status: fields.outputStatus,
    truncated: fields.truncated ?? false,
    execution_time: fields.executionTime ?? 0,
    exit_code: fields.exitCode,
    ai_analysis: fields.aiAnalysis ?? null,
  };
}

/** A gateway-side failure after the session exists: HTTP 200, failed, -2, the error as output (§1.3). */
function gatewayFailure(state: GatewayState, session: Session, text: string, startedAt: number): JsonReply {
  state.sessions.end(session, null);
  return reply(200, execResponse({ sessionId: session.id, output: text, outputStatus: 'failed', exitCode: NIL_EXIT_CODE, executionTime: Date.now() - startedAt }));
}

function newReview(session: Session, groups: string[], ruleName: string | null): void {
  session.review = {
    id: randomUUID(),
    status: 'PENDING',
    createdAt: new Date(),
    groups: groups.map((group) => ({ id: randomUUID(), group, status: '', reviewedBy: null, reviewDate: null })),
    accessRequestRuleName: ruleName,
    rejectionReason: null,
  };
}

const AI_VERDICTS: Record<'block' | 'review', AiAnalysis> = {
  block: {
    risk_level: 'high',
    title: 'Destructive operation',
    explanation: 'Simulated by the local gateway: this connection blocks every runbook.',
    action: 'block_execution',
  },
  review: {
    risk_level: 'medium',
    title: 'Needs a second look',
    explanation: 'Simulated by the local gateway: this connection sends every runbook to review.',
    action: 'require_access_request',
  },
};

/**
 * The tail of RunbookExec (runbooksV2.go) from the AI analyzer on: AI verdicts (V2 only), mandatory
 * metadata, session creation, then the transport (access mode, review gate, agent) and the run.
 * `session` is not yet stored; it is stored from the step where hoop persists it.
 */
export async function execRunbookSession(
  state: GatewayState,
  connection: ConnectionConfig,
  session: Session,
  opts: { withAiAnalyzer: boolean; jiraFields: Record<string, string> },
): Promise<JsonReply> {
  const reviewLink = `${state.apiUrl()}/sessions/${session.id}`;
  const verdict = opts.withAiAnalyzer && connection.aiAnalysis ? AI_VERDICTS[connection.aiAnalysis] : null;
  if (verdict) {
    session.aiAnalysis = verdict;
    state.sessions.add(session);
    if (connection.aiAnalysis === 'block') {
      state.sessions.end(session, AGENT_INTERNAL_EXIT_CODE);
      return reply(200, execResponse({ sessionId: session.id, output: 'Session blocked by AI risk analyzer', outputStatus: 'blocked', exitCode: AGENT_INTERNAL_EXIT_CODE, aiAnalysis: verdict }));
    }
    newReview(session, connection.reviewers ?? ['admin'], 'ai-session-analyzer');
    return reply(202, execResponse({ sessionId: session.id, hasReview: true, output: reviewLink, outputStatus: '', exitCode: 0, aiAnalysis: verdict }));
  }

  const jiraTemplate = state.config.jiraIssueTemplates.find((t) => t.id === connection.jiraIssueTemplateId);
  if (jiraTemplate) {
    const missing = missingJiraFieldsMessage(jiraTemplate, opts.jiraFields);
    if (missing) {
      return message(422, missing);
    }
    createJiraIssue(state, jiraTemplate, opts.jiraFields, session);
  }
  for (const field of connection.mandatoryMetadataFields ?? []) {
    const value = session.metadata?.[field];
    if (value === undefined || value === null || value === '') {
      return message(422, `missing required metadata field: ${field}`);
    }
  }
  state.sessions.add(session);

  const startedAt = Date.now();
  if ((connection.accessModeRunbooks ?? 'enabled') === 'disabled') {
    return gatewayFailure(state, session, 'rpc error: code = FailedPrecondition desc = runbooks is disabled for this connection', startedAt);
  }
  if (connection.review) {
    newReview(session, connection.reviewers ?? ['admin'], null);
    return reply(200, execResponse({ sessionId: session.id, hasReview: true, output: reviewLink, outputStatus: 'success', exitCode: 0, executionTime: Date.now() - startedAt }));
  }
  return runSession(state, connection, session);
}

/** clientexec.Run against the agent, answering 200 with the result or 202 running after `execWaitMs`. */
export async function runSession(state: GatewayState, connection: ConnectionConfig, session: Session): Promise<JsonReply> {
  const startedAt = Date.now();
  if ((connection.status ?? 'online') === 'offline') {
    return gatewayFailure(state, session, 'agent is offline', startedAt);
  }
  session.status = 'open';
  const exec = startExec({
    command: connection.command,
    clientArgs: session.clientArgs,
    script: session.script,
    agentEnv: mergeAgentEnv(session.envVars, connection.secrets),
    onOutput: (stream, chunk) => state.sessions.record(session, stream, chunk),
  });
  state.sessions.attach(session, exec);
  const done = exec.result.then((result) => {
    // A kill closes the agent stream from the gateway: the error ends the output and no exit code arrives.
    const killed = state.sessions.wasKilled(session.id);
    if (killed) {
      state.sessions.record(session, 'e', Buffer.from(KILLED_BY_USER));
    }
    state.sessions.end(session, killed ? null : result.exitCode);
    return { ...result, killed };
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), state.config.execWaitMs);
  });
  const outcome = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    return reply(202, execResponse({ sessionId: session.id, outputStatus: 'running', exitCode: NIL_EXIT_CODE }));
  }
  if (outcome.killed) {
    return reply(200, execResponse({ sessionId: session.id, output: KILLED_BY_USER, outputStatus: 'failed', exitCode: NIL_EXIT_CODE, executionTime: outcome.executionTimeMs }));
  }
  return reply(
    200,
    execResponse({
      sessionId: session.id,
      output: outcome.output,
      outputStatus: outcome.exitCode > 0 ? 'failed' : 'success',
      exitCode: outcome.exitCode,
      truncated: outcome.truncated,
      executionTime: outcome.executionTimeMs,
      aiAnalysis: session.aiAnalysis,
    }),
  );
}

/** A fresh, not yet stored exec session. */
export function newSession(
  state: GatewayState,
  owner: Principal,
  connection: ConnectionConfig,
  fields: Pick<Session, 'labels' | 'metadata' | 'script' | 'envVars' | 'clientArgs' | 'sessionBatchId' | 'correlationId'>,
): Session {
  return {
    id: randomUUID(),
    orgId: state.config.orgId,
    connection: connection.name,
    connectionType: connection.type ?? 'custom',
    connectionSubtype: connection.subtype ?? '',
    owner,
    status: 'open',
    exitCode: null,
    startDate: new Date(),
    endDate: null,
    events: [],
    review: null,
    aiAnalysis: null,
    integrationsMetadata: null,
    ...fields,
  };
}
