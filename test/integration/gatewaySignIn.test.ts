import { strict as assert } from 'node:assert';
import { GatewayAnswerError, GatewayHttpError, GatewayUnreachableError } from '../../src/core/errors';
import { GatewayClient } from '../../src/core/gatewayClient';
import { scriptedServers, sendJson } from '../support/scriptedServer';

/** Sign-in calls and token rotation, against a scripted 127.0.0.1 server answering as hoop does (§4.1, §4.2). */
describe('GatewayClient sign-in calls', function () {
  this.timeout(10_000);
  const serve = scriptedServers();

  it('asks how to sign in, and for the OIDC or SAML login URL, without any Authorization', async () => {
    const server = await serve((request, res) => {
      if (request.path === '/api/publicserverinfo') return sendJson(res, 200, { auth_method: 'oidc', setup_required: false });
      if (request.path === '/api/login') return sendJson(res, 200, { login_url: 'https://idp.example/authorize?x=1' });
      if (request.path === '/api/saml/login') return sendJson(res, 200, { login_url: 'https://saml.example/sso' });
      sendJson(res, 404, { message: 'not found' });
    });
    const client = new GatewayClient({ gatewayUrl: server.url });
    assert.deepEqual(await client.publicServerInfo(), { auth_method: 'oidc', setup_required: false });
    assert.equal(await client.loginUrl('oidc'), 'https://idp.example/authorize?x=1');
    assert.equal(await client.loginUrl('saml'), 'https://saml.example/sso');
    assert.equal(server.requests.length, 3);
    assert.ok(server.requests.every((request) => request.headers.authorization === undefined && request.headers['api-key'] === undefined));
  });

  it("signs in locally: the token is the Token header; a wrong password or unknown user says so in hoop's words", async () => {
    const server = await serve((request, res) => {
      const { email, password } = JSON.parse(request.body) as { email: string; password: string };
      if (email !== 'ana@example.com') return sendJson(res, 404, { message: 'user not found' });
      if (password !== 'right') return sendJson(res, 401, { message: 'invalid credentials' });
      sendJson(res, 200, { status: 'ok' }, { token: 'jwt.local.token' });
    });
    const client = new GatewayClient({ gatewayUrl: server.url, token: 'stale-token' });
    assert.equal(await client.localLogin('ana@example.com', 'right'), 'jwt.local.token');
    assert.equal(server.requests[0].headers.authorization, undefined);
    assert.deepEqual(JSON.parse(server.requests[0].body), { email: 'ana@example.com', password: 'right' });

    const wrongPassword = await client.localLogin('ana@example.com', 'wrong').catch((caught: unknown) => caught);
    assert.ok(wrongPassword instanceof GatewayHttpError);
    assert.equal(wrongPassword.status, 401);
    assert.equal(wrongPassword.gatewayMessage, 'invalid credentials');
    assert.match(wrongPassword.message, /^Could not sign in: the gateway answered 401 "invalid credentials"\. Check the email and password/);
    assert.doesNotMatch(wrongPassword.message, /wrong/);
    const unknownUser = await client.localLogin('bob@example.com', 'right').catch((caught: unknown) => caught);
    assert.ok(unknownUser instanceof GatewayHttpError);
    assert.equal(unknownUser.gatewayMessage, 'user not found');
  });

  it('takes a rotated token from X-New-Access-Token on any answer and sends it from then on', async () => {
    const server = await serve((request, res) => {
      const rotate: Record<string, string> = request.headers.authorization === 'Bearer old' ? { 'x-new-access-token': 'new' } : {};
      sendJson(res, 200, { version: '1.148.0' }, rotate);
    });
    const rotated: string[] = [];
    const client = new GatewayClient({ gatewayUrl: server.url, token: 'old', onNewToken: (token) => rotated.push(token) });
    await client.serverInfo();
    await client.detectApiRoute();
    assert.deepEqual(rotated, ['new']);
    assert.deepEqual(
      server.requests.map((request) => request.headers.authorization),
      ['Bearer old', 'Bearer new'],
    );
  });

  it('fails route detection with a typed error on a proxy 502 or a timeout, never a guess', async () => {
    const server = await serve((request, res) => {
      if (request.headers['user-agent'] === 'stall') return; // never answers
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const badGateway = await new GatewayClient({ gatewayUrl: server.url, token: 't' }).detectApiRoute().catch((caught: unknown) => caught);
    assert.ok(badGateway instanceof GatewayHttpError, String(badGateway));
    assert.equal(badGateway.status, 502);
    assert.match(badGateway.message, /Could not read the gateway's version \(to choose its runbooks API\): the gateway answered 502/);
    const stalled = await new GatewayClient({ gatewayUrl: server.url, token: 't', userAgent: 'stall', requestTimeoutMs: 300 }).detectApiRoute().catch((caught: unknown) => caught);
    assert.ok(stalled instanceof GatewayUnreachableError, String(stalled));
    assert.equal(stalled.timedOut, true);
    assert.match(stalled.message, /did not answer in time to read the gateway's version/);
  });

  it('refuses a server information answer without a version, naming the route and the field', async () => {
    const server = await serve((_request, res) => sendJson(res, 200, { version: 143 }));
    const error = await new GatewayClient({ gatewayUrl: server.url, token: 't' }).detectApiRoute().catch((caught: unknown) => caught);
    assert.ok(error instanceof GatewayAnswerError, String(error));
    assert.match(error.message, /GET \/api\/serverinfo could not be understood: version is number 143, expected a string/);
  });
});
