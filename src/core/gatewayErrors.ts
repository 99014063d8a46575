import { CancelledError, GatewayAnswerError, GatewayHttpError, GatewayUnreachableError, RunStateUnknownError } from './errors';
import { describeAnswer, hoopMessageOf, isRedirect, redirectedGatewayUrl, retryAfterSeconds, type RawResponse } from './http/answer';
import { isNotSentCode, type TransportFailure } from './http/transport';

export type GatewayOperation =
  | 'exec'
  | 'listConnections'
  | 'listRunbooks'
  | 'detectRoute'
  | 'serverInfo'
  | 'publicServerInfo'
  | 'userInfo'
  | 'loginUrl'
  | 'localLogin'
  | 'findSession'
  | 'getSession'
  | 'streamSession'
  | 'readResult'
  | 'killSession'
  | 'execReviewed'
  | 'getReview'
  | 'jiraTemplate';

export const operationLabel: Record<GatewayOperation, string> = {
  exec: 'run the runbook',
  listConnections: 'list connections',
  listRunbooks: 'list runbooks',
  detectRoute: "read the gateway's version (to choose its runbooks API)",
  serverInfo: "read the gateway's server information",
  publicServerInfo: 'learn how to sign in to the gateway',
  userInfo: 'read your hoop user',
  loginUrl: "get the identity provider's sign-in address",
  localLogin: 'sign in',
  findSession: "find the run's session",
  getSession: 'read the session',
  streamSession: "follow the session's output",
  readResult: "read the session's output",
  killSession: 'stop the session',
  execReviewed: 'run the approved session',
  getReview: 'read the review',
  jiraTemplate: "read the connection's Jira issue template",
};

/** Operations that start a run: an error answer from hoop before the session runs proves nothing ran. */
export function startsRun(operation: GatewayOperation): boolean {
  return operation === 'exec' || operation === 'execReviewed';
}

/** `POST /api/sessions/{id}/exec` refusals (§1.5), in the user's terms. */
function reviewedExecStep(status: number, gatewayMessage: string): string | undefined {
  if (status === 403 && gatewayMessage === 'review not approved or already executed') {
    return 'The review is not approved yet, or this approval was already used: an approved run executes once.';
  }
  if (status === 403 && /outside the time window/.test(gatewayMessage)) {
    return 'The approval only allows running inside that time window: run it again then.';
  }
  if (status === 403) {
    return 'Only the user who requested the run, an admin or an auditor can execute it.';
  }
  if (status === 409) {
    return 'The approved run is already being executed: follow it on its session page.';
  }
  if (status === 404) {
    return 'The session or its review no longer exists on the gateway: check the session id.';
  }
  return undefined;
}

/** What the user should do next, from the status and hoop's `{"message"}` text (hoop-gateway.md §1.3). */
export function nextStepFor(status: number, gatewayMessage: string, operation?: GatewayOperation): string {
  if (operation === 'localLogin' && (status === 401 || status === 404)) {
    return 'Check the email and password and sign in again.';
  }
  const reviewed = operation === 'execReviewed' ? reviewedExecStep(status, gatewayMessage) : undefined;
  if (reviewed) {
    return reviewed;
  }
  if (operation === 'killSession' && status === 404) {
    return 'Only the user who started the run or an admin can stop it, and the session must exist.';
  }
  if (operation === 'loginUrl' && status === 403) {
    return "The gateway has no identity provider configured for this sign-in method: ask a hoop admin, or sign in with an API key.";
  }
  if (status === 401) {
    return 'Sign in again with "Hoop: Sign In".';
  }
  if (status === 403) {
    return 'Your hoop user is not allowed to do this: runbook rules do not let you run this runbook on this connection, or your role is auditor. Ask a hoop admin for access.';
  }
  if (gatewayMessage === 'connection not found') {
    return 'The connection does not exist or is hidden from you: pick another connection.';
  }
  if (gatewayMessage === 'runbook configuration not found') {
    return 'The gateway has no runbook repository configured: ask a hoop admin to add this repository under Runbooks.';
  }
  if (/^runbook file .* not found/.test(gatewayMessage)) {
    return 'The gateway reads the tip of main (or master) of its repository: commit and push the runbook there, then run it again (the gateway may cache the repository for up to 5 minutes).';
  }
  if (/^runbook repository config .* not found$/.test(gatewayMessage)) {
    return "The gateway has no repository with this key: check that this workspace's origin remote is the repository configured in hoop.";
  }
  const metadataField = /^missing required metadata field: (.+)$/.exec(gatewayMessage);
  if (metadataField) {
    return `The connection requires the metadata field "${metadataField[1]}": add it to the "hoop.metadata" setting or enter it when asked.`;
  }
  if (status === 404 && /plugin/.test(gatewayMessage)) {
    return 'This gateway has no legacy runbooks plugin: set "hoop.apiRoute" to "auto" or "v2".';
  }
  if (status === 400 && /^template: |^the following inputs are missing|^inconsistent findings|^max template size/.test(gatewayMessage)) {
    return 'Fix the runbook template or the parameter values and run it again.';
  }
  if (status === 422) {
    return 'Correct the request as the message says and run it again.';
  }
  if (status >= 500) {
    return gatewayMessage
      ? 'The gateway failed on its side: try again later or ask a hoop admin to check the gateway logs.'
      : 'The gateway, or a proxy in front of it, failed: try again later or ask a hoop admin to check the gateway and its proxy.';
  }
  return 'Check the request and run it again.';
}

