import { NO_ROLE, READ_ONLY, type RouteRole } from './auth';
import type { Handler, PublicHandler } from './handlers/common';
import { idpAuthorize, idpSamlSso, localLogin, oidcCallback, oidcLogin, publicServerInfo, samlCallback, samlLogin } from './handlers/login';
import { getConnection, listConnections, serverInfo, userInfo } from './handlers/info';
import { legacyExec, legacyList, legacyListByConnection } from './handlers/runbooksLegacy';
import { listRunbooks, runbookExec } from './handlers/runbooksV2';
import { getSession, killSession, runReviewedExec, updateReview } from './handlers/sessions';

interface RouteBase {
  method: string;
  /** gin-style pattern; `:name` matches one segment. */
  path: string;
  /** Only registered by a V2 gateway (≥ 1.43.1). */
  v2Only?: boolean;
}

/** A route behind AuthMiddleware with the role middleware of gateway/api/server.go. */
interface AuthRoute extends RouteBase {
  roles: RouteRole[];
  handler: Handler;
}

/** A route without AuthMiddleware (sign-in, and the stand-in identity provider). */
interface PublicRoute extends RouteBase {
  public: true;
  handler: PublicHandler;
}

export type Route = AuthRoute | PublicRoute;

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/publicserverinfo', public: true, handler: publicServerInfo },
  { method: 'POST', path: '/api/localauth/login', public: true, handler: localLogin },
  { method: 'GET', path: '/api/login', public: true, handler: oidcLogin },
  { method: 'GET', path: '/api/callback', public: true, handler: oidcCallback },
  { method: 'GET', path: '/api/saml/login', public: true, handler: samlLogin },
  { method: 'POST', path: '/api/saml/callback', public: true, handler: samlCallback },
  // Not in hoop: the stand-in IdP redirects instead of posting a form, so a script can follow it.
  { method: 'GET', path: '/api/saml/callback', public: true, handler: samlCallback },
  { method: 'GET', path: '/idp/authorize', public: true, handler: idpAuthorize },
  { method: 'GET', path: '/idp/saml/sso', public: true, handler: idpSamlSso },
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
