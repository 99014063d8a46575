import { sessionUrl } from '../runOutcome';

/**
 * The link to open for a run's review or session. A review link comes from the gateway's answer
 * (`output`), so it is opened only when it is http(s) on the gateway's own origin; otherwise the
 * session page built from the session id stands in.
 */
export function gatewayLink(candidate: string | undefined, gatewayUrl: string, sessionId: string | undefined): string | undefined {
  if (candidate && isOnGateway(candidate, gatewayUrl)) {
    return candidate;
  }
  return sessionId ? sessionUrl(gatewayUrl, sessionId) : undefined;
}

function isOnGateway(link: string, gatewayUrl: string): boolean {
  try {
    const url = new URL(link);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === new URL(gatewayUrl).origin;
  } catch {
    return false;
  }
}