/** What one request was, for the words of its error. */
export interface RequestContext {
  operation: GatewayOperation;
  gatewayUrl: string;
  /** The path asked for, e.g. `/api/runbooks/exec`. */
  route: string;
  /** The exec body's correlation_id, when the request started a run with one. */
  correlationId?: string;
  timeoutMs: number;
}

/** hoop answers these with `{"message"}` before any session exists (§1.3, §1.5): only then did nothing run. */
function provesNothingRan(status: number, operation: GatewayOperation): boolean {
  return [400, 401, 403, 404, 422].includes(status) || (operation === 'execReviewed' && status === 409);
}

function answerNextStep(response: RawResponse, context: RequestContext, hoopMessage: string | undefined): string {
  if (isRedirect(response.status) && response.headers.location) {
    const target = redirectedGatewayUrl(response.headers.location, context.gatewayUrl + context.route, context.route);
    return `Set "hoop.gatewayUrl" to ${target} if that is the gateway: redirects are not followed, so your token never goes to another address.`;
  }
  if (response.status === 429) {
    const seconds = retryAfterSeconds(response);
    return seconds === undefined ? 'Wait a moment, then try again.' : `Wait ${seconds} s, then try again.`;
  }
  return nextStepFor(response.status, hoopMessage ?? '', context.operation);
}

/** Where to look for a run whose fate is unknown. */
function whereToLook(context: RequestContext): string {
  const sessions = `${context.gatewayUrl}/sessions`;
  return context.correlationId ? `find its session (correlation id "${context.correlationId}") at ${sessions}` : `check ${sessions}`;
}

function runStateUnknown(context: RequestContext, what: string, options: { status?: number; detail?: string; timedOut?: boolean; nextStep?: string } = {}): RunStateUnknownError {
  const { status, detail, timedOut = false, nextStep } = options;
  return new RunStateUnknownError(
    `The run may have happened: ${what}, which does not say whether it ran. Before running it again, ${whereToLook(context)}.${nextStep ? ` ${nextStep}` : ''}`,
    `${context.gatewayUrl}/sessions`,
    context.correlationId,
    status,
    detail,
    timedOut,
  );
}

/** An answer other than the success asked for. At a run, only hoop's own pre-session errors prove nothing ran. */
export function errorForAnswer(response: RawResponse, context: RequestContext): GatewayHttpError | RunStateUnknownError {
  const hoopMessage = hoopMessageOf(response);
  const said = describeAnswer(response, context.gatewayUrl + context.route);
  const nextStep = answerNextStep(response, context, hoopMessage);
  if (startsRun(context.operation) && !(hoopMessage !== undefined && provesNothingRan(response.status, context.operation))) {
    return runStateUnknown(context, `the gateway ${said}`, { status: response.status, nextStep });
  }
  const nothingRan = startsRun(context.operation) ? ' Nothing ran.' : '';
  return new GatewayHttpError(`Could not ${operationLabel[context.operation]}: the gateway ${said}.${nothingRan} ${nextStep}`, response.status, hoopMessage ?? '', context.route);
}

/** hoop-style `{"message"}` error for tests and callers that already hold the message. */
export function gatewayHttpError(status: number, gatewayMessage: string, route: string, operation: GatewayOperation): GatewayHttpError {
  const nothingRan = startsRun(operation) ? ' Nothing ran.' : '';
  const message = `Could not ${operationLabel[operation]}: the gateway answered ${status}${gatewayMessage ? ` "${gatewayMessage}"` : ''}.${nothingRan} ${nextStepFor(status, gatewayMessage, operation)}`;
  return new GatewayHttpError(message, status, gatewayMessage, route);
}

