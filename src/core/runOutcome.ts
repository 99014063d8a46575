import type { AiAnalysis, ExecResponseBody } from './gatewayTypes';

/**
 * What a finished exec request means for the user. HTTP 200 is not success:
 * check `has_review` first, then `output_status` (hoop-gateway.md §0.5). An answer in none of hoop's
 * shapes is `unknown`, never success.
 */
export type RunOutcome =
  | { kind: 'succeeded'; exitCode: number; output: string; sessionId?: string; executionTimeMs?: number; truncated: boolean; warning?: string }
  | { kind: 'failed'; exitCode: number; output: string; sessionId?: string; executionTimeMs?: number; truncated: boolean; warning?: string }
  | { kind: 'gatewayFailed'; reason: string; sessionId?: string }
  | { kind: 'review'; sessionId?: string; reviewUrl: string }
  | { kind: 'aiReview'; sessionId?: string; reviewUrl: string; aiAnalysis?: AiAnalysis }
  | { kind: 'blocked'; sessionId?: string; reason: string; aiAnalysis?: AiAnalysis }
  | { kind: 'running'; sessionId?: string }
  /** The answer is not one of hoop's shapes: the run may have happened. `raw` is for the log (cut at 4 KiB). */
  | { kind: 'unknown'; reason: string; raw: string; sessionId?: string };

/** Exit code hoop uses when the gateway could not get one; also every gateway-side failure. */
const noExitCode = -2;
const rawLogLimit = 4096;

/** The exec answer's fields, or the first reason it is not one of hoop's shapes. */
function readExecBody(body: unknown): ExecResponseBody | string {
  if (body === undefined) {
    return 'the answer is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `the answer is ${Array.isArray(body) ? 'a list' : String(body === null ? 'null' : typeof body)}, not an object`;
  }
  const fields = body as Record<string, unknown>;
  const expect: [string, string, boolean][] = [
    ['output', 'string', true],
    ['output_status', 'string', true],
    ['exit_code', 'number', true],
    ['has_review', 'boolean', false],
    ['session_id', 'string', false],
    ['truncated', 'boolean', false],
    ['execution_time', 'number', false],
  ];
  for (const [name, type, required] of expect) {
    const value = fields[name];
    const absent = value === undefined || (!required && value === null);
    if (absent ? required : typeof value !== type) {
      return `"${name}" is ${absent ? 'missing' : value === null ? 'null' : `a ${typeof value}`}, expected a ${type}`;
    }
  }
  const ai = fields.ai_analysis;
  if (ai !== undefined && ai !== null && (typeof ai !== 'object' || Array.isArray(ai))) {
    return '"ai_analysis" is not an object';
  }
  return fields as ExecResponseBody;
}

function cut(raw: string): string {
  return raw.length > rawLogLimit ? `${raw.slice(0, rawLogLimit)}… (${raw.length} characters in all)` : raw;
}

export function interpretExecResponse(httpStatus: number, body: unknown, raw?: string): RunOutcome {
  const checked = readExecBody(body);
  const rawText = () => cut(raw ?? JSON.stringify(body) ?? '');
  if (typeof checked === 'string') {
    const sessionId = typeof (body as { session_id?: unknown } | null)?.session_id === 'string' ? (body as { session_id: string }).session_id || undefined : undefined;
    return { kind: 'unknown', reason: checked, raw: rawText(), sessionId };
  }
  const sessionId = checked.session_id || undefined;
  const output = checked.output ?? '';
  const aiAnalysis = checked.ai_analysis ?? undefined;
  if (checked.has_review) {
    return httpStatus === 202 ? { kind: 'aiReview', sessionId, reviewUrl: output, aiAnalysis } : { kind: 'review', sessionId, reviewUrl: output };
  }
  const status = checked.output_status ?? '';
  const exitCode = checked.exit_code ?? noExitCode;
  if (status === 'running') {
    return { kind: 'running', sessionId };
  }
  if (httpStatus === 202) {
    return { kind: 'unknown', reason: `HTTP 202 with output_status "${status}" and no review`, raw: rawText(), sessionId };
  }
  if (status === 'blocked') {
    return { kind: 'blocked', sessionId, reason: output, aiAnalysis };
  }
  const finished = { exitCode, output, sessionId, executionTimeMs: checked.execution_time, truncated: checked.truncated === true };
  const contradiction = `The gateway reported "${status}" with exit code ${exitCode}; this follows the exit code.`;
  if (status === 'success') {
    return exitCode === 0 || exitCode === noExitCode ? { kind: 'succeeded', ...finished } : { kind: 'failed', ...finished, warning: contradiction };
  }
  if (status === 'failed') {
    if (exitCode === noExitCode) {
      return { kind: 'gatewayFailed', reason: output, sessionId };
    }
    return exitCode === 0 ? { kind: 'succeeded', ...finished, warning: contradiction } : { kind: 'failed', ...finished };
  }
  return { kind: 'unknown', reason: `unknown output_status "${status}"`, raw: rawText(), sessionId };
}

export function sessionUrl(gatewayUrl: string, sessionId: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/sessions/${sessionId}`;
}

/** One honest sentence per result shape; the notification and the transcript footer both use it. */
export function describeOutcome(outcome: RunOutcome, runbookName: string): string {
  const warning = (outcome.kind === 'succeeded' || outcome.kind === 'failed') && outcome.warning ? ` ${outcome.warning}` : '';
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.exitCode === 0 || outcome.exitCode === noExitCode
        ? `${runbookName} finished successfully${outcome.exitCode === 0 ? ' (exit 0)' : ' (the gateway reported no exit code)'}.${warning}`
        : `${runbookName} finished with exit code ${outcome.exitCode}.${warning}`;
    case 'failed':
      return `${runbookName} failed with exit code ${outcome.exitCode}.${warning}`;
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
    case 'unknown':
      return `The gateway's answer about ${runbookName} could not be understood (${outcome.reason}); the run may have happened: check ${outcome.sessionId ? 'its session' : "the gateway's sessions"} before running it again.`;
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
