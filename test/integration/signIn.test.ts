import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignInError, TokenRejectedError } from '../../src/core/auth/authErrors';
import type { GatewayEntry } from '../../src/core/auth/gatewayList';
import { signedInMessage } from '../../src/core/auth/signIn';
import { chooseToken, tokenCandidatesFor } from '../../src/core/auth/tokenChoice';
import { CancelledError, GatewayHttpError, GatewayUnreachableError } from '../../src/core/errors';
import { GatewayClient } from '../../src/core/gatewayClient';
import { cliLoginFor, readCliLogins } from '../../src/core/hoopCliConfig';
import { startLocalGateway, type LocalGateway, type LocalGatewayConfig } from '../gateway/localGateway';
import { MemoryStorage, ScriptedPrompts, signInWith } from '../support/signInHarness';

const ADA = 'ada-token';
const DEV = 'hpk_dev_key';
const USERS: LocalGatewayConfig['users'] = {
  [ADA]: { email: 'ada@example.com', name: 'Ada Admin', role: 'admin', password: 'ada-pass' },
  [DEV]: { email: 'dev@example.com', name: 'Dev One', role: 'standard' },
};

describe('Sign in against the local gateway', function () {
  this.timeout(30_000);
  const started: LocalGateway[] = [];
  let storage: MemoryStorage;

  async function gateway(config: LocalGatewayConfig = {}): Promise<{ gw: LocalGateway; entry: GatewayEntry }> {
    const gw = await startLocalGateway({ users: USERS, ...config });
    started.push(gw);
    return { gw, entry: { name: 'local', url: gw.url } };
  }

  beforeEach(() => {
    storage = new MemoryStorage();
  });
  after(() => Promise.all(started.map((gw) => gw.close())));

  it('checks that the gateway answers before asking anything', async () => {
    const closed = await gateway();
    await closed.gw.close();
    const prompts = new ScriptedPrompts({ method: 'apiKey', apiKey: DEV });
    await assert.rejects(signInWith({ gateway: closed.entry, prompts, accounts: storage.accountStore() }), GatewayUnreachableError);
    assert.deepEqual(prompts.asked, []);
    assert.equal(storage.secrets.size, 0);
  });

  describe('email and password (local)', () => {
    it('offers it first, signs in, and stores only the checked token', async () => {
      const { gw, entry } = await gateway({ authMethod: 'local' });
      const prompts = new ScriptedPrompts({ method: 'password', credentials: { email: 'ada@example.com', password: 'ada-pass' } });
      const accounts = storage.accountStore();
      const { user } = await signInWith({ gateway: entry, prompts, accounts });
      assert.deepEqual(prompts.choices, ['password', 'apiKey']);
      assert.equal(signedInMessage(entry.name, user), 'Signed in to local as Ada Admin (ada@example.com, admin)');
      const token = await accounts.token(gw.url);
      assert.ok(token);
      assert.equal((await new GatewayClient({ gatewayUrl: gw.url, token }).userInfo()).email, 'ada@example.com');
      assert.deepEqual(accounts.record(gw.url).user, user);
    });

    it('a wrong password stores nothing and says what the gateway said', async () => {
      const { entry } = await gateway({ authMethod: 'local' });
      const prompts = new ScriptedPrompts({ method: 'password', credentials: { email: 'ada@example.com', password: 'nope' } });
      await assert.rejects(signInWith({ gateway: entry, prompts, accounts: storage.accountStore() }), (error: unknown) => error instanceof GatewayHttpError && error.status === 401 && /invalid credentials/.test(error.message));
      assert.equal(storage.secrets.size, 0);
    });
  });

  describe('the browser (OIDC/SAML), like hoop login', () => {
    it('opens the login URL, takes the token at 127.0.0.1:3587/callback, tells the browser it can close the tab', async () => {
      const { gw, entry } = await gateway({ authMethod: 'oidc', identityProvider: { user: DEV } });
      const prompts = new ScriptedPrompts({ method: 'browser' });
      const accounts = storage.accountStore();
      const { user } = await signInWith({ gateway: entry, prompts, accounts });
      assert.deepEqual(prompts.asked, ['pickMethod', 'waitForBrowser', 'openBrowser']);
      assert.equal(user.email, 'dev@example.com');
      assert.match(await prompts.browserPage!, /You can close this tab/);
      const token = await accounts.token(gw.url);
      assert.ok(token && token !== DEV, 'the gateway issued a new token');
      await assertPortFree(3587);
    });

    it('SAML goes through /api/saml/login the same way', async () => {
      const { gw, entry } = await gateway({ authMethod: 'saml', identityProvider: { user: DEV } });
      const prompts = new ScriptedPrompts({});
      await signInWith({ gateway: entry, prompts, accounts: storage.accountStore(), method: 'gateway' });
      assert.ok(gw.requests.some((request) => request.path === '/api/saml/login'));
      assert.deepEqual(prompts.asked, ['waitForBrowser', 'openBrowser'], 'Sign In Again uses the gateway method without asking');
    });

    it('an identity provider failure (?error=) stores nothing, and the browser says it failed', async () => {
      const { entry } = await gateway({ authMethod: 'oidc', identityProvider: { outcome: 'error' } });
      const prompts = new ScriptedPrompts({ method: 'browser' });
      await assert.rejects(signInWith({ gateway: entry, prompts, accounts: storage.accountStore() }), /The browser sign-in failed: the gateway answered "unexpected_error"/);
      assert.match(await prompts.browserPage!, /Sign-in failed: unexpected_error/);
      assert.equal(storage.secrets.size, 0);
      await assertPortFree(3587);
    });

    it('port 3587 taken (a running hoop login) gives a clear message and opens no browser', async () => {
      const { entry } = await gateway({ authMethod: 'oidc' });
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(3587, '127.0.0.1', resolve));
      try {
        const prompts = new ScriptedPrompts({ method: 'browser' });
        await assert.rejects(signInWith({ gateway: entry, prompts, accounts: storage.accountStore() }), (error: unknown) => error instanceof SignInError && /Port 3587 .* "hoop login"/.test(error.message));
        assert.ok(!prompts.asked.includes('openBrowser'));
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });

    it('cancelling stops listening and stores nothing', async () => {
      const { entry } = await gateway({ authMethod: 'oidc' });
      const prompts = new ScriptedPrompts({ method: 'browser', cancelBrowser: true, browser: async () => 'the user never signs in' });
      await assert.rejects(signInWith({ gateway: entry, prompts, accounts: storage.accountStore() }), CancelledError);
      assert.equal(storage.secrets.size, 0);
      await assertPortFree(3587);
    });
  });

  describe('API keys', () => {
    it('an hpk_ key goes as Bearer and is stored once the gateway accepts it', async () => {
      const { gw, entry } = await gateway({ authMethod: 'oidc' });
      const accounts = storage.accountStore();
      await signInWith({ gateway: entry, prompts: new ScriptedPrompts({ method: 'apiKey', apiKey: ` ${DEV} ` }), accounts });
      assert.equal(await accounts.token(gw.url), DEV);
      const userinfo = gw.requests.filter((request) => request.path === '/api/userinfo');
      assert.equal(userinfo.at(-1)?.headers.authorization, 'Bearer');
      assert.equal(userinfo.at(-1)?.headers['api-key'], undefined);
    });

    it('a legacy key also goes as Api-Key, like the CLI', async () => {
      const legacyKey = 'xapi-0123456789abcdef';
      const { gw, entry } = await gateway({ apiKey: legacyKey });
      const { user } = await signInWith({ gateway: entry, prompts: new ScriptedPrompts({ method: 'apiKey', apiKey: legacyKey }), accounts: storage.accountStore() });
      assert.equal(user.role, 'admin');
      assert.equal(gw.requests.filter((request) => request.path === '/api/userinfo').at(-1)?.headers['api-key'], '[redacted]');
    });

    it('a key the gateway rejects is never stored', async () => {
      const { entry } = await gateway();
      await assert.rejects(
        signInWith({ gateway: entry, prompts: new ScriptedPrompts({ method: 'apiKey', apiKey: 'hpk_revoked' }), accounts: storage.accountStore() }),
        (error: unknown) => error instanceof TokenRejectedError && /rejected the token \(401 "access denied"\), so it was not stored/.test(error.message),
      );
      assert.equal(storage.secrets.size, 0);
      assert.equal(storage.state.size, 0);
    });
  });

  describe("the hoop CLI's login", () => {
    let home: string;
    beforeEach(async () => {
      home = await fs.mkdtemp(path.join(os.tmpdir(), 'hoop-home-'));
      await fs.mkdir(path.join(home, '.hoop'));
    });
    afterEach(() => fs.rm(home, { recursive: true, force: true }));

    const writeConfig = (apiUrl: string, token: string) => fs.writeFile(path.join(home, '.hoop', 'config.toml'), `api_url = "${apiUrl}"\ngrpc_url = "127.0.0.1:8010"\ntoken = "${token}"\n`);

    it('is offered when ~/.hoop/config.toml has a login for this gateway, and imported after the check', async () => {
      const { gw, entry } = await gateway();
      await writeConfig(`${gw.url}/`, DEV);
      const cliLogin = cliLoginFor(gw.url, await readCliLogins(home, {}));
      const prompts = new ScriptedPrompts({ method: 'cliLogin' });
      const accounts = storage.accountStore();
      const { user } = await signInWith({ gateway: entry, prompts, accounts, cliLogin });
      assert.deepEqual(prompts.choices, ['password', 'apiKey', 'cliLogin']);
      assert.equal(user.email, 'dev@example.com');
      assert.equal(await accounts.token(gw.url), DEV);
    });

    it('a newer hoop login for the same gateway is picked up over the stored token; an older one is not', async () => {
      const { gw } = await gateway();
      const accounts = storage.accountStore();
      await accounts.signedIn(gw.url, ADA, { name: 'Ada Admin', email: 'ada@example.com', role: 'admin' });
      const configFile = path.join(home, '.hoop', 'config.toml');
      await writeConfig(gw.url, DEV);
      const choose = async () => chooseToken(tokenCandidatesFor(gw.url, { token: await accounts.token(gw.url), ...accounts.record(gw.url) }, await readCliLogins(home, {})));

      const storedAt = accounts.record(gw.url).storedAt!;
      await fs.utimes(configFile, new Date(storedAt - 60_000), new Date(storedAt - 60_000));
      assert.equal((await choose())?.kind, 'stored');
      await fs.utimes(configFile, new Date(storedAt + 60_000), new Date(storedAt + 60_000));
      const newer = await choose();
      assert.equal(newer?.token, DEV);
      assert.equal((await new GatewayClient({ gatewayUrl: gw.url, token: newer?.token }).userInfo()).email, 'dev@example.com');
    });

    it('a login for another gateway is not offered', async () => {
      const { gw } = await gateway();
      await writeConfig('https://other.example', DEV);
      assert.equal(cliLoginFor(gw.url, await readCliLogins(home, {})), undefined);
    });
  });

  it('a token the gateway renews (X-New-Access-Token) replaces the stored one, for the same account', async () => {
    const { gw } = await gateway({ users: { 'expired-token': { email: 'old@example.com', name: 'Old Timer', role: 'standard', tokenExpired: true } } });
    const accounts = storage.accountStore();
    const user = { name: 'Old Timer', email: 'old@example.com', role: 'standard' };
    await accounts.signedIn(gw.url, 'expired-token', user);
    let rotation: Promise<void> | undefined;
    const client = new GatewayClient({ gatewayUrl: gw.url, token: 'expired-token', onNewToken: (token) => (rotation = accounts.rotated(gw.url, token)) });
    await client.userInfo();
    await rotation;
    const renewed = await accounts.token(gw.url);
    assert.ok(renewed && renewed !== 'expired-token');
    assert.deepEqual(accounts.record(gw.url).user, user);
    assert.equal((await new GatewayClient({ gatewayUrl: gw.url, token: renewed }).userInfo()).email, 'old@example.com');
    assert.ok(!storage.dump().includes('expired-token'), 'the old token is gone');
  });

  describe('several gateways, and signing out', () => {
    it('keeps a token per gateway; signing out of one leaves the other, and no token anywhere for it', async () => {
      const prod = await gateway({ users: { [ADA]: USERS[ADA] } });
      const lab = await gateway({ users: { [DEV]: USERS[DEV] } });
      const accounts = storage.accountStore();
      await signInWith({ gateway: { name: 'prod', url: prod.gw.url }, prompts: new ScriptedPrompts({ method: 'apiKey', apiKey: ADA }), accounts });
      await signInWith({ gateway: { name: 'lab', url: lab.gw.url }, prompts: new ScriptedPrompts({ method: 'apiKey', apiKey: DEV }), accounts });
      assert.equal(await accounts.token(prod.gw.url), ADA);
      assert.equal(await accounts.token(lab.gw.url), DEV);
      // Each token works on its own gateway only.
      await assert.rejects(new GatewayClient({ gatewayUrl: lab.gw.url, token: ADA }).userInfo(), (error: unknown) => error instanceof GatewayHttpError && error.status === 401);

      await accounts.signedOut(prod.gw.url);
      assert.ok(!storage.dump().includes(ADA), 'no copy of the token in secret storage or global state');
      assert.equal(await accounts.token(lab.gw.url), DEV);
      const afterSignOut = chooseToken(tokenCandidatesFor(prod.gw.url, { token: await accounts.token(prod.gw.url), ...accounts.record(prod.gw.url) }, { environment: { apiUrl: prod.gw.url, token: ADA, skipTlsVerify: false, source: 'HOOP_*' } }));
      assert.equal(afterSignOut, undefined, 'the environment login is not used again after signing out');
    });
  });
});

async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => probe.close(resolve));
}
