import { strict as assert } from 'node:assert';
import { GatewayHttpError } from '../../src/core/errors';
import { GatewayClient, type ApiRoute } from '../../src/core/gatewayClient';
import { interpretExecResponse } from '../../src/core/runOutcome';
import { buildExecBody, type RunRequest } from '../../src/core/runRequest';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { helloRunRequest } from '../support/runRequests';

const requester = 'hpk_requester';
const admin = 'hpk_admin';

/** Following a run through its session: reviews, approved exec, output, kill (§1.5, §1.6), on the local gateway. */
describe('GatewayClient session calls against the local gateway', function () {
  this.timeout(20_000);
  let repo: RunbookRepo;
  let gateway: LocalGateway;

  before(async () => {
    repo = createRunbookRepo({
      files: {
        'ops/hello.runbook.sh': 'echo "hello {{ .name }}"\n',
        'ops/slow.runbook.sh': 'echo started\nsleep 30\necho never\n',
      },
    });
    gateway = await startLocalGateway({
      users: { [requester]: { email: 'ana@example.com', role: 'standard' }, [admin]: { email: 'root@example.com', role: 'admin' } },
      repositories: [{ gitUrl: repo.remoteUrl, path: repo.bareDir }],
      connections: [
        { name: 'bash-local', command: ['bash'] },
        { name: 'reviewed', command: ['bash'], review: true },
      ],
      execWaitMs: 500,
    });
  });
  after(async () => {
    await gateway.close();
    repo.cleanup();
  });

  const client = (token = requester) => new GatewayClient({ gatewayUrl: gateway.url, token });

  function request(route: ApiRoute, overrides: Partial<RunRequest> = {}): RunRequest {
    return helloRunRequest(route, { gatewayUrl: gateway.url, refHash: repo.head(), ...overrides });
  }

  async function approve(sessionId: string): Promise<void> {
    const response = await fetch(`${gateway.url}/api/reviews/${sessionId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'APPROVED' }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  it('sends correlation_id on V2 and leaves it out on the legacy route', async () => {
    await client().exec('v2', buildExecBody(request('v2', { correlationId: 'run-v2-1', sessionBatchId: 'batch-1' })));
    const sent = gateway.requests.filter((entry) => entry.method === 'POST').at(-1)!;
    assert.equal((sent.body as Record<string, unknown>).correlation_id, 'run-v2-1');
    assert.equal((sent.body as Record<string, unknown>).session_batch_id, 'batch-1');
    const session = [...gateway.sessions.values()].find((entry) => entry.correlationId === 'run-v2-1');
    assert.ok(session, 'the gateway recorded the correlation id on the session');

    await client().exec('legacy', buildExecBody(request('legacy', { correlationId: 'run-legacy-1' }))).catch(() => undefined);
    const legacy = gateway.requests.filter((entry) => entry.method === 'POST').at(-1)!;
    assert.match(legacy.path, /^\/api\/plugins\/runbooks\/connections\/bash-local\/exec$/);
    assert.equal('correlation_id' in (legacy.body as object), false);
  });

  it('follows a reviewed run: pending review, refused early exec, approval, one exec with output, then refused again', async () => {
    const result = await client().exec('v2', buildExecBody(request('v2', { connection: 'reviewed' })));
    const outcome = interpretExecResponse(result.status, result.body);
    assert.equal(outcome.kind, 'review');
    const sessionId = outcome.sessionId!;

    const pending = await client().getSession(sessionId);
    assert.equal(pending.status, 'open');
    assert.equal(pending.exit_code, null);
    assert.equal(pending.review?.status, 'PENDING');
    assert.equal(pending.review?.review_groups_data[0].group, 'admin');

    const early = await client().execReviewedSession(sessionId).catch((caught: unknown) => caught);
    assert.ok(early instanceof GatewayHttpError, String(early));
    assert.equal(early.status, 403);
    assert.match(early.message, /"review not approved or already executed"\. Nothing ran\. The review is not approved yet, or this approval was already used/);

    await approve(sessionId);
    assert.equal((await client().getSession(sessionId)).status, 'ready');

    const ran = await client().execReviewedSession(sessionId);
    const ranOutcome = interpretExecResponse(ran.status, ran.body, ran.text);
    assert.equal(ranOutcome.kind === 'succeeded' && ranOutcome.output, 'hello world\n');
    const done = await client().getSession(sessionId, { withOutput: true });
    assert.equal(done.status, 'done');
    assert.equal(done.exit_code, 0);
    assert.equal(done.output, 'hello world\n');

    const again = await client().execReviewedSession(sessionId).catch((caught: unknown) => caught);
    assert.ok(again instanceof GatewayHttpError);
    assert.equal(again.status, 403);
    assert.equal(gateway.requests.filter((entry) => entry.path === `/api/sessions/${sessionId}/exec`).length, 3);
  });

  it('stops a running session, and explains a kill the gateway refuses', async () => {
    const result = await client().exec('v2', buildExecBody(request('v2', { fileName: 'ops/slow.runbook.sh', parameters: {} })));
    const outcome = interpretExecResponse(result.status, result.body);
    assert.equal(outcome.kind, 'running');
    await client().killSession(outcome.sessionId!);
    let session = await client().getSession(outcome.sessionId!);
    for (let attempt = 0; attempt < 50 && session.status !== 'done'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      session = await client().getSession(outcome.sessionId!);
    }
    assert.equal(session.status, 'done');
    assert.notEqual(session.exit_code, 0);

    const unknown = await client().killSession('00000000-0000-0000-0000-000000000000').catch((caught: unknown) => caught);
    assert.ok(unknown instanceof GatewayHttpError);
    assert.equal(unknown.status, 404);
    assert.match(unknown.message, /^Could not stop the session: the gateway answered 404 "session not found"\. Only the user who started the run or an admin can stop it/);
  });
});
