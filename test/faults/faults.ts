/**
 * Broken answers a gateway, a proxy or a network can give, as handlers for the scripted 127.0.0.1 server.
 * Each writes exactly what its name says, at the HTTP or the socket level.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sendJson, type ScriptedHandler } from '../support/scriptedServer';

export const hoopSuccess = { has_review: false, session_id: 'sid-1', output: 'hello\n', output_status: 'success', truncated: false, execution_time: 12, exit_code: 0, ai_analysis: null };

function later(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes raw bytes on the socket, bypassing Node's HTTP framing, then closes it. */
function rawAnswer(res: ServerResponse, bytes: string): void {
  res.socket?.end(bytes);
}

export const fault = {
  json: (status: number, body: unknown, headers: Record<string, string> = {}): ScriptedHandler => (_request, res) => sendJson(res, status, body, headers),
  text: (status: number, contentType: string, body: string, headers: Record<string, string> = {}): ScriptedHandler => (_request, res) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  },
  /** A JSON answer written in pieces of `pieceBytes`, each after the last has drained, as a gateway streams a big output. */
  inPieces: (body: unknown, pieceBytes: number): ScriptedHandler => async (_request, res) => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
    for (let at = 0; at < bytes.length; at += pieceBytes) {
      if (!res.write(bytes.subarray(at, at + pieceBytes))) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  },
  htmlPage: (status: number): ScriptedHandler =>
    fault.text(status, 'text/html', `<!DOCTYPE html><html><head><title>${status} Internal Server Error</title></head><body><h1>Oops</h1></body></html>`),
  empty: (status: number): ScriptedHandler => (_request, res) => {
    res.writeHead(status, { 'content-length': 0 });
    res.end();
  },
  /** Headers and half of a JSON body, then a TCP reset. */
  resetMidBody: (): ScriptedHandler => (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
    res.write('{"session_id":"sid-1","output":"hel');
    setTimeout(() => res.socket?.resetAndDestroy(), 50);
  },
  /** Reads the request, then closes the connection without a byte of answer. */
  closeBeforeAnswer: (): ScriptedHandler => (_request, res) => {
    res.socket?.destroy();
  },
  /** A 200 whose body trickles one byte every `everyMs`, never ending. */
  slowDrip: (everyMs: number): ScriptedHandler => (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), everyMs);
    res.on('close', () => clearInterval(timer));
  },
  stallBeforeHeaders: (): ScriptedHandler => () => undefined,
  stallAfterHeaders: (): ScriptedHandler => (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  },
  /** A body of `bytes` bytes of valid JSON text, written in 1 MiB pieces. */
  huge: (bytes: number): ScriptedHandler => async (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes });
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    for (let sent = 0; sent < bytes && !res.destroyed; sent += piece.length) {
      if (!res.write(piece.subarray(0, Math.min(piece.length, bytes - sent)))) {
        await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
    }
    res.end();
  },
  redirect: (status: number, location: string): ScriptedHandler => (_request, res) => {
    res.writeHead(status, { location, 'content-length': 0 });
    res.end();
  },
  gzip: (body: unknown): ScriptedHandler => (_request, res) => {
    const zipped = gzipSync(JSON.stringify(body));
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': zipped.length });
    res.end(zipped);
  },
  /** A chunked body whose chunk size line is not hexadecimal. */
  invalidChunk: (): ScriptedHandler => (_request, res) =>
    rawAnswer(res, 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"ses\r\nzz\r\nbroken\r\n0\r\n\r\n'),
  /** Answers after a delay, e.g. to let a test cancel first. */
  delayed: (ms: number, then: ScriptedHandler): ScriptedHandler => async (request, res, req) => {
    await later(ms);
    if (!res.destroyed) {
      await then(request, res, req);
    }
  },
};
