import type { IncomingMessage, ServerResponse } from 'http';

/** Upper bound on a request body; hoop templates are ≤ 1 MB and parameters are small. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface JsonReply {
  status: number;
  /** undefined → no body (204, redirects). */
  body?: unknown;
  /** Extra response headers, e.g. `location` or hoop's `Token`. */
  headers?: Record<string, string>;
}

/** A reply that writes the response itself (SSE, text streams, HTML). */
export interface StreamReply {
  stream(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
}

export type Reply = JsonReply | StreamReply;

export function reply(status: number, body?: unknown): JsonReply {
  return { status, body };
}

/** gin's c.Redirect: no JSON body, the target in `location`. */
export function redirect(status: 302 | 303 | 307, location: string, headers: Record<string, string> = {}): JsonReply {
  return { status, headers: { ...headers, location } };
}

/** An HTML page of the stand-ins (session page, Jira issue); `body` is already escaped HTML. */
export function htmlPage(status: number, title: string, body: string, refreshSeconds?: number): StreamReply {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}
dt{font-weight:bold}dd{margin:0 0 .5rem}.note{color:#666}</style></head>
<body>${body}</body></html>`;
  return {
    stream: (_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
      res.end(page);
    },
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every gin error body is `{"message": …}`. */
export function message(status: number, text: string): JsonReply {
  return { status, body: { message: text } };
}

export function sendJson(res: ServerResponse, { status, body, headers = {} }: JsonReply): void {
  if (body === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** gin's default answer for an unregistered route (also what a pre-V2 gateway says for /api/runbooks). */
export function sendGinNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('404 page not found');
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
