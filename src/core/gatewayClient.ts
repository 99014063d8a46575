import type { Dispatcher } from 'undici';
import { CancelledError, GatewayAnswerError, GatewayHttpError, GatewayUnreachableError } from './errors';
import { gatewayHttpError, operationLabel, type GatewayOperation } from './gatewayErrors';
import type { ExecRequestBody, ExecResponseBody, GatewayConnection, PublicServerInfo, RunbookListResponse, ServerInfo, UserInfo } from './gatewayTypes';
import { ShapeReader } from './http/shape';
import { sendHttp, TransportFailure } from './http/transport';

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
  const { connection_name: _connection, repository: _repository, ...legacy } = body;
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

interface SendOptions {
  operation: GatewayOperation;
  body?: unknown;
  /** Default true; false for the calls made before sign-in. */
  authenticated?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
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
    const path = execPath(route, body.connection_name ?? '');
    const response = await this.send(
      'POST',
      path,
      { operation: 'exec', body: execBodyFor(route, body), timeoutMs: this.options.execTimeoutMs ?? defaultExecTimeoutMs, maxBytes: execAnswerMaxBytes },
      signal,
    );
    if (response.status !== 200 && response.status !== 202) {
      throw this.httpError(response, path, 'exec');
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
    const token = options.authenticated === false ? undefined : this.token;
    try {
      const response = await sendHttp({
        url: this.baseUrl + path,
        method,
        headers: {
          accept: 'application/json',
          'accept-encoding': 'identity',
          'user-agent': this.options.userAgent ?? 'hoop-runbooks-vscode',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? authHeaders(token) : {}),
        },
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

  /** §4.1: the gateway served the request with a refreshed token; use it from now on. */
  private adoptNewToken(newToken: string | undefined): void {
    if (newToken && newToken !== this.token) {
      this.token = newToken;
      this.options.onNewToken?.(newToken);
    }
  }

  private transportError(error: unknown, operation: GatewayOperation, signal: AbortSignal | undefined): Error {
    const failure = error instanceof TransportFailure ? error : new TransportFailure('network', '', true);
    const ranUnknown = operation === 'exec' ? ` The runbook may still run on the gateway: check ${this.baseUrl}/sessions.` : '';
    if (failure.kind === 'cancelled' || signal?.aborted) {
      return operation === 'exec' ? new CancelledError(`Stopped waiting for the gateway.${ranUnknown}`, false) : new CancelledError();
    }
    const detail = `${failure.kind} ${failure.code}`.trim();
    const purpose = `to ${operationLabel[operation]}`;
    if (failure.kind === 'timeout') {
      return new GatewayUnreachableError(`The gateway at ${this.baseUrl} did not answer in time ${purpose}.${ranUnknown}`, this.baseUrl, detail, true);
    }
    if (failure.kind === 'tooLarge') {
      return new GatewayAnswerError(`The gateway's answer ${purpose} was too large; stopped reading it.${ranUnknown}`, operation, detail);
    }
    const runState = operation !== 'exec' ? '' : failure.maybeSent ? ranUnknown : ' Nothing was sent, so nothing ran.';
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
