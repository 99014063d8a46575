import { randomUUID } from 'crypto';
import { bindJson, type GoStruct } from '../goJson';
import { message, redirect, reply, type JsonReply } from '../httpKit';
import type { GatewayState } from '../state';
import type { PublicHandlerContext } from './common';

/** proto.ClientLoginCallbackAddress: where `hoop login` (and the extension) listens. */
const CLIENT_CALLBACK = 'http://127.0.0.1:3587/callback';
const CLIENT_CALLBACK_HOST = '127.0.0.1:3587';

/** GET /api/publicserverinfo (no auth): how to sign in (§4.2 step 1). */
export function publicServerInfo({ state }: PublicHandlerContext): JsonReply {
  const { config } = state;
  return reply(200, { auth_method: config.authMethod, setup_required: config.authMethod === 'local' && Object.keys(config.users).length === 0 });
}

const LOCAL_USER_REQUEST: GoStruct = { typeName: 'openapi.LocalUserRequest', fields: { email: 'string', password: 'string' }, required: {} };

/** POST /api/localauth/login — local/login.go: 200 `{"status":"ok"}` with the token in the `Token` header. */
export function localLogin({ state, body }: PublicHandlerContext): JsonReply {
  const bound = bindJson(body, LOCAL_USER_REQUEST);
  if (!bound.ok) {
    return message(400, bound.message);
  }
  const entry = Object.entries(state.config.users).find(([, user]) => user.email === bound.value.email);
  if (!entry) {
    return message(404, 'user not found');
  }
  const [userKey, user] = entry;
  if (!user.password || user.password !== bound.value.password) {
    return message(401, 'invalid credentials');
  }
  const token = state.tokens.issue(userKey, user.email, false);
  return { status: 200, body: { status: 'ok' }, headers: { 'access-control-expose-headers': 'Token', token } };
}

/** parseRedirectURL (login.go): the hostname must be the API's; none means the CLI's callback. */
function parseRedirect(state: GatewayState, query: URLSearchParams): string | undefined {
  const target = query.get('redirect') ?? '';
  if (target === '') {
    return CLIENT_CALLBACK;
  }
  let hostname: string | undefined;
  try {
    hostname = new URL(target).hostname;
  } catch {
    hostname = undefined;
  }
  return hostname === new URL(state.apiUrl()).hostname ? target : undefined;
}

/** GET /api/login — oidc/login.go Login: stores the login state and answers the identity provider's URL. */
export function oidcLogin({ state, query }: PublicHandlerContext): JsonReply {
  if (state.config.authMethod !== 'oidc') {
    return message(403, 'OIDC provider not configured');
  }
  const target = parseRedirect(state, query);
  if (target === undefined) {
    return message(422, 'redirect attribute does not match with api url');
  }
  const loginState = randomUUID();
  state.logins.set(loginState, { redirect: target });
  const authorize = new URL(`${state.apiUrl()}/idp/authorize`);
  authorize.search = new URLSearchParams({
    client_id: 'hoop-local-gateway',
    redirect_uri: `${state.apiUrl()}/api/callback`,
    response_type: 'code',
    scope: 'openid email profile',
    state: loginState,
  }).toString();
  return reply(200, { login_url: authorize.toString() });
}

/** GET /api/saml/login — saml/login.go SamlLogin. */
export function samlLogin({ state, query }: PublicHandlerContext): JsonReply {
  if (state.config.authMethod !== 'saml') {
    return message(401, 'SAML provider not configured');
  }
  const target = parseRedirect(state, query);
  if (target === undefined) {
    return message(500, 'internal error, failed to parse redirect URL');
  }
  const requestId = randomUUID();
  state.logins.set(requestId, { redirect: target });
  const sso = new URL(`${state.apiUrl()}/idp/saml/sso`);
  sso.search = new URLSearchParams({ SAMLRequest: Buffer.from(JSON.stringify({ id: `_${requestId}` })).toString('base64') }).toString();
  return reply(200, { login_url: sso.toString() });
}

/**
 * GET /idp/authorize — the stand-in OIDC identity provider: signs in the configured user without a
 * page and redirects (302) to the gateway's callback with a code, as a real IdP does after its form.
 */
