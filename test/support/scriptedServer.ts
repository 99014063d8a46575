import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type ScriptedHandler = (request: ReceivedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface ScriptedServer {
  url: string;
  requests: ReceivedRequest[];
  /** How many requests reached `method path` (path without the query). */
  count(method: string, path: string): number;
  close(): Promise<void>;
}

/**
 * A real HTTP(S) server on 127.0.0.1 whose every answer is written by the test: the gateway's routes
 * with whatever status, headers, timing or broken framing a test needs.
 */
export async function startScriptedServer(handler: ScriptedHandler, tls?: TlsServerOptions): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      Promise.resolve(handler(received, res, req)).catch((error: Error) => {
        process.stderr.write(`scripted server: ${error.stack ?? error.message}\n`);
        res.destroy();
      });
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    count: (method, path) => requests.filter((request) => request.method === method && request.path.split('?')[0] === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      }),
  };
}

/** Writes hoop's usual JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** For a mocha suite: starts scripted servers on demand and closes them after each test. */
export function scriptedServers(): (handler: ScriptedHandler, tls?: TlsServerOptions) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler, tls) => {
    const server = await startScriptedServer(handler, tls);
    servers.push(server);
    return server;
  };
}
