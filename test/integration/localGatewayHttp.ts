import type { LocalGateway } from '../gateway/localGateway';

/** One answer of the local gateway, for assertions. */
export interface GatewayAnswer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`; null sends no credentials. */
  token: string | null;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, labelled JSON. */
  rawBody?: string;
  /** Sent as an HTML form. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** A request to the local gateway; redirects are answered, not followed. */
export async function callGateway(gw: LocalGateway, method: string, path: string, opts: CallOptions): Promise<GatewayAnswer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== null) {
    headers.authorization = `Bearer ${opts.token}`;
  }
  let body = opts.body !== undefined ? JSON.stringify(opts.body) : opts.rawBody;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  const res = await fetch(`${gw.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, contentType: res.headers.get('content-type') ?? '', text, json };
}
