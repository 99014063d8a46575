import { NO_ROLE, READ_ONLY, type RouteRole } from './auth';
import type { Handler } from './handlers/common';
import { getConnection, listConnections, serverInfo, userInfo } from './handlers/info';
import { legacyExec, legacyList, legacyListByConnection } from './handlers/runbooksLegacy';
import { listRunbooks, runbookExec } from './handlers/runbooksV2';
import { getSession, killSession, runReviewedExec, updateReview } from './handlers/sessions';

interface Route {
  method: string;
  /** gin-style pattern; `:name` matches one segment. */
  path: string;
  /** Role middleware of the route in gateway/api/server.go. */
  roles: RouteRole[];
  handler: Handler;
  /** Only registered by a V2 gateway (≥ 1.43.1). */
  v2Only?: boolean;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/serverinfo', roles: READ_ONLY, handler: serverInfo },
  { method: 'GET', path: '/api/userinfo', roles: READ_ONLY, handler: userInfo },
  { method: 'GET', path: '/api/connections', roles: READ_ONLY, handler: listConnections },
  { method: 'GET', path: '/api/connections/:nameOrID', roles: READ_ONLY, handler: getConnection },
  { method: 'GET', path: '/api/runbooks', roles: READ_ONLY, handler: listRunbooks, v2Only: true },
  { method: 'POST', path: '/api/runbooks/exec', roles: NO_ROLE, handler: runbookExec, v2Only: true },
  { method: 'POST', path: '/api/plugins/runbooks/connections/:name/exec', roles: NO_ROLE, handler: legacyExec },
  { method: 'GET', path: '/api/plugins/runbooks/templates', roles: READ_ONLY, handler: legacyList },
  { method: 'GET', path: '/api/plugins/runbooks/connections/:name/templates', roles: READ_ONLY, handler: legacyListByConnection },
  { method: 'GET', path: '/api/sessions/:session_id', roles: READ_ONLY, handler: getSession },
  { method: 'POST', path: '/api/sessions/:session_id/kill', roles: NO_ROLE, handler: killSession },
  { method: 'POST', path: '/api/sessions/:session_id/exec', roles: NO_ROLE, handler: runReviewedExec },
  { method: 'PUT', path: '/api/sessions/:session_id/review', roles: NO_ROLE, handler: updateReview },
  { method: 'PUT', path: '/api/reviews/:id', roles: NO_ROLE, handler: updateReview },
];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** gin's tree lookup, simplified: exact segments and `:param` segments; no trailing-slash redirects. */
export function matchRoute(method: string, pathname: string, api: 'v2' | 'legacy'): RouteMatch | undefined {
  const segments = pathname.split('/');
  for (const route of ROUTES) {
    if (route.method !== method || (route.v2Only && api !== 'v2')) {
      continue;
    }
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) {
      continue;
    }
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = segments[i];
        return segments[i] !== '';
      }
      return part === segments[i];
    });
    if (ok) {
      return { route, params };
    }
  }
  return undefined;
}