export function idpAuthorize({ state, query }: PublicHandlerContext): JsonReply {
  const callback = query.get('redirect_uri') ?? '';
  if (!callback.startsWith(`${state.apiUrl()}/`)) {
    return message(400, 'stand-in identity provider: redirect_uri must point at this gateway');
  }
  const code = randomUUID();
  const idp = state.config.identityProvider;
  if (idp && idp.outcome === 'success') {
    state.idpCodes.set(code, idp.user);
  }
  const target = new URL(callback);
  target.search = new URLSearchParams({ code, state: query.get('state') ?? '' }).toString();
  return redirect(302, target.toString());
}

/** GET /idp/saml/sso — the stand-in SAML identity provider; answers the assertion to the gateway's callback. */
export function idpSamlSso({ state, query }: PublicHandlerContext): JsonReply {
  let requestId = '';
  try {
    requestId = String((JSON.parse(Buffer.from(query.get('SAMLRequest') ?? '', 'base64').toString('utf8')) as { id?: unknown }).id ?? '');
  } catch {
    return message(400, 'stand-in identity provider: malformed SAMLRequest');
  }
  const idp = state.config.identityProvider;
  const assertion = { inResponseTo: requestId, user: idp?.outcome === 'success' ? idp.user : null };
  const target = new URL(`${state.apiUrl()}/api/saml/callback`);
  target.search = new URLSearchParams({ SAMLResponse: Buffer.from(JSON.stringify(assertion)).toString('base64') }).toString();
  return redirect(302, target.toString());
}

/**
 * Where the browser goes with the new token: the CLI's callback gets `?token=`; another page of the API's
 * host gets the `hoop_access_token` cookie instead (LoginCallback).
 */
function successRedirect(target: string, token: string, secure: boolean): JsonReply {
  if (new URL(target).host === CLIENT_CALLBACK_HOST) {
    return redirect(307, `${target}?token=${token}`);
  }
  return redirect(307, target, { 'set-cookie': `hoop_access_token=${token}; Path=/; SameSite=Lax${secure ? '; Secure' : ''}` });
}

/** GET /api/callback — oidc/login.go LoginCallback: 307 to the stored redirect with the token or `error=unexpected_error`. */
export function oidcCallback({ state, query }: PublicHandlerContext): JsonReply {
  if (state.config.authMethod !== 'oidc') {
    return message(403, 'OIDC provider not configured');
  }
  if (query.get('error')) {
    return message(401, 'error login callback response from identity provider, contact the administrator');
  }
  const login = state.logins.get(query.get('state') ?? '');
  if (!login) {
    return message(400, 'failed to retrieve login state internally');
  }
  state.logins.delete(query.get('state') ?? '');
  const code = query.get('code') ?? '';
  const userKey = state.idpCodes.get(code);
  state.idpCodes.delete(code);
  const user = userKey === undefined ? undefined : state.config.users[userKey];
  if (userKey === undefined || !user || (user.status ?? 'active') !== 'active') {
    return redirect(307, `${login.redirect}?error=unexpected_error`);
  }
  return successRedirect(login.redirect, state.tokens.issue(userKey, user.email, true), state.config.tls);
}

/** POST (and, for the stand-in IdP's plain redirect, GET) /api/saml/callback — saml/login.go SamlLoginCallback. */
export function samlCallback({ state, query, body }: PublicHandlerContext): JsonReply {
  if (state.config.authMethod !== 'saml') {
    return message(401, 'SAML provider not configured');
  }
  // FormValue: the query string, else the form body.
  const encoded = query.get('SAMLResponse') ?? new URLSearchParams(body.toString('utf8')).get('SAMLResponse') ?? '';
  let assertion: { inResponseTo?: unknown; user?: unknown };
  try {
    assertion = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as typeof assertion;
  } catch {
    return message(401, 'failed to parse SAML assertion');
  }
  const requestId = String(assertion.inResponseTo ?? '').replace(/^_/, '');
  const login = state.logins.get(requestId);
  if (!login) {
    return message(403, 'invalid login state');
  }
  state.logins.delete(requestId);
  const userKey = typeof assertion.user === 'string' ? assertion.user : undefined;
  const user = userKey === undefined ? undefined : state.config.users[userKey];
  if (userKey === undefined || !user) {
    return redirect(307, `${login.redirect}?error=${goQueryEscape('unable to obtain user from database')}`);
  }
  if ((user.status ?? 'active') !== 'active') {
    return redirect(307, `${login.redirect}?error=${goQueryEscape('user is inactive')}`);
  }
  return successRedirect(login.redirect, state.tokens.issue(userKey, user.email, false), state.config.tls);
}

/** Go's url.QueryEscape: spaces become `+`. */
function goQueryEscape(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}
