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
export function redirect(status: 302 | 307, location: string, headers: Record<string, string> = {}): JsonReply {
  return { status, headers: { ...headers, location } };
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
