import type { Dispatcher } from 'undici';

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
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

export type TransportFailureKind = 'cancelled' | 'timeout' | 'tooLarge' | 'network';

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
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  const signals = request.signal ? [request.signal, deadline.signal] : [deadline.signal];
  const signal = AbortSignal.any(signals);
  let status: number | undefined;
  try {
    // Loaded on first use: undici is most of the bundle, and activation should not pay for it.
    const { request: undiciRequest } = await import('undici');
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      dispatcher: request.dispatcher,
    });
    status = response.statusCode;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > request.maxBytes) {
        response.body.destroy();
        throw new TransportFailure('tooLarge', '', true, status);
      }
      chunks.push(chunk);
    }
    return { status, headers: flattenHeaders(response.headers), text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof TransportFailure) {
      throw error;
    }
    const code = errorCode(error);
    if (request.signal?.aborted) {
      throw new TransportFailure('cancelled', code, true, status);
    }
    if (deadline.signal.aborted) {
      throw new TransportFailure('timeout', code, true, status);
    }
    throw new TransportFailure('network', code, !isNotSentCode(code), status);
  } finally {
    clearTimeout(timer);
  }
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
  return typeof code === 'string' ? code : '';
}
