import { GatewayHttpError } from './errors';

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
    return 'Set a valid API key or token with "Hoop: Set API Key or Token".';
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
    return 'The gateway failed on its side: try again later or ask a hoop admin to check the gateway logs.';
  }
  return 'Check the request and run it again.';
}

export function gatewayHttpError(status: number, gatewayMessage: string, route: string, operation: GatewayOperation): GatewayHttpError {
  const nothingRan = startsRun(operation) ? ' Nothing ran.' : '';
  const message = `Could not ${operationLabel[operation]}: the gateway answered ${status}${gatewayMessage ? ` "${gatewayMessage}"` : ''}.${nothingRan} ${nextStepFor(status, gatewayMessage, operation)}`;
  return new GatewayHttpError(message, status, gatewayMessage, route);
}
