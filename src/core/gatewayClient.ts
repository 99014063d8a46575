import type { Dispatcher } from 'undici';
import { CancelledError, GatewayAnswerError, GatewayHttpError, GatewayUnreachableError, StreamUnavailableError } from './errors';
import { gatewayHttpError, operationLabel, startsRun, type GatewayOperation } from './gatewayErrors';
import { parseJiraTemplate, parseReview, parseSession } from './gatewaySessions';
import type {
  ExecRequestBody,
  ExecResponseBody,
  GatewayConnection,
  GatewayReview,
  GatewaySession,
  JiraIssueTemplate,
  PublicServerInfo,
  RunbookListResponse,
  ServerInfo,
  SessionStreamEvent,
  UserInfo,
} from './gatewayTypes';
import { ShapeReader } from './http/shape';
import { readSse } from './http/sse';
import { openHttpStream, sendHttp, TransportFailure } from './http/transport';

export type ApiRoute = 'v2' | 'legacy';

export interface GatewayClientOptions {
  gatewayUrl: string;
  /** Absent for the calls made before sign-in (public server info, login): they send no Authorization. */
  token?: string;
  /** Exec waits 50 s on the gateway after up to 30 s of git fetch: the settings keep this ≥ 120 s (§1.6). Default 120 s. */
  execTimeoutMs?: number;
  /** Every other request, headers and body together. Default 30 s. */
  requestTimeoutMs?: number;
  userAgent?: string;
  /** The gateway may rotate an expired token and send the new one in `X-New-Access-Token` (§4.1). */
  onNewToken?: (token: string) => void;
  /** An undici Agent or ProxyAgent, e.g. for a custom CA or a proxy. */
  dispatcher?: Dispatcher;
}

export interface ExecResult {
  status: number;
  body: ExecResponseBody;
}

/** Which exec API to use, and why (`note` says when the version could not be read). */
export interface RouteDetection {
  route: ApiRoute;
  version: string;
  note?: string;
}

export type LoginMethod = 'oidc' | 'saml';

const defaultExecTimeoutMs = 120_000;
const defaultRequestTimeoutMs = 30_000;
/** hoop cuts output at 110 MiB (§1.4); JSON escaping can double it, plus the other fields. */
const execAnswerMaxBytes = 2 * 110 * 1024 * 1024 + 64 * 1024;
/** Listings and small reads. */
const readAnswerMaxBytes = 32 * 1024 * 1024;
/** `/api/runbooks` exists from 1.43.1 (§0.2, §4.6). */
const firstV2Version = [1, 43, 1] as const;
/** hoop sends a keepalive comment every 30 s on the session stream (§1.6). */
const streamIdleTimeoutMs = 75_000;

/** Legacy static keys (`xapi-…` or `<uuid>|…`) also go as `Api-Key`, like hoop's CLI (§4.3). */
export function isLegacyApiKey(token: string): boolean {
  return token.startsWith('xapi-') || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\|/i.test(token);
}

export function authHeaders(token: string): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (isLegacyApiKey(token)) {
    headers['api-key'] = token;
  }
  return headers;
}

export function execPath(route: ApiRoute, connectionName: string): string {
  return route === 'v2' ? '/api/runbooks/exec' : `/api/plugins/runbooks/connections/${encodeURIComponent(connectionName)}/exec`;
}

/** The V2 body carries connection and repository; the legacy route takes the connection from its path and knows one repository. */
export function execBodyFor(route: ApiRoute, body: ExecRequestBody): ExecRequestBody {
  if (route === 'v2') {
    return body;
  }
  const { connection_name: _connection, repository: _repository, correlation_id: _correlation, ...legacy } = body;
  return legacy;
}

