import * as assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { startLocalGateway, type LocalGateway, type LocalGatewayConfig } from '../gateway/localGateway';

// The sign-in side of the local gateway (§4.1–4.2): public server info, local login, the browser
// flow through the stand-in identity provider, token rotation and HTTPS with a test CA.

const ADMIN = 'admin-token';
const DEV = 'dev-token';
const USERS: LocalGatewayConfig['users'] = {
  [ADMIN]: { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: 'admin-pass' },
  [DEV]: { email: 'dev@example.com', name: 'Dev One', role: 'standard', groups: ['dev'], password: 'dev-pass' },
  'nopass-token': { email: 'nopass@example.com', role: 'standard' },
  'old-token': { email: 'old@example.com', role: 'standard', tokenExpired: true },
  'gone-token': { email: 'gone@example.com', role: 'standard', status: 'inactive' },
};
const CLI_CALLBACK = 'http://127.0.0.1:3587/callback';

const gateways: LocalGateway[] = [];
async function gateway(config: LocalGatewayConfig = {}): Promise<LocalGateway> {
  const gw = await startLocalGateway({ users: USERS, ...config });
  gateways.push(gw);
  return gw;
}

async function get(url: string, token?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Follows the browser's redirects on the gateway's host and stops before the CLI's callback (nobody listens there). */
async function followToCallback(loginUrl: string, stopAt: string): Promise<{ location: string; statuses: number[]; setCookie: string | null }> {
  const statuses: number[] = [];
  let url = loginUrl;
  for (let hop = 0; hop < 5; hop++) {
    const res = await get(url);
    statuses.push(res.status);
    const location = res.headers.get('location');
    assert.ok(location, `hop ${hop} (${url}) answered ${res.status} without a location: ${await res.text()}`);
    if (location.startsWith(stopAt)) {
      return { location, statuses, setCookie: res.headers.get('set-cookie') };
    }
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects');
}

async function login(gw: LocalGateway, path = '/api/login'): Promise<string> {
  const res = await get(`${gw.url}${path}`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { login_url: string };
  assert.deepEqual(Object.keys(body), ['login_url']);
  return body.login_url;
}

async function whoAmI(gw: LocalGateway, token: string): Promise<{ status: number; email?: string; newToken: string | null }> {
  const res = await get(`${gw.url}/api/userinfo`, token);
  const body = (await res.json()) as { email?: string };
  return { status: res.status, email: body.email, newToken: res.headers.get('x-new-access-token') };
}

describe('local gateway: sign-in (§4.1–4.2)', function () {
  this.timeout(20_000);
  after(() => Promise.all(gateways.map((gw) => gw.close())));

  describe('GET /api/publicserverinfo', () => {
    it('answers without auth with the configured method, local by default', async () => {
      for (const authMethod of ['local', 'oidc', 'saml'] as const) {
        const gw = await gateway({ authMethod });
        const res = await get(`${gw.url}/api/publicserverinfo`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { auth_method: authMethod, setup_required: false });
        const info = await (await get(`${gw.url}/api/serverinfo`, ADMIN)).json();
        assert.equal((info as { auth_method: string }).auth_method, authMethod);
      }
      const fresh = await startLocalGateway({});
      gateways.push(fresh);
      assert.deepEqual(await (await get(`${fresh.url}/api/publicserverinfo`)).json(), { auth_method: 'local', setup_required: true });
    });
  });

  describe('POST /api/localauth/login', () => {
    const post = (gw: LocalGateway, body: string) => fetch(`${gw.url}/api/localauth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it('answers 200 {"status":"ok"} with a working token in the Token header', async () => {
      const gw = await gateway();
      const res = await post(gw, JSON.stringify({ email: 'dev@example.com', password: 'dev-pass' }));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      const token = res.headers.get('token');
      assert.ok(token);
      assert.equal(token.split('.').length, 3, 'JWT-shaped like hoop\'s local tokens');
      assert.deepEqual(await whoAmI(gw, token), { status: 200, email: 'dev@example.com', newToken: null });
      const recorded = gw.requests.find((r) => r.path === '/api/localauth/login');
      assert.deepEqual(recorded?.body, { email: 'dev@example.com', password: '[redacted]' });
    });

    it('401 for a wrong password or a user without one, 404 for an unknown email, 400 for bad JSON', async () => {
      const gw = await gateway();
      const wrong = await post(gw, JSON.stringify({ email: 'dev@example.com', password: 'nope' }));
      assert.equal(wrong.status, 401);
      assert.deepEqual(await wrong.json(), { message: 'invalid credentials' });
      assert.equal(wrong.headers.get('token'), null);
      const noPassword = await post(gw, JSON.stringify({ email: 'nopass@example.com', password: '' }));
      assert.equal(noPassword.status, 401);
      assert.deepEqual(await noPassword.json(), { message: 'invalid credentials' });
      const unknown = await post(gw, JSON.stringify({ email: 'who@example.com', password: 'x' }));
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), { message: 'user not found' });
      const bad = await post(gw, 'email=x');
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), { message: "invalid character 'e' looking for beginning of value" });
    });

    it('a local token that expired is refused (no refresh token for local logins)', async () => {
      const gw = await gateway({ tokenLifetimeMs: 1 });
      const res = await post(gw, JSON.stringify({ email: 'admin@example.com', password: 'admin-pass' }));
      const token = res.headers.get('token');
      assert.ok(token);
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(await whoAmI(gw, token), { status: 401, email: undefined, newToken: null });
    });
  });

  describe('browser sign-in with OIDC through the stand-in identity provider', () => {
    it('login_url leads by plain redirects (302, then 307) to the CLI callback with a token of the default user', async () => {
      const gw = await gateway({ authMethod: 'oidc' });
      const loginUrl = await login(gw);
      assert.ok(loginUrl.startsWith(`${gw.url}/idp/authorize?`), loginUrl);
      const { location, statuses } = await followToCallback(loginUrl, CLI_CALLBACK);
      assert.deepEqual(statuses, [302, 307]);
      const callback = new URL(location);
      assert.equal(`${callback.origin}${callback.pathname}`, CLI_CALLBACK);
      const token = callback.searchParams.get('token');
      assert.ok(token);
      assert.deepEqual(await whoAmI(gw, token), { status: 200, email: 'admin@example.com', newToken: null });
    });

    it('signs in the configured identityProvider.user, and a second sign-in gives a new token', async () => {
      const gw = await gateway({ authMethod: 'oidc', identityProvider: { user: DEV } });
      const first = new URL((await followToCallback(await login(gw), CLI_CALLBACK)).location).searchParams.get('token');
      const second = new URL((await followToCallback(await login(gw), CLI_CALLBACK)).location).searchParams.get('token');
      assert.ok(first && second);
      assert.notEqual(first, second);
      assert.equal((await whoAmI(gw, second)).email, 'dev@example.com');
    });

    it('outcome "error" ends at ?error=unexpected_error', async () => {
      const gw = await gateway({ authMethod: 'oidc', identityProvider: { outcome: 'error' } });
      const { location, statuses } = await followToCallback(await login(gw), CLI_CALLBACK);
      assert.deepEqual(statuses, [302, 307]);
      assert.equal(location, `${CLI_CALLBACK}?error=unexpected_error`);
    });

    it('?redirect= on another host is 422; on the API host the token goes in a cookie, not the URL', async () => {
      const gw = await gateway({ authMethod: 'oidc' });
      const other = await get(`${gw.url}/api/login?redirect=${encodeURIComponent('vscode://hoop.runbooks/callback')}`);
      assert.equal(other.status, 422);
      assert.deepEqual(await other.json(), { message: 'redirect attribute does not match with api url' });
      const page = `${gw.url.replace('127.0.0.1', 'localhost')}/after-login`;
      assert.equal((await get(`${gw.url}/api/login?redirect=${encodeURIComponent(page)}`)).status, 422, 'localhost is another hostname');
      const samePage = `${gw.url}/after-login`;
      const { location, setCookie } = await followToCallback(await login(gw, `/api/login?redirect=${encodeURIComponent(samePage)}`), samePage);
      assert.equal(location, samePage);
      const token = /^hoop_access_token=([^;]+);/.exec(setCookie ?? '')?.[1];
      assert.ok(token, setCookie ?? 'no cookie');
      assert.equal((await whoAmI(gw, token)).email, 'admin@example.com');
    });

    it('403 "OIDC provider not configured" when the method is not oidc; the callback checks state and IdP errors', async () => {
      const local = await gateway();
      for (const path of ['/api/login', '/api/callback?state=x&code=y']) {
        const res = await get(`${local.url}${path}`);
        assert.equal(res.status, 403);
        assert.deepEqual(await res.json(), { message: 'OIDC provider not configured' });
      }
      const gw = await gateway({ authMethod: 'oidc' });
      const unknownState = await get(`${gw.url}/api/callback?state=nope&code=x`);
      assert.equal(unknownState.status, 400);
      assert.deepEqual(await unknownState.json(), { message: 'failed to retrieve login state internally' });
      const idpError = await get(`${gw.url}/api/callback?error=access_denied`);
      assert.equal(idpError.status, 401);
      assert.deepEqual(await idpError.json(), { message: 'error login callback response from identity provider, contact the administrator' });
    });

    it('an OIDC token that expired is still served, with X-New-Access-Token that then works', async () => {
      const gw = await gateway({ authMethod: 'oidc', tokenLifetimeMs: 200 });
      const token = new URL((await followToCallback(await login(gw), CLI_CALLBACK)).location).searchParams.get('token');
      assert.ok(token);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const rotated = await whoAmI(gw, token);
      assert.equal(rotated.status, 200);
      assert.equal(rotated.email, 'admin@example.com');
      assert.ok(rotated.newToken && rotated.newToken !== token);
      assert.deepEqual(await whoAmI(gw, rotated.newToken), { status: 200, email: 'admin@example.com', newToken: null });
    });
  });

  describe('browser sign-in with SAML', () => {
    it('GET /api/saml/login leads to the CLI callback with a token', async () => {
      const gw = await gateway({ authMethod: 'saml', identityProvider: { user: DEV } });
      const loginUrl = await login(gw, '/api/saml/login');
      assert.ok(loginUrl.startsWith(`${gw.url}/idp/saml/sso?SAMLRequest=`), loginUrl);
      const { location, statuses } = await followToCallback(loginUrl, CLI_CALLBACK);
      assert.deepEqual(statuses, [302, 307]);
      const token = new URL(location).searchParams.get('token');
      assert.ok(token);
      assert.equal((await whoAmI(gw, token)).email, 'dev@example.com');
    });

    it('errors: provider not configured (401), a failed sign-in redirects with the reason', async () => {
      const oidc = await gateway({ authMethod: 'oidc' });
      const notSaml = await get(`${oidc.url}/api/saml/login`);
      assert.equal(notSaml.status, 401);
      assert.deepEqual(await notSaml.json(), { message: 'SAML provider not configured' });
      const gw = await gateway({ authMethod: 'saml', identityProvider: { outcome: 'error' } });
      const { location } = await followToCallback(await login(gw, '/api/saml/login'), CLI_CALLBACK);
      assert.equal(location, `${CLI_CALLBACK}?error=unable+to+obtain+user+from+database`);
    });
  });

  describe('token expiry (§4.1)', () => {
    it('a token configured as expired is served with X-New-Access-Token; the new token works without rotation', async () => {
      const gw = await gateway();
      const first = await whoAmI(gw, 'old-token');
      assert.equal(first.status, 200);
      assert.equal(first.email, 'old@example.com');
      assert.ok(first.newToken);
      assert.deepEqual(await whoAmI(gw, first.newToken), { status: 200, email: 'old@example.com', newToken: null });
    });

    it('inactive users and unknown tokens stay 401', async () => {
      const gw = await gateway();
      assert.equal((await whoAmI(gw, 'gone-token')).status, 401);
      assert.equal((await whoAmI(gw, 'never-issued')).status, 401);
    });
  });

  describe('HTTPS with a test CA', () => {
    const httpsGet = (url: string, ca?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(url, { ca, headers: { authorization: `Bearer ${ADMIN}` } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });

    it('serves https:// with a certificate the generated CA verifies, and untrusted without it', async () => {
      const gw = await gateway({ tls: true, authMethod: 'oidc' });
      assert.ok(gw.url.startsWith('https://127.0.0.1:'), gw.url);
      assert.ok(gw.ca);
      assert.match(gw.ca.pem, /^-----BEGIN CERTIFICATE-----/);
      const trusted = await httpsGet(`${gw.url}/api/userinfo`, gw.ca.pem);
      assert.equal(trusted.status, 200);
      assert.equal((JSON.parse(trusted.body) as { email: string }).email, 'admin@example.com');
      const localhost = await httpsGet(`${gw.url.replace('127.0.0.1', 'localhost')}/api/publicserverinfo`, gw.ca.pem);
      assert.equal(localhost.status, 200);
      await assert.rejects(httpsGet(`${gw.url}/api/userinfo`), (err: NodeJS.ErrnoException) => err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || err.code === 'SELF_SIGNED_CERT_IN_CHAIN');
      const loginUrl = JSON.parse((await httpsGet(`${gw.url}/api/login`, gw.ca.pem)).body) as { login_url: string };
      assert.ok(loginUrl.login_url.startsWith(`${gw.url}/idp/authorize?`));
    });

    it('removes the CA files when closed', async () => {
      const { existsSync } = await import('node:fs');
      const gw = await startLocalGateway({ tls: true });
      const file = gw.ca?.file;
      assert.ok(file && existsSync(file));
      await gw.close();
      assert.equal(existsSync(file), false);
    });
  });
});
