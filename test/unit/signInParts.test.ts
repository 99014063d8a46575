import { strict as assert } from 'node:assert';
import { GatewayUnreachableError } from '../../src/core/errors';
import { explainCertificateError, GatewayCertificateError } from '../../src/core/auth/authErrors';
import { parseGatewayList, pickActiveGateway, plainHttpWarning } from '../../src/core/auth/gatewayList';
import { parseLoginCallback } from '../../src/core/auth/loginCallback';
import { describeNetwork, planNetwork } from '../../src/core/auth/network';
import { signInChoices } from '../../src/core/auth/signIn';
import { chooseToken, tokenCandidatesFor } from '../../src/core/auth/tokenChoice';

describe('which token a gateway request uses', () => {
  const cli = { token: 'cli', modifiedAt: 2_000, source: '/h/.hoop/config.toml' };
  const environment = { token: 'env', source: 'HOOP_*' };

  it('a stored token wins over an older hoop login, a newer hoop login wins over the stored token', () => {
    assert.equal(chooseToken({ stored: { token: 'stored', storedAt: 3_000 }, cliConfig: cli, environment })?.kind, 'stored');
    const newer = chooseToken({ stored: { token: 'stored', storedAt: 1_000 }, cliConfig: cli, environment });
    assert.equal(newer?.token, 'cli');
    assert.match(newer?.description ?? '', /newer than the token stored/);
  });

  it('without a stored token: the CLI file, then the environment; never the token text in the description', () => {
    assert.equal(chooseToken({ cliConfig: cli, environment })?.token, 'cli');
    const fromEnvironment = chooseToken({ environment });
    assert.equal(fromEnvironment?.token, 'env');
    assert.ok(!fromEnvironment?.description.includes('env '));
    assert.equal(chooseToken({}), undefined);
  });

  it('after signing out here, only a hoop login written later counts', () => {
    assert.equal(chooseToken({ signedOutAt: 5_000, cliConfig: cli, environment }), undefined);
    assert.equal(chooseToken({ signedOutAt: 1_000, cliConfig: cli, environment })?.token, 'cli');
  });

  it('a stored token from before timestamps were kept is not overridden', () => {
    assert.equal(chooseToken({ stored: { token: 'stored' }, cliConfig: cli })?.token, 'stored');
  });

  it('CLI logins for another gateway are never candidates', () => {
    const candidates = tokenCandidatesFor(
      'https://prod.example',
      {},
      { file: { apiUrl: 'https://staging.example', token: 'x', skipTlsVerify: false, source: 'f', modifiedAt: 1 }, environment: { apiUrl: 'https://prod.example', token: 'e', skipTlsVerify: false, source: 's' } },
    );
    assert.deepEqual(candidates, { environment: { token: 'e', source: 's' } });
  });
});