/** V2 from 1.43.1; a version that does not parse (a dev build) is taken as current. */
export function routeForVersion(version: string): RouteDetection {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) {
    return { route: 'v2', version, note: `The gateway reports version "${version}", which is not a release number; using the V2 runbooks API.` };
  }
  const parts = match.slice(1, 4).map(Number);
  for (let index = 0; index < 3; index++) {
    if (parts[index] !== firstV2Version[index]) {
      return { route: parts[index] > firstV2Version[index] ? 'v2' : 'legacy', version };
    }
  }
  return { route: 'v2', version };
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function sessionPath(sessionId: string, suffix = ''): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}${suffix}`;
}

interface SendOptions {
  operation: GatewayOperation;
  body?: unknown;
  /** Default true; false for the calls made before sign-in. */
  authenticated?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Default application/json. */
  accept?: string;
}

export class GatewayClient {
  private readonly baseUrl: string;
  private token: string | undefined;

  constructor(private readonly options: GatewayClientOptions) {
    this.baseUrl = options.gatewayUrl.replace(/\/+$/, '');
    this.token = options.token;
  }

  get gatewayUrl(): string {
    return this.baseUrl;
  }

  /** `GET /api/publicserverinfo`, unauthenticated: how users sign in (§4.2). */
  async publicServerInfo(signal?: AbortSignal): Promise<PublicServerInfo> {
    const route = '/api/publicserverinfo';
    const shape = new ShapeReader(`GET ${route}`);
    const body = shape.object(await this.getJson(route, { operation: 'publicServerInfo', authenticated: false }, signal));
    return {
      auth_method: shape.string(body.auth_method, 'auth_method'),
      setup_required: shape.optionalBoolean(body.setup_required, 'setup_required'),
    };
  }

  /** The identity provider's authorize URL; the gateway redirects back to 127.0.0.1:3587/callback (§4.2). */
  async loginUrl(method: LoginMethod, signal?: AbortSignal): Promise<string> {
    const route = method === 'saml' ? '/api/saml/login' : '/api/login';
    const shape = new ShapeReader(`GET ${route}`);
    const body = shape.object(await this.getJson(route, { operation: 'loginUrl', authenticated: false }, signal));
    return shape.string(body.login_url, 'login_url');
  }

  /** Local auth: the JWT comes in the `Token` response header (§4.2). */
  async localLogin(email: string, password: string, signal?: AbortSignal): Promise<string> {
    const route = '/api/localauth/login';
    const response = await this.send('POST', route, { operation: 'localLogin', body: { email, password }, authenticated: false }, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.httpError(response, route, 'localLogin');
    }
    const token = response.headers.token;
    if (!token) {
      throw new GatewayAnswerError(`The gateway accepted the sign-in at POST ${route} but sent no token (the "Token" header is missing). Ask a hoop admin to check the gateway.`, `POST ${route}`);
    }
    return token;
  }

  async userInfo(signal?: AbortSignal): Promise<UserInfo> {
    const route = '/api/userinfo';
    const shape = new ShapeReader(`GET ${route}`);
    const body = shape.object(await this.getJson(route, { operation: 'userInfo' }, signal));
    return {
      id: shape.string(body.id, 'id'),
      email: shape.string(body.email, 'email'),
      name: shape.optionalString(body.name, 'name'),
      status: shape.optionalString(body.status, 'status'),
      role: shape.optionalString(body.role, 'role'),
      groups: shape.stringList(body.groups, 'groups'),
      org_id: shape.optionalString(body.org_id, 'org_id'),
      org_name: shape.optionalString(body.org_name, 'org_name'),
      tenancy_type: shape.optionalString(body.tenancy_type, 'tenancy_type'),
    };
  }

  async serverInfo(signal?: AbortSignal): Promise<ServerInfo> {
    return this.readServerInfo('serverInfo', signal);
  }

  /**
   * §0.2, §4.6: V2 from 1.43.1, read from `GET /api/serverinfo`. A failure (e.g. a proxy's 502 or a
   * timeout) throws a typed error that names route detection; it never defaults to V2.
   */
  async detectApiRoute(signal?: AbortSignal): Promise<RouteDetection> {
    const info = await this.readServerInfo('detectRoute', signal);
    return routeForVersion(info.version);
  }

  async listConnections(signal?: AbortSignal): Promise<GatewayConnection[]> {
    const body = await this.getJson<GatewayConnection[] | { data?: GatewayConnection[] }>('/api/connections', { operation: 'listConnections' }, signal);
    return Array.isArray(body) ? body : body.data ?? [];
  }

  async listRunbooks(route: ApiRoute, signal?: AbortSignal): Promise<RunbookListResponse> {
    const path = route === 'v2' ? '/api/runbooks?list_connections=true' : '/api/plugins/runbooks/templates';
    return this.getJson<RunbookListResponse>(path, { operation: 'listRunbooks' }, signal);
  }

  /** Exec is not idempotent: this sends exactly one request and never retries. */
  async exec(route: ApiRoute, body: ExecRequestBody, signal?: AbortSignal): Promise<ExecResult> {
    return this.startRun(execPath(route, body.connection_name ?? ''), 'exec', execBodyFor(route, body), signal);
  }

  /** Runs an approved review's stored script (§1.5, no body). Like exec: one request, never retried. */
  async execReviewedSession(sessionId: string, signal?: AbortSignal): Promise<ExecResult> {
    return this.startRun(sessionPath(sessionId, '/exec'), 'execReviewed', undefined, signal);
  }

  /** The V2 session created for an exec body's `correlation_id` (§1.9); undefined until the gateway has it. */
  async findSessionByCorrelationId(correlationId: string, signal?: AbortSignal): Promise<GatewaySession | undefined> {
    const path = `/api/sessions?correlation_id=${encodeURIComponent(correlationId)}&limit=1`;
    const shape = new ShapeReader('GET /api/sessions');
    const body = shape.object(await this.getJson(path, { operation: 'findSession' }, signal));
    const sessions = shape.list(body.data, 'data', (entry, entryPath) => parseSession(shape, entry, entryPath));
    // A gateway older than the correlation_id filter ignores it and lists other sessions.
    return sessions.find((session) => session.correlation_id === correlationId);
  }

  /** `withOutput` asks for the decoded output (`expand=event_stream&event_stream=utf8`), owner, admin or auditor only (§1.6). */
  async getSession(sessionId: string, options: { withOutput?: boolean } = {}, signal?: AbortSignal): Promise<GatewaySession> {
    const path = sessionPath(sessionId, options.withOutput ? '?expand=event_stream&event_stream=utf8' : '');
    const json = await this.getJson(path, { operation: 'getSession', maxBytes: execAnswerMaxBytes }, signal);
    return parseSession(new ShapeReader('GET /api/sessions/{id}'), json);
  }

  /**
   * The session's live output (SSE, ~1.63+, §1.6): from now on, no catch-up; `end` when it is done.
   * Throws StreamUnavailableError when the gateway has no such route or the stream closes early.
   */
  async *streamSessionOutput(sessionId: string, signal: AbortSignal): AsyncIterable<SessionStreamEvent> {
    const path = sessionPath(sessionId, '/stream');
    const stream = await this.openStream(path, signal);
    const decoders = { o: new TextDecoder('utf-8'), e: new TextDecoder('utf-8'), i: new TextDecoder('utf-8') };
    const shape = new ShapeReader(`GET /api/sessions/{id}/stream`);
    try {
      for await (const message of readSse(stream.chunks)) {
        if (message.event === 'session_end') {
          for (const [name, decoder] of Object.entries(decoders)) {
            const rest = decoder.decode();
            if (rest) {
              yield { kind: 'output', stream: name as keyof typeof decoders, text: rest };
            }
          }
          yield { kind: 'end' };
          return;
        }
        if (message.event !== 'event') {
          continue;
        }
        const event = shape.object(parseJson(message.data), 'event data');
        const type = shape.string(event.type, 'type');
        if (type !== 'o' && type !== 'e' && type !== 'i') {
          continue;
        }
        // One decoder per stream keeps a character split across two events whole.
        const text = decoders[type].decode(Buffer.from(shape.string(event.payload, 'payload'), 'base64'), { stream: true });
        if (text) {
          yield { kind: 'output', stream: type, text };
        }
      }
    } catch (error) {
      if (error instanceof GatewayAnswerError) {
        throw error;
      }
      throw this.transportError(error, 'streamSession', signal);
    }
    throw new StreamUnavailableError("The gateway closed the session's live output before the session ended; following it by polling instead.");
  }

  /** `GET /api/sessions/{id}/result/stream` (~1.50+): the decoded output as text (§1.6). */
  async readSessionResult(sessionId: string, signal?: AbortSignal): Promise<string> {
    const path = sessionPath(sessionId, '/result/stream');
    const response = await this.send('GET', path, { operation: 'readResult', accept: 'text/plain', maxBytes: execAnswerMaxBytes }, signal);
    if (response.status !== 200) {
      throw this.httpError(response, path, 'readResult');
    }
    return response.text;
  }

  /** `POST /api/sessions/{id}/kill` answers 204 (§1.6). */
  async killSession(sessionId: string, signal?: AbortSignal): Promise<void> {
    const path = sessionPath(sessionId, '/kill');
    const response = await this.send('POST', path, { operation: 'killSession' }, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.httpError(response, path, 'killSession');
    }
  }

  /** `GET /api/reviews/{id}`: the review's own id or its session id (§1.5). */
  async getReview(idOrSessionId: string, signal?: AbortSignal): Promise<GatewayReview> {
    const json = await this.getJson(`/api/reviews/${encodeURIComponent(idOrSessionId)}`, { operation: 'getReview' }, signal);
    return parseReview(new ShapeReader('GET /api/reviews/{id}'), json);
  }

  /** The Jira issue template of a connection (`jira_issue_template_id`, §1.8). */
  async jiraIssueTemplate(id: string, signal?: AbortSignal): Promise<JiraIssueTemplate> {
    const json = await this.getJson(`/api/integrations/jira/issuetemplates/${encodeURIComponent(id)}`, { operation: 'jiraTemplate' }, signal);
    return parseJiraTemplate(new ShapeReader('GET /api/integrations/jira/issuetemplates/{id}'), json);
  }

  private async startRun(path: string, operation: GatewayOperation, body: unknown, signal: AbortSignal | undefined): Promise<ExecResult> {
    const response = await this.send(
      'POST',
      path,
      { operation, body, timeoutMs: this.options.execTimeoutMs ?? defaultExecTimeoutMs, maxBytes: execAnswerMaxBytes },
      signal,
    );
    if (response.status !== 200 && response.status !== 202) {
      throw this.httpError(response, path, operation);
    }
    const parsed = parseJson(response.text);
    if (!parsed || typeof parsed !== 'object') {
      throw new GatewayHttpError(
        `The gateway answered ${response.status} to exec with a body that is not JSON. It may have run: check the gateway's sessions.`,
        response.status,
        '',
        path,
      );
    }
    return { status: response.status, body: parsed as ExecResponseBody };
  }

  private async openStream(path: string, signal: AbortSignal) {
    try {
      const stream = await openHttpStream({
        url: this.baseUrl + path,
        method: 'GET',
        headers: this.headers({ operation: 'streamSession', accept: 'text/event-stream' }),
        signal,
        timeoutMs: this.options.requestTimeoutMs ?? defaultRequestTimeoutMs,
        idleTimeoutMs: streamIdleTimeoutMs,
        dispatcher: this.options.dispatcher,
      });
      this.adoptNewToken(stream.headers['x-new-access-token']);
      const contentType = stream.headers['content-type'] ?? '';
      if (stream.status === 200 && /^text\/event-stream\b/i.test(contentType)) {
        return stream;
      }
      const response = { status: stream.status, headers: stream.headers, text: await stream.text(readAnswerMaxBytes) };
      if ((stream.status === 404 && !/\bjson\b/i.test(contentType)) || stream.status === 200) {
        throw new StreamUnavailableError(`The gateway has no live output stream for sessions (it answered ${stream.status} ${contentType || 'without a content type'}); following the session by polling instead.`);
      }
      throw this.httpError(response, path, 'streamSession');
    } catch (error) {
      if (error instanceof GatewayHttpError || error instanceof StreamUnavailableError) {
        throw error;
      }
      throw this.transportError(error, 'streamSession', signal);
    }
  }

  private async readServerInfo(operation: GatewayOperation, signal?: AbortSignal): Promise<ServerInfo> {
    const route = '/api/serverinfo';
    const shape = new ShapeReader(`GET ${route}`);
    const body = shape.object(await this.getJson(route, { operation }, signal));
    return {
      version: shape.string(body.version, 'version'),
      commit_sha: shape.optionalString(body.commit_sha, 'commit_sha'),
      api_url: shape.optionalString(body.api_url, 'api_url'),
      grpc_url: shape.optionalString(body.grpc_url, 'grpc_url'),
      auth_method: shape.optionalString(body.auth_method, 'auth_method'),
      tenancy_type: shape.optionalString(body.tenancy_type, 'tenancy_type'),
    };
  }

  private async getJson<T = unknown>(path: string, options: SendOptions, signal?: AbortSignal): Promise<T> {
    const response = await this.send('GET', path, options, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.httpError(response, path, options.operation);
    }
    const parsed = parseJson(response.text);
    if (parsed === undefined) {
      throw new GatewayAnswerError(
        `The gateway at ${this.baseUrl} answered GET ${path} with something that is not JSON. Check "hoop.gatewayUrl": it must be the gateway's API address.`,
        `GET ${path}`,
      );
    }
    return parsed as T;
  }

  private httpError(response: RawResponse, path: string, operation: GatewayOperation): GatewayHttpError {
    const parsed = parseJson(response.text) as { message?: unknown } | undefined;
    const message = parsed && typeof parsed.message === 'string' ? parsed.message : response.text.trim().slice(0, 200);
    return gatewayHttpError(response.status, message, path, operation);
  }

  private async send(method: 'GET' | 'POST', path: string, options: SendOptions, signal: AbortSignal | undefined): Promise<RawResponse> {
    try {
      const response = await sendHttp({
        url: this.baseUrl + path,
        method,
        headers: this.headers(options),
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
        timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs ?? defaultRequestTimeoutMs,
        maxBytes: options.maxBytes ?? readAnswerMaxBytes,
        dispatcher: this.options.dispatcher,
      });
      this.adoptNewToken(response.headers['x-new-access-token']);
      return response;
    } catch (error) {
      throw this.transportError(error, options.operation, signal);
    }
  }

  private headers(options: SendOptions): Record<string, string> {
    const token = options.authenticated === false ? undefined : this.token;
    return {
      accept: options.accept ?? 'application/json',
      'accept-encoding': 'identity',
      'user-agent': this.options.userAgent ?? 'hoop-runbooks-vscode',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? authHeaders(token) : {}),
    };
  }

  /** §4.1: the gateway served the request with a refreshed token; use it from now on. */
  private adoptNewToken(newToken: string | undefined): void {
    if (newToken && newToken !== this.token) {
      this.token = newToken;
      this.options.onNewToken?.(newToken);
    }
  }

  private transportError(error: unknown, operation: GatewayOperation, signal: AbortSignal | undefined): Error {
    const failure = error instanceof TransportFailure ? error : new TransportFailure('network', '', true);
    const ranUnknown = startsRun(operation) ? ` The runbook may still run on the gateway: check ${this.baseUrl}/sessions.` : '';
    if (failure.kind === 'cancelled' || signal?.aborted) {
      return startsRun(operation) ? new CancelledError(`Stopped waiting for the gateway.${ranUnknown}`, false) : new CancelledError();
    }
    const detail = `${failure.kind} ${failure.code}`.trim();
    const purpose = `to ${operationLabel[operation]}`;
    if (failure.kind === 'timeout') {
      return new GatewayUnreachableError(`The gateway at ${this.baseUrl} did not answer in time ${purpose}.${ranUnknown}`, this.baseUrl, detail, true);
    }
    if (failure.kind === 'tooLarge') {
      return new GatewayAnswerError(`The gateway's answer ${purpose} was too large; stopped reading it.${ranUnknown}`, operation, detail);
    }
    const runState = !startsRun(operation) ? '' : failure.maybeSent ? ranUnknown : ' Nothing was sent, so nothing ran.';
    return new GatewayUnreachableError(
      `Could not reach the gateway at ${this.baseUrl} ${purpose} (${failure.code || 'network error'}). Check "hoop.gatewayUrl" and your network.${runState}`,
      this.baseUrl,
      detail,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
