import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { authenticate } from './auth';
import { resolveConfig, type LocalGatewayConfig, type ResolvedConfig } from './config';
import type { GatewayState } from './state';
import { GitSource } from './gitSource';
import { message, readBody, sendGinNotFound, sendJson } from './httpKit';
import { matchRoute } from './router';
import { SessionStore, type Session } from './sessions';

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
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
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
  const state: GatewayState = { config, sessions, git: new GitSource(config.cacheMs), apiUrl: () => config.publicUrl ?? url };
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(state, requests, req, res).catch((err: Error) => {
      process.stderr.write(`local gateway: ${req.method} ${req.url} failed: ${err.stack ?? err.message}\n`);
      if (!res.headersSent) {
        sendJson(res, message(500, `internal error: ${err.message}`));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
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
  const principal = authenticate(req.headers, state.config, match.route.roles);
  if ('status' in principal) {
    sendJson(res, principal);
    return;
  }
  const fault = state.config.faults[`${req.method ?? 'GET'} ${parsed.pathname}`];
  if (fault) {
    sendJson(res, message(fault.status, fault.message));
    return;
  }
  sendJson(res, await match.route.handler({ state, principal, params: match.params, query: parsed.searchParams, body }));
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
    return JSON.parse(text) as unknown;
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
