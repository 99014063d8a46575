/**
 * Typed errors thrown by core. The command boundary turns each into one notification
 * (see src/errorReporter.ts); `detail` goes to the log only and must never hold a secret.
 */
export abstract class HoopError extends Error {
  abstract readonly code: string;
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The template does not parse (Go text/template or hoop's discovery rule); `message` is hoop's exact text. */
export class TemplateParseError extends HoopError {
  readonly code = 'template-parse';
}

/** Rendering failed (missing inputs, `required`, `pattern`, `decodeb64`, …); `message` is hoop's exact text. */
export class TemplateExecError extends HoopError {
  readonly code = 'template-exec';
}

export class GitNotFoundError extends HoopError {
  readonly code = 'git-not-found';
  constructor(detail?: string) {
    super('Git is not installed or not on the PATH, so the runbook commit cannot be read. Install git and try again.', detail);
  }
}

export class NotInGitRepositoryError extends HoopError {
  readonly code = 'not-in-git-repository';
  constructor(readonly filePath: string) {
    super(`${filePath} is not inside a git repository. The gateway runs runbooks from its git repository: commit the runbook to that repository first.`);
  }
}

export class NoCommitError extends HoopError {
  readonly code = 'no-commit';
  constructor(readonly repoRoot: string) {
    super(`The git repository at ${repoRoot} has no commits yet. Commit and push the runbook, then run it.`);
  }
}

/** Any other git failure (e.g. "detected dubious ownership"): git's own first line says what to fix. */
export class GitCommandError extends HoopError {
  readonly code = 'git-command';
  constructor(gitMessage: string) {
    const firstLine = gitMessage.trim().split('\n')[0] ?? '';
    super(`Git could not read the runbook's repository: ${firstLine}`, gitMessage);
  }
}

export class RepositoryKeyError extends HoopError {
  readonly code = 'repository-key';
}

export class UntrustedWorkspaceError extends HoopError {
  readonly code = 'untrusted-workspace';
  constructor() {
    super('Running runbooks needs a trusted workspace: a runbook runs commands on your infrastructure. Trust this workspace to run it.');
  }
}

export class ConfigurationError extends HoopError {
  readonly code = 'configuration';
}

export class NoTokenError extends HoopError {
  readonly code = 'no-token';
  constructor(readonly gatewayUrl: string) {
    super(`You are not signed in to ${gatewayUrl}. Run "Hoop: Sign In" first.`);
  }
}

/** The gateway answered with a non-2xx status and (usually) `{"message": …}`. Nothing ran unless `sessionId` says so. */
export class GatewayHttpError extends HoopError {
  readonly code = 'gateway-http';
  constructor(
    message: string,
    readonly status: number,
    readonly gatewayMessage: string,
    readonly route: string,
  ) {
    super(message);
  }
}

/** The gateway answered, but not in a shape hoop uses (wrong types, missing lists, not JSON). */
export class GatewayAnswerError extends HoopError {
  readonly code = 'gateway-answer';
  constructor(message: string, readonly route: string, detail?: string) {
    super(message, detail);
  }
}

/**
 * A run was sent, or may have been, and no answer proves what happened: a proxy's 502/503/504, an HTML 500,
 * a broken connection, a timeout, an answer too large to read. The run may have happened: look before running again.
 */
export class RunStateUnknownError extends HoopError {
  readonly code = 'run-state-unknown';
  constructor(
    message: string,
    /** Where to look: the gateway's sessions page. */
    readonly sessionsUrl: string,
    /** The exec body's correlation_id, when it had one: it finds the run's session (§1.9). */
    readonly correlationId: string | undefined,
    /** The HTTP status when an answer arrived. */
    readonly httpStatus: number | undefined,
    detail?: string,
    readonly timedOut = false,
  ) {
    super(message, detail);
  }
}

/** The gateway rejected this token with 401 before: a run is not sent with it again (the user must sign in or set a new one). */
export class RejectedTokenError extends HoopError {
  readonly code = 'rejected-token';
  constructor(readonly gatewayUrl: string) {
    super(`Not sent: the gateway at ${gatewayUrl} already rejected this token (401), so the run was not sent with it again. Nothing ran. Sign in again with "Hoop: Sign In".`);
  }
}

/** The gateway has no live output stream for sessions (before ~1.63), or it closed early: follow the session by polling instead. */
export class StreamUnavailableError extends HoopError {
  readonly code = 'stream-unavailable';
}

/** No HTTP answer at all: DNS, refused connection, TLS, or the client timeout. Whether exec ran is unknown. */
export class GatewayUnreachableError extends HoopError {
  readonly code = 'gateway-unreachable';
  constructor(message: string, readonly gatewayUrl: string, detail?: string, readonly timedOut = false) {
    super(message, detail);
  }
}

/** The user cancelled. Escape in a prompt is silent; stopping a sent request is not (the run may still happen). */
export class CancelledError extends HoopError {
  readonly code = 'cancelled';
  constructor(message = 'Cancelled.', readonly silent = true) {
    super(message);
  }
}