/** Certificate problems by Node's code, with what fixes each. */
function tlsProblem(code: string): string | undefined {
  const caFix = 'If your organisation uses its own certificate authority, set "caFile" for this gateway in "hoop.gateways" to that CA\'s PEM file.';
  if (/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/.test(code)) {
    return `the gateway's TLS certificate is self-signed or signed by a CA this machine does not trust (${code}). ${caFix}`;
  }
  if (/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/.test(code)) {
    return `the gateway's TLS certificate is not signed by a CA this machine trusts (${code}). ${caFix}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the gateway's TLS certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${code}). Ask a hoop admin to renew it, and check this machine's clock.`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return `the gateway's TLS certificate is for another host name (${code}). Check that "hoop.gatewayUrl" uses the gateway's own name.`;
  }
  if (/^(ERR_TLS_|ERR_SSL_|EPROTO)/.test(code)) {
    return `the TLS handshake with the gateway failed (${code}). Check that "hoop.gatewayUrl" uses https:// only if the gateway serves TLS on that port.`;
  }
  return undefined;
}

function unreachableReason(code: string, gatewayUrl: string): string {
  const host = (() => {
    try {
      return new URL(gatewayUrl).host;
    } catch {
      return gatewayUrl;
    }
  })();
  const tls = tlsProblem(code);
  if (tls) {
    return `Could not connect securely to the gateway at ${gatewayUrl}: ${tls}`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Could not reach the gateway at ${gatewayUrl}: the host name ${host} does not resolve (${code}). Check "hoop.gatewayUrl" and your network or VPN.`;
  }
  if (code === 'ECONNREFUSED') {
    return `Could not reach the gateway at ${gatewayUrl}: nothing accepts connections at ${host} (${code}). Check "hoop.gatewayUrl" and that the gateway is running.`;
  }
  return `Could not reach the gateway at ${gatewayUrl} (${code || 'network error'}). Check "hoop.gatewayUrl" and your network.`;
}

/** No whole answer arrived. At a run, anything after the request may have left this machine leaves its fate unknown. */
export function errorForTransport(failure: TransportFailure, context: RequestContext): Error {
  const run = startsRun(context.operation);
  const purpose = `to ${operationLabel[context.operation]}`;
  const detail = `${failure.kind} ${failure.code}`.trim();
  if (failure.kind === 'cancelled') {
    return run ? new CancelledError(`Stopped waiting for the gateway. The run may still happen: ${whereToLook(context)}.`, false) : new CancelledError();
  }
  const seconds = Math.round(context.timeoutMs / 1000);
  if (failure.kind === 'timeout') {
    const what = failure.status === undefined ? `the gateway did not answer within ${seconds} s` : `the gateway's answer did not finish within ${seconds} s`;
    return run
      ? runStateUnknown(context, what, { status: failure.status, detail, timedOut: true })
      : new GatewayUnreachableError(`The gateway at ${context.gatewayUrl} did not answer in time ${purpose} (${seconds} s). Try again, or check the gateway and your network.`, context.gatewayUrl, detail, true);
  }
  if (failure.kind === 'tooLarge') {
    const what = `the gateway's answer was larger than this extension reads, so it stopped reading it (cut)`;
    return run ? runStateUnknown(context, what, { status: failure.status, detail }) : new GatewayAnswerError(`The gateway's answer ${purpose} was too large, so reading it stopped (cut). Ask a hoop admin to check the gateway.`, context.route, detail);
  }
  if (failure.kind === 'undecodable') {
    const what = `the gateway's answer came compressed as "${failure.code}", which could not be decoded`;
    return run ? runStateUnknown(context, what, { status: failure.status, detail }) : new GatewayAnswerError(`Could not ${operationLabel[context.operation]}: ${what}. A proxy may be compressing answers: ask for it to pass them through unchanged.`, context.route, detail);
  }
  if (!run) {
    const reason = failure.maybeSent
      ? `The connection to the gateway at ${context.gatewayUrl} broke ${failure.status === undefined ? 'before' : 'while reading'} its answer ${purpose} (${failure.code || 'closed'}). Try again; if it keeps happening, a proxy between you and the gateway may be cutting answers.`
      : unreachableReason(failure.code, context.gatewayUrl);
    return new GatewayUnreachableError(reason, context.gatewayUrl, detail);
  }
  if (!failure.maybeSent || isNotSentCode(failure.code)) {
    return new GatewayUnreachableError(`${unreachableReason(failure.code, context.gatewayUrl)} Nothing was sent, so nothing ran.`, context.gatewayUrl, detail);
  }
  const what = failure.status === undefined ? `the connection to the gateway broke (${failure.code || 'closed'}) before any answer` : `the connection broke (${failure.code || 'closed'}) while the gateway's ${failure.status} answer was being read`;
  return runStateUnknown(context, what, { status: failure.status, detail });
}
