import * as assert from 'node:assert/strict';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { callGateway } from './localGatewayHttp';
import { createSampleWorkspace, samplePassword, sampleReviewerToken, sampleToken, sampleUserEmail, type SampleWorkspace } from '../sample/sampleWorkspace';

// `npm start`'s sample against its local gateway: what a newcomer tries works end to end.

const REPO_KEY = 'github.com/acme/runbooks';
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('local gateway: the npm start sample', function () {
  this.timeout(30_000);
  let sample: SampleWorkspace;
  let gw: LocalGateway;

  const call = (method: string, path: string, body?: unknown, token = sampleToken) => callGateway(gw, method, path, { token, body });
  const exec = (connection: string, file: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/api/runbooks/exec', { connection_name: connection, repository: REPO_KEY, file_name: file, parameters: {}, ...extra });

  before(async () => {
    sample = createSampleWorkspace();
    gw = await startLocalGateway(sample.gatewayConfig({ execWaitMs: 2_000 }));
  });
  after(async () => {
    await gw?.close();
    sample?.cleanup();
  });

  it('keeps the connections the UI tests expect and adds the reviewed and Jira ones to the new runbooks only', async () => {
    const list = await call('GET', '/api/runbooks?list_connections=true');
    const items = new Map<string, string[]>(list.json.repositories[0].items.map((i: { name: string; connections: string[] }) => [i.name, i.connections]));
    assert.deepEqual(items.get('ops/restart-service.runbook.sh'), ['bash-local', 'bash-staging']);
    assert.deepEqual(items.get('k8s/pod-report.runbook.py'), ['python-local']);
    assert.deepEqual(items.get('billing/refund.runbook.sh'), ['prod-billing']);
    assert.deepEqual(items.get('ops/slow-report.runbook.sh'), ['bash-local', 'bash-staging', 'bash-reviewed', 'bash-jira']);
    assert.deepEqual(items.get('ops/print-secret.runbook.sh'), ['bash-local', 'bash-staging', 'bash-reviewed', 'bash-jira']);
  });

  it('slow-report outlives the default wait (answers 202), prints a line a second and exits 3', async () => {
    const runbooks = await call('GET', '/api/runbooks');
    const slow = runbooks.json.repositories[0].items.find((i: { name: string }) => i.name === 'ops/slow-report.runbook.sh');
    assert.ok(Number(slow.metadata.seconds.default) * 1000 > (sample.gatewayConfig().execWaitMs ?? 0), 'runs longer than npm start\'s exec wait');
    const answer = await exec('bash-local', 'ops/slow-report.runbook.sh', { parameters: { seconds: '4' } });
    assert.equal(answer.status, 202);
    const sid = answer.json.session_id;
    let session = await call('GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`);
    for (let i = 0; session.json.status !== 'done' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = await call('GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`);
    }
    assert.equal(session.json.exit_code, 3);
    assert.equal(session.json.event_stream[0], 'report line 1/4\nreport line 2/4\nreport line 3/4\nreport line 4/4\nreport incomplete: 2 checks failed\n');
  });

  it('print-secret prints DB_PASSWORD raw and base64 between other text', async () => {
    const answer = await exec('bash-local', 'ops/print-secret.runbook.sh', { env_vars: { 'envvar:DB_PASSWORD': b64('s3cr3t-Pa55') } });
    assert.equal(answer.status, 200);
    assert.equal(
      answer.json.output,
      `Connecting to orders with password [s3cr3t-Pa55] (raw)\nThe same password in base64: ${b64('s3cr3t-Pa55')} (end)\nConnected.\n`,
    );
  });

  it('bash-reviewed: review on the session page as the sample reviewer, then the developer executes', async () => {
    const gated = await exec('bash-reviewed', 'ops/print-secret.runbook.sh', { env_vars: { 'envvar:DB_PASSWORD': b64('pw') } });
    assert.equal(gated.json.has_review, true);
    const sid = gated.json.session_id;
    const page = await fetch(gated.json.output);
    assert.match(await page.text(), /Review as <strong>Rita Reviewer<\/strong>/);
    const approve = await fetch(`${gw.url}/sessions/${sid}/review`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ decision: 'approve' }) });
    assert.equal(approve.status, 303);
    const review = await call('GET', `/api/reviews/${sid}`, undefined, sampleReviewerToken);
    assert.equal(review.json.status, 'APPROVED');
    const run = await call('POST', `/api/sessions/${sid}/exec`);
    assert.equal(run.status, 200);
    assert.match(run.json.output, /password \[pw\]/);
  });

  it('bash-jira asks for its template\'s fields and opens an issue', async () => {
    const connection = (await call('GET', '/api/connections/bash-jira')).json;
    const template = await call('GET', `/api/integrations/jira/issuetemplates/${connection.jira_issue_template_id}`);
    assert.deepEqual(template.json.prompt_types.items.map((i: { field_type: string }) => i.field_type), ['text', 'select', 'datetime-local']);
    const refused = await exec('bash-jira', 'ops/slow-report.runbook.sh', { parameters: { seconds: '1' } });
    assert.deepEqual([refused.status, refused.json], [422, { message: 'unable to parse fields, missing required fields: ["customfield_10052" "customfield_10060"]' }]);
    const ok = await exec('bash-jira', 'ops/slow-report.runbook.sh', { parameters: { seconds: '1' }, jira_fields: { customfield_10052: 'monthly report', customfield_10060: 'low' } });
    assert.equal(ok.json.exit_code, 3);
    const session = await call('GET', `/api/sessions/${ok.json.session_id}`);
    assert.match(session.json.integrations_metadata.jira_issue_key, /^OPS-\d+$/);
  });

  it('signs in the sample user through the browser flow and with email and password', async () => {
    const info = await (await fetch(`${gw.url}/api/publicserverinfo`)).json();
    assert.deepEqual(info, { auth_method: 'oidc', setup_required: false });
    let url = ((await (await fetch(`${gw.url}/api/login`)).json()) as { login_url: string }).login_url;
    while (!url.startsWith('http://127.0.0.1:3587/')) {
      const res = await fetch(url, { redirect: 'manual' });
      url = new URL(res.headers.get('location') ?? '', url).toString();
    }
    const token = new URL(url).searchParams.get('token') ?? '';
    assert.equal((await call('GET', '/api/userinfo', undefined, token)).json.email, sampleUserEmail);
    const local = await fetch(`${gw.url}/api/localauth/login`, { method: 'POST', body: JSON.stringify({ email: sampleUserEmail, password: samplePassword }) });
    assert.equal(local.status, 200);
    assert.equal((await call('GET', '/api/userinfo', undefined, local.headers.get('token') ?? '')).json.email, sampleUserEmail);
  });
});
