import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import { authenticate } from './auth';
import { resolveConfig, type LocalGatewayConfig, type ResolvedConfig } from './config';
import type { GatewayState } from './state';
import { GitSource } from './gitSource';
import { message, readBody, sendGinNotFound, sendJson, type Reply } from './httpKit';
import { matchRoute } from './router';
import { SessionStore, type Session } from './sessions';
import { createTestCertificates, type TestCertificates } from './testCa';
import { TokenStore } from './tokens';

export type { LocalGatewayConfig } from './config';
export type { Session } from './sessions';

/** One request as the extension sent it, for assertions. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` is reduced to its scheme and `api-key` to `[redacted]`. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface LocalGateway {
  /** e.g. `http://127.0.0.1:41234` (`https://` with `tls`), no trailing slash. */
  url: string;
  /** With `tls`: the test CA that signed the server certificate (PEM text and a file holding it). */
  ca?: { pem: string; file: string };
  config: ResolvedConfig;
  sessions: ReadonlyMap<string, Session>;
  requests: RecordedRequest[];
  /** Kills running runbooks, then stops the server. */
  close(): Promise<void>;
}

/** Starts a gateway that answers the runbook routes like hoop does (see /work/shared/hoop-gateway.md). */
export async function startLocalGateway(options: LocalGatewayConfig = {}): Promise<LocalGateway> {
  const config = resolveConfig(options);
  const sessions = new SessionStore();
  let url = '';
  const state: GatewayState = {
    config,
    sessions,
    git: new GitSource(config.cacheMs),
    tokens: new TokenStore(config.tokenLifetimeMs),
    logins: new Map(),
    idpCodes: new Map(),
    apiUrl: () => config.publicUrl ?? url,
  };
  const requests: RecordedRequest[] = [];

  const listener: RequestListener = (req, res) => {
    handle(state, requests, req, res).catch((err: Error) => {
      process.stderr.write(`local gateway: ${req.method} ${req.url} failed: ${err.stack ?? err.message}\n`);
      if (!res.headersSent) {
        sendJson(res, message(500, `internal error: ${err.message}`));
      } else {
        res.destroy();
      }
    });
  };
  const certificates: TestCertificates | undefined = config.tls ? createTestCertificates() : undefined;
  const server = certificates ? createHttpsServer({ key: certificates.key, cert: certificates.cert }, listener) : createServer(listener);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    certificates?.cleanup();
    throw err;
  }
  const address = server.address() as AddressInfo;
  url = `${certificates ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    ...(certificates ? { ca: { pem: certificates.caPem, file: certificates.caFile } } : {}),
    config,
    sessions: sessions.sessions,
    requests,
    close: () =>
      (closing ??= (async () => {
        await sessions.killAll();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        certificates?.cleanup();
      })()),
  };
}

async function handle(state: GatewayState, requests: RecordedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = new URL(req.url ?? '/', 'http://local');
  const body = await readBody(req);
  requests.push({
    method: req.method ?? 'GET',
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers: redactHeaders(req.headers),
    body: parseForRecord(body),
  });

  const match = matchRoute(req.method ?? 'GET', safeDecode(parsed.pathname), state.config.api);
  if (!match) {
    sendGinNotFound(res);
    return;
  }
  const context = { state, params: match.params, query: parsed.searchParams, body };
  let answer: () => Promise<Reply> | Reply;
  if ('public' in match.route) {
    const handler = match.route.handler;
    answer = () => handler(context);
  } else {
    const auth = authenticate(req.headers, state.config, state.tokens, match.route.roles);
    if ('status' in auth) {
      sendJson(res, auth);
      return;
    }
    if (auth.newAccessToken) {
      res.setHeader('x-new-access-token', auth.newAccessToken);
    }
    const handler = match.route.handler;
    answer = () => handler({ ...context, principal: auth.principal });
  }
  const fault = state.config.faults[`${req.method ?? 'GET'} ${parsed.pathname}`];
  if (fault) {
    sendJson(res, message(fault.status, fault.message));
    return;
  }
  const result = await answer();
  if ('stream' in result) {
    await result.stream(req, res);
  } else {
    sendJson(res, result);
  }
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
    out[name] = name === 'authorization' ? text.split(' ')[0] : name === 'api-key' ? '[redacted]' : text;
  }
  return out;
}

function parseForRecord(body: Buffer): unknown {
  if (body.length === 0) {
    return undefined;
  }
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    // A sign-in's password is a credential like the Authorization header.
    return parsed && typeof parsed === 'object' && 'password' in parsed ? { ...parsed, password: '[redacted]' } : parsed;
  } catch {
    return text;
  }
}

/** gin routes on the decoded path. */
function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