describe('the gateway list', () => {
  it('reads hoop.gateways, normalising URLs and keeping caFile/skipTlsVerify', () => {
    const { gateways, problems } = parseGatewayList(
      [
        { name: 'prod', url: 'https://hoop.example.com/', caFile: '/etc/ca.pem' },
        { name: 'lab', url: 'http://127.0.0.1:8009', skipTlsVerify: true },
      ],
      'https://use.hoop.dev',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(gateways, [
      { name: 'prod', url: 'https://hoop.example.com', caFile: '/etc/ca.pem' },
      { name: 'lab', url: 'http://127.0.0.1:8009', skipTlsVerify: true },
    ]);
  });

  it('leaves out broken entries and says why; falls back to the hoop.gatewayUrl shorthand', () => {
    const { gateways, problems } = parseGatewayList([{ name: 'a', url: 'ftp://x' }, { url: 'https://x' }, 'prod', { name: 'b', url: 'https://b', skipTlsVerify: 'yes' }], 'https://gw.example.com/');
    assert.equal(problems.length, 4);
    assert.match(problems[0], /^hoop\.gateways\[0\]: .*http/);
    assert.deepEqual(gateways, [{ name: 'gw.example.com', url: 'https://gw.example.com' }]);
  });

  it('rejects a duplicate name, since tokens and history name the gateway', () => {
    const { gateways, problems } = parseGatewayList([{ name: 'prod', url: 'https://a' }, { name: 'prod', url: 'https://b' }], 'https://x');
    assert.equal(gateways.length, 1);
    assert.match(problems[0], /used twice/);
  });

  it('the remembered active gateway if still configured, else the first', () => {
    const { gateways } = parseGatewayList([{ name: 'prod', url: 'https://a' }, { name: 'lab', url: 'https://b' }], 'https://x');
    assert.equal(pickActiveGateway(gateways, 'lab').name, 'lab');
    assert.equal(pickActiveGateway(gateways, 'gone').name, 'prod');
  });

  it('warns about plain http to anything but this machine', () => {
    assert.match(plainHttpWarning({ name: 'corp', url: 'http://hoop.corp.example' }) ?? '', /unencrypted to hoop\.corp\.example/);
    assert.equal(plainHttpWarning({ name: 'local', url: 'http://127.0.0.1:8009' }), undefined);
    assert.equal(plainHttpWarning({ name: 'local', url: 'http://localhost:8009' }), undefined);
    assert.equal(plainHttpWarning({ name: 'prod', url: 'https://hoop.corp.example' }), undefined);
  });
});

describe('the browser sign-in callback', () => {
  it('takes token or error from /callback, ignores other paths', () => {
    assert.deepEqual(parseLoginCallback('/callback?token=abc.def'), { token: 'abc.def' });
    assert.deepEqual(parseLoginCallback('/callback?error=unexpected_error'), { error: 'unexpected_error' });
    assert.deepEqual(parseLoginCallback('/callback'), { error: 'the gateway sent no token' });
    assert.equal(parseLoginCallback('/favicon.ico'), undefined);
  });
});

describe('sign-in choices', () => {
  it("offers the gateway's own method first, then an API key, then the CLI's login when found", () => {
    assert.deepEqual(signInChoices('oidc', undefined).map((choice) => choice.method), ['browser', 'apiKey']);
    assert.deepEqual(signInChoices('saml', undefined)[0].label, 'Sign in with your browser (SAML)');
    const cliLogin = { apiUrl: 'https://a', token: 't', skipTlsVerify: false, source: '/h/.hoop/config.toml' };
    assert.deepEqual(signInChoices('local', cliLogin).map((choice) => choice.method), ['password', 'apiKey', 'cliLogin']);
  });
});

describe('the network plan', () => {
  it('VS Code http.proxy wins over HTTPS_PROXY; http.noProxy over NO_PROXY; the proxy password is never described', () => {
    const plan = planNetwork({ proxyUrl: 'http://user:secret@proxy:3128', noProxy: ['internal.example'], env: { HTTPS_PROXY: 'http://other:1', NO_PROXY: 'x' } });
    assert.deepEqual(plan.proxy, { httpProxy: 'http://user:secret@proxy:3128', httpsProxy: 'http://user:secret@proxy:3128', noProxy: 'internal.example', proxyRejectUnauthorized: true });
    assert.doesNotMatch(describeNetwork(plan), /secret/);
  });

  it('the environment when VS Code has no proxy; none at all without either', () => {
    assert.deepEqual(planNetwork({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost' }, proxyStrictSSL: false }).proxy, { httpProxy: undefined, httpsProxy: 'http://p:1', noProxy: 'localhost', proxyRejectUnauthorized: false });
    assert.deepEqual(planNetwork({ env: {} }), { tls: { rejectUnauthorized: true } });
  });

  it('skips verification only when asked, and says so', () => {
    const plan = planNetwork({ env: {}, skipTlsVerify: true, ca: ['pem'] });
    assert.deepEqual(plan.tls, { ca: ['pem'], rejectUnauthorized: false });
    assert.match(describeNetwork(plan), /TLS verification SKIPPED/);
  });
});

describe('certificate errors', () => {
  it('name the problem and the setting that fixes it', () => {
    const unreachable = new GatewayUnreachableError('Could not reach the gateway (SELF_SIGNED_CERT_IN_CHAIN).', 'https://gw', 'network SELF_SIGNED_CERT_IN_CHAIN');
    const explained = explainCertificateError(unreachable, 'prod');
    assert.ok(explained instanceof GatewayCertificateError);
    assert.match(explained.message, /signed by a CA this computer does not trust.*"caFile".*"hoop\.gateways"/);
    const refused = new GatewayUnreachableError('refused', 'https://gw', 'network ECONNREFUSED');
    assert.equal(explainCertificateError(refused, 'prod'), refused);
  });
});
