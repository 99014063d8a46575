import type { Dispatcher } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { turnTaker } from '../turns';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** Bounds the whole answer, headers and body together, not each byte. */
  timeoutMs: number;
  /** Stop reading the body past this many bytes. */
  maxBytes: number;
  dispatcher?: Dispatcher;
  /** Takes the body of answers with this status piece by piece instead of keeping it (the answer's `text` is then empty). */
  bodySink?: (status: number) => ((piece: Buffer) => void) | undefined;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

export type TransportFailureKind = 'cancelled' | 'timeout' | 'tooLarge' | 'undecodable' | 'network';

/** Why no whole answer arrived. `code` is Node's or undici's error code, for the message and the log. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    readonly code: string,
    /** True once the request may have reached the gateway: the run may have happened. */
    readonly maybeSent: boolean,
    readonly status?: number,
  ) {
    super(`${kind} ${code}`.trim());
  }
}

/** Errors raised before any byte of the request could leave this machine. */
const notSentCodes = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|CERT_|HOSTNAME_MISMATCH|ERR_INVALID_URL)/;

export function isNotSentCode(code: string): boolean {
  return notSentCodes.test(code);
}

export async function sendHttp(request: HttpRequest): Promise<HttpAnswer> {
  const deadline = new Deadline(request.timeoutMs);
  let status: number | undefined;
  try {
    const response = await open(request, deadline);
    status = response.status;
    const encoding = response.headers['content-encoding'] ?? '';
    const sink = request.bodySink?.(status);
    if (sink && isIdentity(encoding)) {
      await readCapped(response.chunks, request.maxBytes, status, sink);
      return { status, headers: response.headers, text: '' };
    }
    const body = decodeBody(await readCapped(response.chunks, request.maxBytes, status), encoding, request.maxBytes, status);
    if (sink) {
      sink(body);
      return { status, headers: response.headers, text: '' };
    }
    return { status, headers: response.headers, text: body.toString('utf8') };
  } catch (error) {
    throw classify(error, request.signal, deadline, status);
  } finally {
    deadline.clear();
  }
}

export interface HttpStream {
  status: number;
  headers: Record<string, string>;
  /** Ends with a TransportFailure when no byte arrives for `idleTimeoutMs`, or on cancellation. */
  chunks: AsyncIterable<Buffer>;
  /** Reads a (small) whole body, e.g. an error answer. */
  text(maxBytes: number): Promise<string>;
}

/** For long answers such as server-sent events: `timeoutMs` bounds the wait for headers, then each silence. */
export async function openHttpStream(request: Omit<HttpRequest, 'maxBytes'> & { idleTimeoutMs: number }): Promise<HttpStream> {
  const deadline = new Deadline(request.timeoutMs);
  let response: OpenResponse;
  try {
    response = await open(request, deadline);
  } catch (error) {
    deadline.clear();
    throw classify(error, request.signal, deadline, undefined);
  }
  const { status, headers, chunks } = response;
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      deadline.restart(request.idleTimeoutMs);
      for await (const chunk of chunks) {
        deadline.restart(request.idleTimeoutMs);
        yield chunk;
      }
    } catch (error) {
      throw classify(error, request.signal, deadline, status);
    } finally {
      deadline.clear();
      response.destroy();
    }
  }
  return {
    status,
    headers,
    chunks: guarded(),
    text: async (maxBytes) => {
      try {
        return (await readCapped(chunks, maxBytes, status)).toString('utf8');
      } catch (error) {
        throw classify(error, request.signal, deadline, status);
      } finally {
        deadline.clear();
      }
    },
  };
}

interface OpenResponse {
  status: number;
  headers: Record<string, string>;
  chunks: AsyncIterable<Buffer>;
  destroy(): void;
}

/** One timer that aborts the request; restartable for idle timeouts. */
class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  constructor(ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get expired(): boolean {
    return this.controller.signal.aborted;
  }
  restart(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }
  clear(): void {
    clearTimeout(this.timer);
  }
}

