import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { GatewayClient } from '../../src/core/gatewayClient';
import { applyExecOutcome, followUntilDone, locateSession, streamLiveOutput, watchReview } from '../../src/core/run/follow';
import { createOutputMasker } from '../../src/core/run/outputMasker';
import { Run } from '../../src/core/run/run';
import { interpretExecResponse } from '../../src/core/runOutcome';
import { buildExecBody, type RunRequest } from '../../src/core/runRequest';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { callGateway } from './localGatewayHttp';

const DEV = 'hpk_dev_follow';
const REVIEWER = 'hpk_reviewer_follow';

const runbooks = {
  'ops/ticks.runbook.sh': 'for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 0.4; done\necho "oops" >&2\nexit 3\n',
  'ops/quick.runbook.sh': 'echo "quick {{ .name | default "run" }}"\n',
  'ops/secret.runbook.sh': 'echo "before $DB_PASSWORD after"\nsleep 1\necho "done"\n',
};

/** The run lifecycle's core against the local gateway: found early, followed live, reviewed, to its end. */
describe('following a run to its end (core, local gateway)', function () {
  this.timeout(30_000);
  let repo: RunbookRepo;
  let gateway: LocalGateway;
  let client: GatewayClient;

  before(async () => {
    repo = createRunbookRepo({ files: runbooks });
    gateway = await startLocalGateway({
      users: {
        [DEV]: { email: 'dev@example.com', name: 'Dev One', role: 'standard', groups: ['dev'] },
        [REVIEWER]: { email: 'lead@example.com', name: 'Rita Reviewer', role: 'standard', groups: ['sre'] },
      },
      repositories: [{ gitUrl: repo.remoteUrl, path: repo.bareDir }],
      connections: [
        { name: 'bash', command: ['bash'] },
        { name: 'reviewed', command: ['bash'], review: true, reviewers: ['sre'] },
      ],
      execWaitMs: 1500,
      flushIntervalMs: 200,
    });
    client = new GatewayClient({ gatewayUrl: gateway.url, token: DEV });
  });
  after(async () => {
    await gateway?.close();
    repo?.cleanup();
  });

  function request(fileName: string, connection: string, extra: Partial<RunRequest> = {}): RunRequest {
    return {
      gatewayUrl: gateway.url,
      route: 'v2',
      connection,
      repository: 'github.com/acme/runbooks',
      fileName,
      refHash: repo.head(),
      parameters: {},
      parameterSpecs: [],
      envVars: [],
      clientArgs: [],
      metadata: {},
      correlationId: randomUUID(),
      ...extra,
    };
  }

  function newRun(name: string, connection: string): Run {
    return new Run({ id: randomUUID(), runbookName: name, connection, gatewayUrl: gateway.url, state: 'sending', message: '', startedAt: Date.now() });
  }

  it('finds the session while exec waits, shows output live, and follows a 202 to its exit code', async () => {
    const run = newRun('ticks', 'bash');
    const masker = createOutputMasker([]);
    const sent = request('ops/ticks.runbook.sh', 'bash');
    const exec = client.exec('v2', buildExecBody(sent), undefined);
    const sessionId = await locateSession(client, sent.correlationId!, exec, { signal: new AbortController().signal });
    assert.ok(sessionId, 'the session is found by its correlation id before exec answers');
    const live = new AbortController();
    void streamLiveOutput(client, run, sessionId, masker, live.signal);
    const answer = await exec;
    live.abort();
    assert.equal(answer.status, 202, 'the run outlived the exec wait');
    assert.match(run.output, /tick [1-3]\n/, 'output arrived live, before the exec answer (the stream has no catch-up)');

    const outcome = interpretExecResponse(answer.status, answer.body, answer.text);
    assert.equal(applyExecOutcome(run, outcome, masker), 'follow');
    assert.equal(run.state, 'running');
    await followUntilDone(client, run, sessionId, { signal: new AbortController().signal, masker, pollStartMs: 100, pollMaxMs: 200 });
    assert.equal(run.state, 'failed');
    assert.equal(run.data.exitCode, 3);
    assert.match(run.output, /tick 6/);
    assert.match(run.output, /oops/);
  });

  it('masks a secret in live and final output, even split across output events', async () => {
    const secret = 's3cr3t-Pa55';
    const run = newRun('secret', 'bash');
    const masker = createOutputMasker([secret]);
    const sent = request('ops/secret.runbook.sh', 'bash', { envVars: [{ kind: 'envvar', name: 'DB_PASSWORD', value: secret }] });
    const answer = await client.exec('v2', buildExecBody(sent));
    const next = applyExecOutcome(run, interpretExecResponse(answer.status, answer.body, answer.text), masker);
    if (next === 'follow') {
      await followUntilDone(client, run, run.data.sessionId!, { signal: new AbortController().signal, masker, pollStartMs: 100 });
    }
    assert.equal(run.state, 'done');
    assert.match(run.output, /before .* after/);
    assert.ok(!run.output.includes(secret), 'the secret never reaches the run');
  });

  it('review: waits, sees the approval and who gave it, then Execute Now runs the reviewed session', async () => {
    const run = newRun('quick', 'reviewed');
    const masker = createOutputMasker([]);
    const answer = await client.exec('v2', buildExecBody(request('ops/quick.runbook.sh', 'reviewed', { parameters: { name: 'reviewed' } })));
    assert.equal(applyExecOutcome(run, interpretExecResponse(answer.status, answer.body, answer.text), masker), 'review');
    assert.equal(run.state, 'waitingForReview');
    const sessionId = run.data.sessionId!;
    const watching = watchReview(client, run, sessionId, { signal: new AbortController().signal, masker, reviewFastMs: 100 });
    const decided = await callGateway(gateway, 'PUT', `/api/reviews/${sessionId}`, { token: REVIEWER, body: { status: 'APPROVED' } });
    assert.equal(decided.status, 200, decided.text);
    assert.equal(await watching, 'approved');
    assert.equal(run.state, 'approved');
    assert.equal(run.data.reviewedBy, 'Rita Reviewer');

    const executed = await client.execReviewedSession(sessionId);
    const next = applyExecOutcome(run, interpretExecResponse(executed.status, executed.body, executed.text), masker);
    if (next === 'follow') {
      await followUntilDone(client, run, sessionId, { signal: new AbortController().signal, masker, pollStartMs: 100 });
    }
    assert.equal(run.state, 'done');
    assert.equal(run.data.exitCode, 0);
    assert.match(run.output, /quick reviewed/);
  });

  it('review: a rejection ends the run with the reviewer and the reason', async () => {
    const run = newRun('quick', 'reviewed');
    const masker = createOutputMasker([]);
    const answer = await client.exec('v2', buildExecBody(request('ops/quick.runbook.sh', 'reviewed')));
    applyExecOutcome(run, interpretExecResponse(answer.status, answer.body, answer.text), masker);
    const watching = watchReview(client, run, run.data.sessionId!, { signal: new AbortController().signal, masker, reviewFastMs: 100 });
    await callGateway(gateway, 'PUT', `/api/reviews/${run.data.sessionId}`, { token: REVIEWER, body: { status: 'REJECTED', rejection_reason: 'not during the freeze' } });
    assert.equal(await watching, 'rejected');
    assert.equal(run.state, 'rejected');
    assert.match(run.data.message, /rejected by Rita Reviewer: not during the freeze\. Nothing ran\./);
  });
});
