import { strict as assert } from 'node:assert';
import { CancelledError, GatewayHttpError, GatewayUnreachableError } from '../../src/core/errors';
import { GatewayClient, type ApiRoute } from '../../src/core/gatewayClient';
import { interpretExecResponse } from '../../src/core/runOutcome';
import { buildExecBody, type RunRequest } from '../../src/core/runRequest';
import { startLocalGateway, type LocalGateway, type LocalGatewayConfig } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { helloRunRequest } from '../support/runRequests';

const token = 'hpk_test_standard_user';
const runbooks = {
  'ops/hello.runbook.sh': 'echo "hello {{ .name | required "name is required" }}"\n',
  'ops/fail.runbook.sh': 'echo "about to fail" >&2\nexit {{ .code | default "3" }}\n',
  'ops/secret.runbook.sh': 'echo "user=$DB_USER"\necho "file=$(cat "$KUBECONFIG")"\n',
  'ops/slow.runbook.sh': 'sleep 2\necho done\n',
};

describe('GatewayClient against the local gateway', function () {
  this.timeout(20_000);
  let repo: RunbookRepo;
  let gateway: LocalGateway | undefined;

  before(() => {
    repo = createRunbookRepo({ files: runbooks });
  });
  after(() => repo.cleanup());
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function start(overrides: Partial<LocalGatewayConfig> = {}): Promise<GatewayClient> {
    gateway = await startLocalGateway({
      users: { [token]: { email: 'ana@example.com', role: 'standard' }, hpk_auditor: { email: 'aud@example.com', role: 'auditor' } },
      repositories: [{ gitUrl: repo.remoteUrl, path: repo.bareDir }],
      connections: [
        { name: 'bash-local', subtype: 'custom', command: ['bash'] },
        { name: 'reviewed', command: ['bash'], review: true },
        { name: 'offline', command: ['bash'], status: 'offline' },
        { name: 'ai-block', command: ['bash'], aiAnalysis: 'block' },
        { name: 'ai-review', command: ['bash'], aiAnalysis: 'review' },
        { name: 'needs-ticket', command: ['bash'], mandatoryMetadataFields: ['ticket'] },
      ],
      execWaitMs: 500,
      ...overrides,
    });
    return new GatewayClient({ gatewayUrl: gateway.url, token: overrides.users ? Object.keys(overrides.users)[0] : token });
  }

  function request(route: ApiRoute, overrides: Partial<RunRequest>): RunRequest {
    return helloRunRequest(route, { gatewayUrl: gateway?.url ?? '', refHash: repo.head(), ...overrides });
  }

  async function run(client: GatewayClient, route: ApiRoute, overrides: Partial<RunRequest> = {}) {
    const result = await client.exec(route, buildExecBody(request(route, overrides)));
    return interpretExecResponse(result.status, result.body);
  }

  it("picks the API from the gateway's version: legacy before 1.43.1, V2 from it, V2 with a note when unparsable", async () => {
    assert.deepEqual(await (await start()).detectApiRoute(), { route: 'v2', version: '1.148.0' });
    await gateway!.close();
    assert.deepEqual(await (await start({ api: 'legacy', version: '1.43.0' })).detectApiRoute(), { route: 'legacy', version: '1.43.0' });
    await gateway!.close();
    assert.equal((await (await start({ version: '1.43.1' })).detectApiRoute()).route, 'v2');
    await gateway!.close();
    const dev = await (await start({ version: 'dev-build' })).detectApiRoute();
    assert.equal(dev.route, 'v2');
    assert.match(dev.note ?? '', /"dev-build", which is not a release number/);
    assert.ok(gateway!.requests.every((entry) => entry.path === '/api/serverinfo'));
  });

  it('reads the signed-in user and the server information, typed', async () => {
    const client = await start();
    const user = await client.userInfo();
    assert.equal(user.email, 'ana@example.com');
    assert.equal(user.role, 'standard');
    assert.ok(Array.isArray(user.groups));
    const server = await client.serverInfo();
    assert.equal(server.version, '1.148.0');
    assert.equal(server.api_url, gateway!.url);
  });

  it('runs a runbook on V2: real output and exit 0, with the body hoop expects', async () => {
    const client = await start();
    const outcome = await run(client, 'v2');
    assert.equal(outcome.kind, 'succeeded');
    assert.equal(outcome.kind === 'succeeded' && outcome.output, 'hello world\n');
    const sent = gateway!.requests.find((entry) => entry.path === '/api/runbooks/exec');
    assert.deepEqual(Object.keys(sent!.body as object).sort(), ['client_args', 'connection_name', 'env_vars', 'file_name', 'metadata', 'parameters', 'ref_hash', 'repository']);
    assert.equal(sent!.headers.authorization, 'Bearer');
  });

  it('runs a runbook on the legacy route', async () => {
    const client = await start({ api: 'legacy' });
    const outcome = await run(client, 'legacy');
    assert.equal(outcome.kind === 'succeeded' && outcome.output, 'hello world\n');
    assert.ok(gateway!.requests.some((entry) => entry.path === '/api/plugins/runbooks/connections/bash-local/exec'));
  });

  it('reports a non-zero exit as a failure with the real exit code and stderr', async () => {
    const client = await start();
    const outcome = await run(client, 'v2', { fileName: 'ops/fail.runbook.sh', parameters: { code: '7' } });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.exitCode, 7);
    assert.match(outcome.kind === 'failed' ? outcome.output : '', /about to fail/);
  });

  it('delivers envvar: and filesystem: secrets to the runbook', async () => {
    const client = await start();
    const outcome = await run(client, 'v2', {
      fileName: 'ops/secret.runbook.sh',
      parameters: {},
      envVars: [
        { name: 'DB_USER', kind: 'envvar', value: 'ana' },
        { name: 'KUBECONFIG', kind: 'filesystem', value: 'kind: Config' },
      ],
    });
    assert.equal(outcome.kind === 'succeeded' && outcome.output, 'user=ana\nfile=kind: Config\n');
  });

  it('answers each of the other result shapes', async () => {
    const client = await start();
    assert.equal((await run(client, 'v2', { connection: 'reviewed' })).kind, 'review');
    assert.equal((await run(client, 'v2', { connection: 'offline' })).kind, 'gatewayFailed');
    assert.equal((await run(client, 'v2', { connection: 'ai-block' })).kind, 'blocked');
    assert.equal((await run(client, 'v2', { connection: 'ai-review' })).kind, 'aiReview');
    const running = await run(client, 'v2', { fileName: 'ops/slow.runbook.sh', parameters: {} });
    assert.equal(running.kind, 'running');
    assert.ok(running.sessionId);
  });

  it('turns every gateway error into a typed error with the status, hoop message and next step', async () => {
    const client = await start();
    const failure = async (overrides: Partial<RunRequest>, api: GatewayClient = client): Promise<GatewayHttpError> => {
      const error = await api.exec('v2', buildExecBody(request('v2', overrides))).then(
        () => assert.fail('exec should fail'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof GatewayHttpError, String(error));
      return error;
    };
    const missing = await failure({ parameters: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.gatewayMessage, 'the following inputs are missing [name]');
    assert.match(missing.message, /Nothing ran\./);
    assert.equal((await failure({ connection: 'nope' })).gatewayMessage, 'connection not found');
    assert.equal((await failure({ fileName: 'ops/missing.runbook.sh' })).status, 404);
    assert.equal((await failure({ repository: 'github.com/acme/unknown' })).gatewayMessage, 'runbook repository config github.com/acme/unknown not found');
    const metadata = await failure({ connection: 'needs-ticket' });
    assert.equal(metadata.status, 422);
    assert.match(metadata.message, /"ticket"/);
    const unauthorized = await failure({}, new GatewayClient({ gatewayUrl: gateway!.url, token: 'hpk_wrong' }));
    assert.equal(unauthorized.status, 401);
    assert.match(unauthorized.message, /Hoop: Sign In/);
    const auditor = await failure({}, new GatewayClient({ gatewayUrl: gateway!.url, token: 'hpk_auditor' }));
    assert.equal(auditor.status, 403);
  });

  it('lists connections and runbooks with their parameter metadata', async () => {
    const client = await start();
    const connections = await client.listConnections();
    assert.ok(connections.some((connection) => connection.name === 'bash-local' && connection.access_mode_runbooks === 'enabled'));
    const listing = await client.listRunbooks('v2');
    const hello = listing.repositories?.[0].items?.find((item) => item.name === 'ops/hello.runbook.sh');
    assert.deepEqual(hello?.metadata, { name: { description: '', required: true, type: 'text' } });
  });

  it("reports a failed listing with the gateway's status and message", async () => {
    const client = await start({ faults: { 'GET /api/connections': { status: 500, message: 'failed listing connections' } } });
    const error = await client.listConnections().catch((caught: unknown) => caught);
    assert.ok(error instanceof GatewayHttpError);
    assert.equal(error.status, 500);
    assert.match(error.message, /^Could not list connections: the gateway answered 500 "failed listing connections"\. The gateway failed on its side/);
  });

  it('says nothing was sent when the gateway is unreachable', async () => {
    await start();
    const url = gateway!.url;
    await gateway!.close();
    gateway = undefined;
    const error = await new GatewayClient({ gatewayUrl: url, token }).exec('v2', buildExecBody(request('v2', {}))).catch((caught: unknown) => caught);
    assert.ok(error instanceof GatewayUnreachableError);
    assert.match(error.message, /Nothing was sent, so nothing ran\./);
  });

  it('stops waiting when cancelled, and says the run may still happen', async () => {
    const client = await start({ execWaitMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await client.exec('v2', buildExecBody(request('v2', { fileName: 'ops/slow.runbook.sh', parameters: {} })), controller.signal).catch((caught: unknown) => caught);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.silent, false);
    assert.match(error.message, /The run may still happen/);
  });
});