let defaultAgent: Dispatcher | undefined;

/**
 * undici's request API and Agent only, loaded on first use so activation does not pay for them. Our own Agent,
 * not the process-wide one, which may be the other undici copy inside Node's fetch.
 */
async function undiciRequest(url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>, dispatcher: Dispatcher | undefined): Promise<Dispatcher.ResponseData> {
  const [{ default: requestApi }, { default: Agent }] = await Promise.all([import('undici/lib/api/api-request.js'), import('undici/lib/dispatcher/agent.js')]);
  const target = new URL(url);
  return requestApi.call(dispatcher ?? (defaultAgent ??= new Agent()), { ...options, origin: target.origin, path: `${target.pathname}${target.search}` });
}

async function open(request: Omit<HttpRequest, 'maxBytes'>, deadline: Deadline): Promise<OpenResponse> {
  const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
  const response = await undiciRequest(request.url, { method: request.method, headers: request.headers, body: request.body, signal }, request.dispatcher);
  return {
    status: response.statusCode,
    headers: flattenHeaders(response.headers),
    chunks: response.body as AsyncIterable<Buffer>,
    destroy: () => response.body.destroy(),
  };
}

/** The whole body, or with `sink`, each piece handed on as it arrives and none kept. */
async function readCapped(chunks: AsyncIterable<Buffer>, maxBytes: number, status: number): Promise<Buffer>;
async function readCapped(chunks: AsyncIterable<Buffer>, maxBytes: number, status: number, sink: (piece: Buffer) => void): Promise<void>;
async function readCapped(chunks: AsyncIterable<Buffer>, maxBytes: number, status: number, sink?: (piece: Buffer) => void): Promise<Buffer | void> {
  const parts: Buffer[] = [];
  const takeTurn = turnTaker();
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new TransportFailure('tooLarge', '', true, status);
    }
    if (sink) {
      sink(chunk);
      await takeTurn();
    } else {
      parts.push(chunk);
    }
  }
  return sink ? undefined : Buffer.concat(parts);
}

function isIdentity(contentEncoding: string): boolean {
  const encoding = contentEncoding.trim().toLowerCase();
  return encoding === '' || encoding === 'identity';
}

/** We ask for `identity`; a server or proxy that compresses anyway is decoded within the same cap. */
function decodeBody(body: Buffer, contentEncoding: string, maxBytes: number, status: number): Buffer {
  const encoding = contentEncoding.trim().toLowerCase();
  const decoders: Record<string, (input: Buffer, options: { maxOutputLength: number }) => Buffer> = {
    gzip: gunzipSync,
    'x-gzip': gunzipSync,
    deflate: inflateSync,
    br: brotliDecompressSync,
  };
  if (isIdentity(encoding)) {
    return body;
  }
  const decode = decoders[encoding];
  if (!decode) {
    throw new TransportFailure('undecodable', encoding, true, status);
  }
  try {
    return decode(body, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = errorCode(error);
    throw code === 'ERR_BUFFER_TOO_LARGE' ? new TransportFailure('tooLarge', code, true, status) : new TransportFailure('undecodable', `${encoding} ${code}`.trim(), true, status);
  }
}

function classify(error: unknown, signal: AbortSignal | undefined, deadline: Deadline, status: number | undefined): TransportFailure {
  if (error instanceof TransportFailure) {
    return error;
  }
  const code = errorCode(error);
  if (signal?.aborted) {
    return new TransportFailure('cancelled', code, true, status);
  }
  if (deadline.expired) {
    return new TransportFailure('timeout', code, true, status);
  }
  return new TransportFailure('network', code, status !== undefined || !isNotSentCode(code), status);
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return flat;
}

/** Node puts TLS and socket codes on the error or on its `cause`. */
export function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'ABORT_ERR') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    return code;
  }
  // e.g. undici's HTTPParserError for a broken chunked body carries no code.
  const name = error instanceof Error ? error.name : '';
  return name === 'Error' || name === 'AbortError' ? '' : name;
}
