import type { IncomingHttpHeaders } from 'http';
import { uuidV5, type GatewayUser, type ResolvedConfig } from './config';
import { message, type JsonReply } from './httpKit';
import type { TokenStore } from './tokens';

/** Route role lists as set by hoop's role middlewares (apiroutes/roles.go); [] = no middleware. */
export type RouteRole = 'admin' | 'standard' | 'auditor';
export const READ_ONLY: RouteRole[] = ['standard', 'auditor'];
export const NO_ROLE: RouteRole[] = [];

export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: 'admin' | 'standard' | 'auditor';
  /** Includes the reserved `admin`/`auditor` group of the role. */
  groups: string[];
}

export const isAdmin = (p: Principal): boolean => p.groups.includes('admin');
export const isAuditorOrAdmin = (p: Principal): boolean => isAdmin(p) || p.groups.includes('auditor');

export interface Authenticated {
  principal: Principal;
  /** Set when the token was expired and the gateway rotated it: the `X-New-Access-Token` header (§4.1). */
  newAccessToken?: string;
}

/** hoop's AuthMiddleware (auth.go): legacy Api-Key first, then `Authorization: Bearer <token>`. */
export function authenticate(headers: IncomingHttpHeaders, config: ResolvedConfig, tokens: TokenStore, roles: RouteRole[]): Authenticated | JsonReply {
  const apiKey = headerValue(headers['api-key']);
  if (apiKey) {
    if (!config.apiKey) {
      return message(401, 'access denied');
    }
    if (apiKey !== config.apiKey) {
      return message(401, 'unauthorize');
    }
    return { principal: { userId: uuidV5('API_KEY'), email: 'API_KEY', name: 'API_KEY', role: 'admin', groups: ['admin'] } };
  }

  // Exactly two space-separated parts, the scheme spelled `Bearer` (parseToken in auth.go).
  const parts = (headerValue(headers.authorization) ?? '').split(' ');
  if (parts.length !== 2 || parts[0] !== 'Bearer' || parts[1] === '') {
    return message(401, 'access denied');
  }
  const token = resolveToken(parts[1], config, tokens);
  const user = token && config.users[token.userKey];
  if (!token || !user || (user.status ?? 'active') !== 'active') {
    return message(401, 'access denied');
  }
  const principal = principalOf(user);
  if (!isGroupAllowed(principal.groups, roles)) {
    return message(403, 'access denied');
  }
  return token.expired ? { principal, newAccessToken: tokens.issue(token.userKey, user.email, true) } : { principal };
}

export function principalOf(user: GatewayUser): Principal {
  const reserved = user.role === 'standard' ? [] : [user.role];
  const groups = [...new Set([...reserved, ...(user.groups ?? [])])];
  return { userId: uuidV5(`user:${user.email}`), email: user.email, name: user.name ?? user.email, role: user.role, groups };
}

/** A configured or issued token; an expired one without a refresh token is unknown (401). */
function resolveToken(token: string, config: ResolvedConfig, tokens: TokenStore): { userKey: string; expired: boolean } | undefined {
  if (Object.prototype.hasOwnProperty.call(config.users, token)) {
    return { userKey: token, expired: config.users[token].tokenExpired ?? false };
  }
  const issued = tokens.lookup(token);
  if (!issued) {
    return undefined;
  }
  const expired = Date.now() >= issued.expiresAt;
  return expired && !issued.refreshable ? undefined : { userKey: issued.userKey, expired };
}

/** isGroupAllowed (roles.go): admin passes all; auditors only routes listing auditor; others need no role or standard. */
function isGroupAllowed(groups: string[], roles: RouteRole[]): boolean {
  if (groups.includes('admin')) {
    return true;
  }
  if (groups.includes('auditor')) {
    return roles.includes('auditor');
  }
  return roles.length === 0 || roles.includes('standard');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
