import type { Dispatcher } from 'undici';
import { CancelledError, GatewayHttpError, GatewayUnreachableError } from './errors';
import { gatewayHttpError, type GatewayOperation } from './gatewayErrors';
import type { ExecRequestBody, ExecResponseBody, GatewayConnection, RunbookListResponse } from './gatewayTypes';

export type ApiRoute = 'v2' | 'legacy';

export interface GatewayClientOptions {
  gatewayUrl: string;
  token: string;
  /** Exec waits 50 s on the gateway after up to 30 s of git fetch: never less than 120 s (hoop-gateway.md §1.6). */
  execTimeoutMs?: number;
  requestTimeoutMs?: number;
  userAgent?: string;
  /** The gateway may rotate an expired token and send the new one in `X-New-Access-Token` (§4.1). */
  onNewToken?: (token: string) => void;
  dispatcher?: Dispatcher;
}

export interface ExecResult {
  status: number;
  body: ExecResponseBody;
}

const minimumExecTimeoutMs = 120_000;

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

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export class GatewayClient {
  private readonly baseUrl: string;

  constructor(private readonly options: GatewayClientOptions) {
    this.baseUrl = options.gatewayUrl.replace(/\/+$/, '');
  }

  get gatewayUrl(): string {
    return this.baseUrl;
  }

  /** §0.2: only gin's plain-text 404 for an unknown route means "no V2"; a JSON 404 means V2 without configuration. */
  async detectApiRoute(signal?: AbortSignal): Promise<ApiRoute> {
    const response = await this.send('GET', '/api/runbooks', undefined, 'detectRoute', signal);
    if (response.status === 404 && !isJson(response.contentType)) {
      return 'legacy';
    }
    if (response.status === 401) {
      throw this.httpError(response, '/api/runbooks', 'detectRoute');
    }
    return 'v2';
  }

  async listConnections(signal?: AbortSignal): Promise<GatewayConnection[]> {
    const body = await this.getJson<GatewayConnection[] | { data?: GatewayConnection[] }>('/api/connections', 'listConnections', signal);
    return Array.isArray(body) ? body : body.data ?? [];
  }

  async listRunbooks(route: ApiRoute, signal?: AbortSignal): Promise<RunbookListResponse> {
    const path = route === 'v2' ? '/api/runbooks?list_connections=true' : '/api/plugins/runbooks/templates';
    return this.getJson<RunbookListResponse>(path, 'listRunbooks', signal);
  }

  /** Exec is not idempotent: this sends exactly one request and never retries. */
  async exec(route: ApiRoute, body: ExecRequestBody, signal?: AbortSignal): Promise<ExecResult> {
    const path = execPath(route, body.connection_name ?? '');
    const timeout = Math.max(this.options.execTimeoutMs ?? minimumExecTimeoutMs, minimumExecTimeoutMs);
    const response = await this.send('POST', path, execBodyFor(route, body), 'exec', signal, timeout);
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

  private async getJson<T>(path: string, operation: GatewayOperation, signal?: AbortSignal): Promise<T> {
    const response = await this.send('GET', path, undefined, operation, signal);
    if (response.status < 200 || response.status >= 300) {
      throw this.httpError(response, path, operation);
    }
    const parsed = parseJson(response.text);
    if (parsed === undefined) {
      throw new GatewayHttpError(
        `The gateway at ${this.baseUrl} answered ${path} with something that is not JSON. Check "hoop.gatewayUrl": it must be the gateway's API address.`,
        response.status,
        '',
        path,
      );
    }
    return parsed as T;
  }

  private httpError(response: RawResponse, path: string, operation: GatewayOperation): GatewayHttpError {
    const parsed = parseJson(response.text) as { message?: unknown } | undefined;
    const message = parsed && typeof parsed.message === 'string' ? parsed.message : response.text.trim().slice(0, 200);
    return gatewayHttpError(response.status, message, path, operation);
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    operation: GatewayOperation,
    signal: AbortSignal | undefined,
    timeoutMs = this.options.requestTimeoutMs ?? 30_000,
  ): Promise<RawResponse> {
    const url = this.baseUrl + path;
    try {
      // Loaded on first use: undici is most of the bundle, and activation should not pay for it.
      const { request } = await import('undici');
      const response = await request(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': this.options.userAgent ?? 'hoop-runbooks-vscode',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...authHeaders(this.options.token),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        dispatcher: this.options.dispatcher,
      });
      const newToken = response.headers['x-new-access-token'];
      if (typeof newToken === 'string' && newToken) {
        this.options.onNewToken?.(newToken);
      }
      const contentType = String(response.headers['content-type'] ?? '');
      return { status: response.statusCode, contentType, text: await response.body.text() };
    } catch (error) {
      throw this.transportError(error, operation, signal);
    }
  }

  private transportError(error: unknown, operation: GatewayOperation, signal: AbortSignal | undefined): Error {
    const ranUnknown = operation === 'exec' ? ` The runbook may still run on the gateway: check ${this.baseUrl}/sessions.` : '';
    if (signal?.aborted) {
      return operation === 'exec' ? new CancelledError(`Stopped waiting for the gateway.${ranUnknown}`, false) : new CancelledError();
    }
    const code = (error as { code?: string }).code ?? '';
    const detail = error instanceof Error ? `${code} ${error.message}`.trim() : String(error);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new GatewayUnreachableError(`The gateway at ${this.baseUrl} did not answer in time.${ranUnknown}`, this.baseUrl, detail, true);
    }
    const neverConnected = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|CERT_)/.test(code);
    const runState = operation !== 'exec' ? '' : neverConnected ? ' Nothing was sent, so nothing ran.' : ranUnknown;
    return new GatewayUnreachableError(
      `Could not reach the gateway at ${this.baseUrl} (${code || 'network error'}). Check "hoop.gatewayUrl" and your network.${runState}`,
      this.baseUrl,
      detail,
    );
  }
}

function isJson(contentType: string): boolean {
  return /\bjson\b/i.test(contentType);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
