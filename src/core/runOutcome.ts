import type { AiAnalysis, ExecResponseBody } from './gatewayTypes';

/**
 * What a finished exec request means for the user. HTTP 200 is not success:
 * check `has_review` first, then `output_status` (hoop-gateway.md §0.5).
 */
export type RunOutcome =
  | { kind: 'succeeded'; exitCode: number; output: string; sessionId?: string; executionTimeMs?: number; truncated: boolean }
  | { kind: 'failed'; exitCode: number; output: string; sessionId?: string; executionTimeMs?: number; truncated: boolean }
  | { kind: 'gatewayFailed'; reason: string; sessionId?: string }
  | { kind: 'review'; sessionId?: string; reviewUrl: string }
  | { kind: 'aiReview'; sessionId?: string; reviewUrl: string; aiAnalysis?: AiAnalysis }
  | { kind: 'blocked'; sessionId?: string; reason: string; aiAnalysis?: AiAnalysis }
  | { kind: 'running'; sessionId?: string };

/** Exit code hoop uses when the gateway could not get one; also every gateway-side failure. */
const noExitCode = -2;

export function interpretExecResponse(httpStatus: number, body: ExecResponseBody): RunOutcome {
  const sessionId = body.session_id || undefined;
  const output = body.output ?? '';
  if (body.has_review) {
    return httpStatus === 202
      ? { kind: 'aiReview', sessionId, reviewUrl: output, aiAnalysis: body.ai_analysis ?? undefined }
      : { kind: 'review', sessionId, reviewUrl: output };
  }
  const status = body.output_status ?? '';
  const exitCode = typeof body.exit_code === 'number' ? body.exit_code : noExitCode;
  if (status === 'running' || httpStatus === 202) {
    return { kind: 'running', sessionId };
  }
  if (status === 'blocked') {
    return { kind: 'blocked', sessionId, reason: output, aiAnalysis: body.ai_analysis ?? undefined };
  }
  const finished = { exitCode, output, sessionId, executionTimeMs: body.execution_time, truncated: body.truncated === true };
  if (status === 'failed') {
    return exitCode === noExitCode ? { kind: 'gatewayFailed', reason: output, sessionId } : { kind: 'failed', ...finished };
  }
  return { kind: 'succeeded', ...finished };
}

export function sessionUrl(gatewayUrl: string, sessionId: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/sessions/${sessionId}`;
}

/** One honest sentence per result shape; the notification and the transcript footer both use it. */
export function describeOutcome(outcome: RunOutcome, runbookName: string): string {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.exitCode === 0 || outcome.exitCode === noExitCode
        ? `${runbookName} finished successfully${outcome.exitCode === 0 ? ' (exit 0)' : ' (the gateway reported no exit code)'}.`
        : `${runbookName} finished with exit code ${outcome.exitCode}.`;
    case 'failed':
      return `${runbookName} failed with exit code ${outcome.exitCode}.`;
    case 'gatewayFailed':
      return `The gateway could not run ${runbookName}: ${firstLine(outcome.reason) || 'no reason given'}.`;
    case 'review':
      return `${runbookName} is waiting for review: it runs after a reviewer approves it on the gateway.`;
    case 'aiReview':
      return `The gateway's AI analysis requires an access request before ${runbookName} can run.`;
    case 'blocked':
      return `The gateway's AI analysis blocked ${runbookName}${outcome.aiAnalysis?.title ? `: ${outcome.aiAnalysis.title}` : ''}. Nothing ran.`;
    case 'running':
      return `${runbookName} is still running on the gateway (it answers after 50 s); it keeps running in the background.`;
  }
}

/** The status bar's short label for a result. */
export function outcomeLabel(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'succeeded':
    case 'failed':
      return outcome.exitCode === noExitCode ? 'done' : `exit ${outcome.exitCode}`;
    case 'gatewayFailed':
      return 'failed';
    case 'review':
    case 'aiReview':
      return 'review';
    case 'blocked':
      return 'blocked';
    case 'running':
      return 'running';
  }
}

export function isSuccessful(outcome: RunOutcome): boolean {
  return outcome.kind === 'succeeded';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
