import { strict as assert } from 'node:assert';
import type { Dispatcher } from 'undici';
import { explainCertificateError, GatewayCertificateError } from '../../src/core/auth/authErrors';
import type { GatewayEntry } from '../../src/core/auth/gatewayList';
import { createDispatcher, networkOptionsFor, planNetwork, type NetworkOptions } from '../../src/core/auth/network';
import { ConfigurationError } from '../../src/core/errors';
import { GatewayClient } from '../../src/core/gatewayClient';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { startConnectProxy, type ConnectProxy } from '../support/connectProxy';
import { MemoryStorage, ScriptedPrompts, signInWith } from '../support/signInHarness';

const DEV = 'hpk_dev_key';
const noProxy: Omit<NetworkOptions, 'ca' | 'skipTlsVerify'> = { env: {} };

describe('Sign in over TLS and proxies', function () {
  this.timeout(30_000);
  let gw: LocalGateway;
  let proxy: ConnectProxy | undefined;
  const dispatchers: Dispatcher[] = [];

  before(async () => {
    gw = await startLocalGateway({ tls: true, authMethod: 'oidc', users: { [DEV]: { email: 'dev@example.com', name: 'Dev One', role: 'standard' } }, identityProvider: { user: DEV } });
  });
  after(() => gw.close());
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
    await proxy?.close();
    proxy = undefined;
  });

  async function dispatcherFor(entry: GatewayEntry, options: Omit<NetworkOptions, 'ca' | 'skipTlsVerify'> = noProxy, cliLogin?: Parameters<typeof networkOptionsFor>[1]): Promise<Dispatcher | undefined> {
    const dispatcher = await createDispatcher(planNetwork(await networkOptionsFor(entry, cliLogin, options)));
    if (dispatcher) {
      dispatchers.push(dispatcher);
    }
    return dispatcher;
  }

  async function signInThrough(entry: GatewayEntry, dispatcher: Dispatcher | undefined) {
    const storage = new MemoryStorage();
    // The "browser" trusts the same CA but goes direct, as it would with its own proxy settings.
    const browser = await dispatcherFor(entry);
    try {
      const result = await signInWith({ gateway: entry, prompts: new ScriptedPrompts({ method: 'browser' }, browser), accounts: storage.accountStore(), dispatcher });
      return { result, storage };
    } catch (error) {
      throw explainCertificateError(error, entry.name);
    }
  }

  it("trusts the gateway with the test CA from the gateway's caFile, and the browser flow completes over HTTPS", async () => {
    const entry = { name: 'tls', url: gw.url, caFile: gw.ca!.file };
    const { result, storage } = await signInThrough(entry, await dispatcherFor(entry));
    assert.equal(result.user.email, 'dev@example.com');
    assert.equal(storage.secrets.size, 1);
  });

  it("trusts the CA from the hoop CLI's tls_ca for the same gateway", async () => {
    const entry = { name: 'tls', url: gw.url };
    const cliLogin = { apiUrl: gw.url, token: DEV, tlsCa: gw.ca!.pem, skipTlsVerify: false, source: 'config.toml' };
    const client = new GatewayClient({ gatewayUrl: gw.url, token: DEV, dispatcher: await dispatcherFor(entry, noProxy, cliLogin) });
    assert.equal((await client.userInfo()).email, 'dev@example.com');
  });

  it('without the CA: the error names the problem and the setting, nothing is asked or stored', async () => {
    const entry = { name: 'tls', url: gw.url };
    const storage = new MemoryStorage();
    const prompts = new ScriptedPrompts({ method: 'apiKey', apiKey: DEV });
    await assert.rejects(
      signInWith({ gateway: entry, prompts, accounts: storage.accountStore(), dispatcher: await dispatcherFor(entry) }).catch((error: unknown) => {
        throw explainCertificateError(error, entry.name);
      }),
      (error: unknown) => error instanceof GatewayCertificateError && /signed by a CA this computer does not trust.*"caFile"/.test(error.message),
    );
    assert.deepEqual(prompts.asked, []);
    assert.equal(storage.secrets.size, 0);
  });

  it('skips verification only when the gateway says skipTlsVerify', async () => {
    const entry = { name: 'tls', url: gw.url, skipTlsVerify: true };
    const { result } = await signInThrough(entry, await dispatcherFor(entry));
    assert.equal(result.user.email, 'dev@example.com');
  });

  it('an unreadable caFile is a settings error naming the gateway', async () => {
    await assert.rejects(networkOptionsFor({ name: 'prod', url: gw.url, caFile: '/nonexistent/ca.pem' }, undefined, noProxy), (error: unknown) => error instanceof ConfigurationError && /"caFile" of gateway "prod"/.test(error.message));
  });

  it("VS Code's http.proxy carries every gateway call through CONNECT", async () => {
    proxy = await startConnectProxy();
    const entry = { name: 'tls', url: gw.url, caFile: gw.ca!.file };
    const { result } = await signInThrough(entry, await dispatcherFor(entry, { proxyUrl: proxy.url, env: {} }));
    assert.equal(result.user.email, 'dev@example.com');
    const gatewayHost = new URL(gw.url).host;
    assert.ok(proxy.connects.length >= 1);
    assert.deepEqual([...new Set(proxy.connects)], [gatewayHost]);
  });

  it('HTTPS_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
    proxy = await startConnectProxy();
    const entry = { name: 'tls', url: gw.url, caFile: gw.ca!.file };
    const viaEnv = new GatewayClient({ gatewayUrl: gw.url, token: DEV, dispatcher: await dispatcherFor(entry, { env: { HTTPS_PROXY: proxy.url } }) });
    await viaEnv.userInfo();
    assert.equal(proxy.connects.length, 1);
    const bypassed = new GatewayClient({ gatewayUrl: gw.url, token: DEV, dispatcher: await dispatcherFor(entry, { env: { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }) });
    await bypassed.userInfo();
    assert.equal(proxy.connects.length, 1, 'NO_PROXY: no CONNECT for the gateway');
  });
});
