/** Words for an HTTP answer that is not the success a caller wanted (hoop-gateway.md §1.3; issue 7 §1). */
export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

/** hoop's own error body: gin writes `{"message": "…"}` as application/json. A proxy's page is not one. */
export function hoopMessageOf(response: RawResponse): string | undefined {
  if (!/\bjson\b/i.test(response.headers['content-type'] ?? '')) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(response.text) as unknown;
    const message = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** `Retry-After` in seconds, from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(response: RawResponse, now = Date.now()): number | undefined {
  const value = (response.headers['retry-after'] ?? '').trim();
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * The gateway address a redirect points at: the Location's origin plus any path before the route
 * that was asked for (a gateway may live under a path prefix).
 */
export function redirectedGatewayUrl(location: string, requestUrl: string, routePath: string): string {
  let target: URL;
  try {
    target = new URL(location, requestUrl);
  } catch {
    return location;
  }
  const route = routePath.split('?')[0];
  const prefix = target.pathname.endsWith(route) ? target.pathname.slice(0, -route.length) : '';
  return `${target.origin}${prefix.replace(/\/+$/, '')}`;
}

/** "answered 502 with an empty body", "answered 500 with an HTML page (…)", "answered 404 "connection not found"". */
export function describeAnswer(response: RawResponse, requestUrl: string): string {
  const { status } = response;
  if (isRedirect(status)) {
    const location = response.headers.location;
    return location ? `redirected (${status}) to ${new URL(location, requestUrl).href}` : `answered ${status}, a redirect without a Location`;
  }
  if (status === 429) {
    const seconds = retryAfterSeconds(response);
    return `answered 429: rate limited${seconds === undefined ? '' : `, retry after ${seconds} s`}`;
  }
  const hoopMessage = hoopMessageOf(response);
  if (hoopMessage !== undefined) {
    return `answered ${status} "${hoopMessage}"`;
  }
  const text = response.text.trim();
  if (text === '') {
    return `answered ${status} with an empty body`;
  }
  if (/html/i.test(response.headers['content-type'] ?? '') || /^<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `answered ${status} with an HTML page${title ? ` ("${title}")` : ''}, not hoop's answer`;
  }
  const firstLine = text.split('\n')[0].slice(0, 200);
  return `answered ${status} "${firstLine}"`;
}
