import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { GatewayAnswerError, GatewayHttpError, RejectedTokenError, RunStateUnknownError, StreamUnavailableError } from './errors';
import { errorForAnswer, errorForTransport, type GatewayOperation, type RequestContext } from './gatewayErrors';
import { parseConnections, parseRunbookListing } from './gatewayListings';
import { parseJiraTemplate, parseReview, parseSession } from './gatewaySessions';
import type {
  ExecRequestBody,
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
import type { RawResponse } from './http/answer';
import { ExecAnswerReader, wholeOutput, type ExecOutputSink } from './execAnswer';
import { openHttpStream, sendHttp, TransportFailure, type HttpRequest } from './http/transport';

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
  /** Where reading an answer stops. Defaults: runs and session output 220 MiB (hoop's 110 MiB of output, JSON-escaped), other reads 32 MiB. */
  maxAnswerBytes?: { run?: number; read?: number };
}

/** A 200 or 202 answer to a run, not yet checked: `interpretExecResponse` decides what it means. */
export interface ExecResult {
  status: number;
  /** The parsed JSON (its `output` as the sink kept it), or undefined when the body is not a JSON object. */
  body: unknown;
  /** The start of a body that is not a JSON object, for the log. */
  text?: string;
  /** What the output sink cut from the start of `output`. */
  outputCharsDropped: number;
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

/**
 * Tokens a gateway answered 401 to, across clients (a new client may be built with the same stored token):
 * a run is never sent again with one. Hashed, so no token is kept in memory beyond its client.
 */
const rejectedTokens = new Set<string>();

function tokenKey(gatewayUrl: string, token: string): string {
  return createHash('sha256').update(`${gatewayUrl}\n${token}`).digest('hex');
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
  /** The run's correlation_id, named in errors that leave the run's fate unknown. */
  correlationId?: string;
  bodySink?: HttpRequest['bodySink'];
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

  /** True once the gateway answered 401 to this client's current token (until a request with it succeeds). */
  get tokenRejected(): boolean {
    return this.token !== undefined && rejectedTokens.has(tokenKey(this.baseUrl, this.token));
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
    const options: SendOptions = { operation: 'localLogin', body: { email, password }, authenticated: false };
    const response = await this.send('POST', route, options, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.answerError(response, route, options);
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
    const json = await this.getJson('/api/connections', { operation: 'listConnections' }, signal);
    return parseConnections(new ShapeReader('GET /api/connections'), json);
  }

  async listRunbooks(route: ApiRoute, signal?: AbortSignal): Promise<RunbookListResponse> {
    const path = route === 'v2' ? '/api/runbooks?list_connections=true' : '/api/plugins/runbooks/templates';
    const json = await this.getJson(path, { operation: 'listRunbooks' }, signal);
    return parseRunbookListing(new ShapeReader(`GET ${path.split('?')[0]}`), json);
  }

  /**
   * Exec is not idempotent: this sends exactly one request and never retries, and never with a token the
   * gateway already rejected. A GatewayHttpError from here proves nothing ran; RunStateUnknownError says it may have.
   */
  async exec(route: ApiRoute, body: ExecRequestBody, signal?: AbortSignal, output?: ExecOutputSink): Promise<ExecResult> {
    const path = execPath(route, body.connection_name ?? '');
    const sent = execBodyFor(route, body);
    return this.startRun(path, { operation: 'exec', body: sent, correlationId: sent.correlation_id }, signal, output);
  }

  /** Runs an approved review's stored script (§1.5, no body). Like exec: one request, never retried. */
  async execReviewedSession(sessionId: string, signal?: AbortSignal, output?: ExecOutputSink): Promise<ExecResult> {
    return this.startRun(sessionPath(sessionId, '/exec'), { operation: 'execReviewed' }, signal, output);
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
    const json = await this.getJson(path, { operation: 'getSession', maxBytes: this.runAnswerLimit }, signal);
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
      throw error instanceof TransportFailure ? errorForTransport(error, this.context(path, { operation: 'streamSession', timeoutMs: streamIdleTimeoutMs })) : error;
    }
    throw new StreamUnavailableError("The gateway closed the session's live output before the session ended; following it by polling instead.");
  }

  /** `GET /api/sessions/{id}/result/stream` (~1.50+): the decoded output as text (§1.6). */
  async readSessionResult(sessionId: string, signal?: AbortSignal): Promise<string> {
    const path = sessionPath(sessionId, '/result/stream');
    const options: SendOptions = { operation: 'readResult', accept: 'text/plain', maxBytes: this.runAnswerLimit };
    const response = await this.send('GET', path, options, signal);
    if (response.status !== 200) {
      throw this.answerError(response, path, options);
    }
    return response.text;
  }

  /** `POST /api/sessions/{id}/kill` answers 204 (§1.6). */
  async killSession(sessionId: string, signal?: AbortSignal): Promise<void> {
    const path = sessionPath(sessionId, '/kill');
    const options: SendOptions = { operation: 'killSession' };
    const response = await this.send('POST', path, options, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.answerError(response, path, options);
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

  /** The answer's `output` streams into `output` as it arrives (by default kept whole): it can be 110 MiB. */
  private async startRun(
    path: string,
    options: Omit<SendOptions, 'timeoutMs' | 'maxBytes'>,
    signal: AbortSignal | undefined,
    output: ExecOutputSink = wholeOutput(),
  ): Promise<ExecResult> {
    if (this.tokenRejected) {
      throw new RejectedTokenError(this.baseUrl);
    }
    const answer = new ExecAnswerReader(output);
    const runOptions: SendOptions = {
      ...options,
      timeoutMs: this.options.execTimeoutMs ?? defaultExecTimeoutMs,
      maxBytes: this.runAnswerLimit,
      bodySink: (status) => (status === 200 || status === 202 ? answer.write : undefined),
    };
    const response = await this.send('POST', path, runOptions, signal);
    if (response.status !== 200 && response.status !== 202) {
      throw this.answerError(response, path, runOptions);
    }
    const { body, text, outputCharsDropped } = answer.result();
    return { status: response.status, body, ...(body === undefined ? { text } : {}), outputCharsDropped };
  }

  private async openStream(path: string, signal: AbortSignal) {
    const options: SendOptions = { operation: 'streamSession', accept: 'text/event-stream' };
    try {
      const stream = await openHttpStream({
        url: this.baseUrl + path,
        method: 'GET',
        headers: this.headers(options),
        signal,
        timeoutMs: this.requestTimeout(options),
        idleTimeoutMs: streamIdleTimeoutMs,
        dispatcher: this.options.dispatcher,
      });
      this.adoptNewToken(stream.headers['x-new-access-token']);
      const contentType = stream.headers['content-type'] ?? '';
      if (stream.status === 200 && /^text\/event-stream\b/i.test(contentType)) {
        return stream;
      }
      const response: RawResponse = { status: stream.status, headers: stream.headers, text: await stream.text(this.readAnswerLimit) };
      if ((stream.status === 404 && !/\bjson\b/i.test(contentType)) || stream.status === 200) {
        throw new StreamUnavailableError(`The gateway has no live output stream for sessions (it answered ${stream.status} ${contentType || 'without a content type'}); following the session by polling instead.`);
      }
      throw this.answerError(response, path, options);
    } catch (error) {
      throw error instanceof TransportFailure ? errorForTransport(error, this.context(path, options)) : error;
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

  private async getJson(path: string, options: SendOptions, signal?: AbortSignal): Promise<unknown> {
    const response = await this.send('GET', path, options, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.answerError(response, path, options);
    }
    const parsed = parseJson(response.text);
    if (parsed === undefined) {
      const route = `GET ${path.split('?')[0]}`;
      throw new GatewayAnswerError(
        `The gateway at ${this.baseUrl} answered ${route} with something that is not JSON${response.text.trim() === '' ? ' (an empty body)' : ''}. Check "hoop.gatewayUrl": it must be the gateway's API address.`,
        route,
      );
    }
    return parsed;
  }

  private answerError(response: RawResponse, path: string, options: SendOptions): GatewayHttpError | RunStateUnknownError {
    return errorForAnswer(response, this.context(path, options));
  }

  private context(path: string, options: SendOptions): RequestContext {
    return { operation: options.operation, gatewayUrl: this.baseUrl, route: path, correlationId: options.correlationId, timeoutMs: this.requestTimeout(options) };
  }

  private get runAnswerLimit(): number {
    return this.options.maxAnswerBytes?.run ?? execAnswerMaxBytes;
  }

  private get readAnswerLimit(): number {
    return this.options.maxAnswerBytes?.read ?? readAnswerMaxBytes;
  }

  private requestTimeout(options: SendOptions): number {
    return options.timeoutMs ?? this.options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  }

  private async send(method: 'GET' | 'POST', path: string, options: SendOptions, signal: AbortSignal | undefined): Promise<RawResponse> {
    const token = options.authenticated === false ? undefined : this.token;
    let response: RawResponse;
    try {
      response = await sendHttp({
        url: this.baseUrl + path,
        method,
        headers: this.headers(options),
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
        timeoutMs: this.requestTimeout(options),
        maxBytes: options.maxBytes ?? this.readAnswerLimit,
        dispatcher: this.options.dispatcher,
        bodySink: options.bodySink,
      });
    } catch (error) {
      throw errorForTransport(error instanceof TransportFailure ? error : new TransportFailure('network', '', true), this.context(path, options));
    }
    if (token !== undefined) {
      this.noteTokenVerdict(token, response.status);
    }
    this.adoptNewToken(response.headers['x-new-access-token']);
    return response;
  }

  private noteTokenVerdict(token: string, status: number): void {
    const key = tokenKey(this.baseUrl, token);
    if (status === 401) {
      rejectedTokens.add(key);
    } else if (status >= 200 && status < 300) {
      rejectedTokens.delete(key);
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
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
