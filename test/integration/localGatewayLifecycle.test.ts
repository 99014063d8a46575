import * as assert from 'node:assert/strict';
import { startLocalGateway, type LocalGateway, type LocalGatewayConfig } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { callGateway, type GatewayAnswer } from './localGatewayHttp';

// A run's life after the exec answer (§1.5–1.9): finding the session early, live output, stored
// output, kill, reviews (API and the session page), Jira issue templates.

const REPO_KEY = 'github.com/acme/runbooks';
const ADMIN = 'admin-token';
const DEV = 'dev-token';
const OTHER = 'other-token';
const REVIEWER = 'reviewer-token';

const RUNBOOKS: Record<string, string> = {
  'ops/ticks.runbook.sh': [
    'for i in $(seq 1 {{ .count | default "3" }}); do echo "tick $i"; sleep {{ .pause | default "0.3" }}; done',
    'echo "oops" >&2',
    'exit 3',
    '',
  ].join('\n'),
  'ops/family.runbook.sh': 'echo "parent=$$"\nsleep 300 &\necho "child=$!"\nwait\n',
  'ops/quick.runbook.sh': 'echo "quick {{ .name | default "run" }}"\n',
};

type Answer = GatewayAnswer;

/** As ADMIN unless `token` says otherwise ('' = no credentials, as a browser on the session page). */
function call(gw: LocalGateway, method: string, path: string, opts: { token?: string; body?: unknown; form?: Record<string, string> } = {}): Promise<Answer> {
  return callGateway(gw, method, path, { ...opts, token: opts.token === '' ? null : (opts.token ?? ADMIN) });
}

function exec(gw: LocalGateway, body: Record<string, unknown>, token = DEV): Promise<Answer> {
  return call(gw, 'POST', '/api/runbooks/exec', { token, body: { connection_name: 'bash', repository: REPO_KEY, ...body } });
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The session id of a run that is still waiting for its exec answer, found by its correlation_id. */
async function sessionIdFor(gw: LocalGateway, correlationId: string, token = DEV): Promise<string> {
  return eventually(`session ${correlationId}`, async () => {
    const list = await call(gw, 'GET', `/api/sessions?correlation_id=${correlationId}&limit=1`, { token });
    return list.json.data[0]?.id as string | undefined;
  });
}

async function waitForDone(gw: LocalGateway, sid: string): Promise<Answer> {
  return eventually(`session ${sid} done`, async () => {
    const answer = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`);
    return answer.json.status === 'done' ? answer : undefined;
  });
}

interface SseMessage {
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an SSE response into messages as they arrive. */
function readSse(res: Response): { messages: SseMessage[]; ended: Promise<void> } {
  const messages: SseMessage[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: SseMessage = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(': ')) message.comment = line.slice(2);
          else if (line.startsWith('event: ')) message.event = line.slice(7);
          else if (line.startsWith('data: ')) message.data = line.slice(6);
        }
        messages.push(message);
      }
    }
  })();
  return { messages, ended };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('local gateway: following a run (§1.5–1.9)', function () {
  this.timeout(30_000);
  let repo: RunbookRepo;
  const gateways: LocalGateway[] = [];

  const config = (extra: Partial<LocalGatewayConfig> = {}): LocalGatewayConfig => ({
    users: {
      [ADMIN]: { email: 'admin@example.com', role: 'admin' },
      [DEV]: { email: 'dev@example.com', name: 'Dev One', role: 'standard', groups: ['dev'] },
      [OTHER]: { email: 'other@example.com', role: 'standard', groups: ['dev'] },
      [REVIEWER]: { email: 'lead@example.com', name: 'Rita Reviewer', role: 'standard', groups: ['sre'] },
    },
    repositories: [{ gitUrl: repo.remoteUrl, path: repo.bareDir }],
    connections: [
      { name: 'bash', command: ['bash'] },
      { name: 'bash-2', command: ['bash'] },
      { name: 'reviewed', command: ['bash'], review: true, reviewers: ['sre'] },
      { name: 'jira-ops', command: ['bash'], jiraIssueTemplateId: 'ops-change' },
    ],
    jiraIssueTemplates: [
      {
        id: 'ops-change',
        name: 'Ops change',
        projectKey: 'OPS',
        requestTypeId: '10',
        promptFields: [
          { jiraField: 'customfield_10052', label: 'Change reason', required: true },
          { jiraField: 'customfield_10060', label: 'Risk', fieldType: 'select', options: ['low', 'high'], required: true },
          { jiraField: 'customfield_10070', label: 'Window', fieldType: 'datetime-local' },
        ],
      },
    ],
    pageReviewer: REVIEWER,
    execWaitMs: 10_000,
    ...extra,
  });
  const start = async (extra: Partial<LocalGatewayConfig> = {}) => {
    const gw = await startLocalGateway(config(extra));
    gateways.push(gw);
    return gw;
  };

  before(() => {
    repo = createRunbookRepo({ files: RUNBOOKS });
  });
  after(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
    repo?.cleanup();
  });

  describe('GET /api/sessions', () => {
    it('finds a run by correlation_id while its exec request still waits', async () => {
      const gw = await start();
      const pending = exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '5' }, correlation_id: 'task-early-1' });
      const sid = await sessionIdFor(gw, 'task-early-1');
      const list = await call(gw, 'GET', '/api/sessions?correlation_id=task-early-1&limit=1', { token: DEV });
      assert.equal(list.status, 200);
      assert.deepEqual(Object.keys(list.json), ['data', 'total', 'has_next_page']);
      assert.equal(list.json.total, 1);
      assert.equal(list.json.has_next_page, false);
      const [item] = list.json.data;
      assert.equal(item.status, 'open');
      assert.equal(item.correlation_id, 'task-early-1');
      assert.equal(item.exit_code, null);
      assert.equal(item.event_stream, undefined);
      const answer = await pending;
      assert.equal(answer.json.session_id, sid);
      assert.equal(answer.json.exit_code, 3);
    });

    it('filters by batch_id and connection, pages newest first, and shows users only their own sessions', async () => {
      const gw = await start();
      for (const connection of ['bash', 'bash-2', 'bash']) {
        await exec(gw, { connection_name: connection, file_name: 'ops/quick.runbook.sh', parameters: {}, session_batch_id: 'batch-1' });
      }
      await exec(gw, { file_name: 'ops/quick.runbook.sh', parameters: {} }, OTHER);
      const batch = await call(gw, 'GET', '/api/sessions?batch_id=batch-1', { token: ADMIN });
      assert.equal(batch.json.total, 3);
      assert.ok(batch.json.data.every((s: { session_batch_id: string }) => s.session_batch_id === 'batch-1'));
      const starts = batch.json.data.map((s: { start_date: string }) => s.start_date);
      assert.deepEqual(starts, [...starts].sort().reverse(), 'newest first');
      const onBash = await call(gw, 'GET', '/api/sessions?batch_id=batch-1&connection=bash', { token: ADMIN });
      assert.equal(onBash.json.total, 2);
      const page = await call(gw, 'GET', '/api/sessions?limit=2&offset=1', { token: ADMIN });
      assert.deepEqual([page.json.total, page.json.data.length, page.json.has_next_page], [4, 2, true]);
      const mine = await call(gw, 'GET', '/api/sessions', { token: OTHER });
      assert.deepEqual(mine.json.data.map((s: { user: string }) => s.user), ['other@example.com']);
      const peek = await call(gw, 'GET', '/api/sessions?user=dev@example.com', { token: OTHER });
      assert.deepEqual(peek.json.data.map((s: { user: string }) => s.user), ['other@example.com'], 'only admins may filter by user');
      const asAdmin = await call(gw, 'GET', '/api/sessions?user=dev@example.com', { token: ADMIN });
      assert.equal(asAdmin.json.total, 3);
    });

    it('422 for bad limit, offset and dates', async () => {
      const gw = await start();
      const cases: [string, string][] = [
        ['limit=abc', 'failed listing sessions, invalid "limit" option: "abc" is not a number'],
        ['limit=0', 'failed listing sessions, invalid "limit" option: must be at least 1, got 0'],
        ['offset=-1', 'failed listing sessions, invalid "offset" option: must not be negative, got -1'],
        ['start_date=yesterday', 'failed listing sessions, invalid "start_date" option: start_date or end_date in wrong format'],
      ];
      for (const [query, text] of cases) {
        const answer = await call(gw, 'GET', `/api/sessions?${query}`);
        assert.deepEqual([answer.status, answer.json], [422, { message: text }], query);
      }
    });
  });

  describe('live and stored output', () => {
    it('SSE: connected, then only new events as they happen, then session_end', async () => {
      const gw = await start({ execWaitMs: 200 });
      const first = await exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '6', pause: '0.4' } });
      assert.equal(first.status, 202);
      const sid = first.json.session_id;
      await eventually('first tick', async () => (gw.sessions.get(sid)?.status === 'open' ? true : undefined));
      const res = await fetch(`${gw.url}/api/sessions/${sid}/stream`, { headers: { authorization: `Bearer ${DEV}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      const { messages, ended } = readSse(res);
      await ended;
      assert.deepEqual(messages[0], { comment: 'connected' });
      assert.deepEqual(messages[messages.length - 1], { event: 'session_end', data: '{}' });
      const events = messages.filter((m) => m.event === 'event').map((m) => JSON.parse(m.data ?? '') as { time: string; type: string; payload: string });
      assert.ok(events.length > 0);
      for (const event of events) {
        assert.deepEqual(Object.keys(event), ['time', 'type', 'payload']);
        assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      }
      const streamed = events.map((e) => Buffer.from(e.payload, 'base64').toString()).join('');
      assert.ok(!streamed.includes('tick 1\n'), 'no catch-up of what happened before subscribing');
      assert.match(streamed, /tick 6\n/);
      assert.deepEqual(events.filter((e) => e.type === 'e').map((e) => Buffer.from(e.payload, 'base64').toString()), ['oops\n']);
      const done = await waitForDone(gw, sid);
      assert.ok(done.json.event_stream[0].endsWith(streamed), 'the stored output ends with what was streamed');
    });

    it('SSE: session_end at once for a finished session; keepalive comments; 404 and 403', async () => {
      const gw = await start({ execWaitMs: 100, sseKeepaliveMs: 100 });
      const finished = await exec(gw, { file_name: 'ops/quick.runbook.sh', parameters: {} });
      const done = await call(gw, 'GET', `/api/sessions/${finished.json.session_id}/stream`, { token: DEV });
      assert.equal(done.text, 'event: session_end\ndata: {}\n\n');
      const slow = await exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '2', pause: '0.5' } });
      const res = await fetch(`${gw.url}/api/sessions/${slow.json.session_id}/stream`, { headers: { authorization: `Bearer ${DEV}` } });
      const { messages, ended } = readSse(res);
      await ended;
      assert.ok(messages.some((m) => m.comment === 'keepalive'));
      const missing = await call(gw, 'GET', '/api/sessions/nope/stream');
      assert.deepEqual([missing.status, missing.json], [404, { message: 'session not found' }]);
      const foreign = await call(gw, 'GET', `/api/sessions/${slow.json.session_id}/stream`, { token: OTHER });
      assert.deepEqual([foreign.status, foreign.json], [403, { message: 'user is not allowed to access this session' }]);
    });

    it('partial output is stored every flushIntervalMs while the run goes on', async () => {
      const gw = await start({ execWaitMs: 100, flushIntervalMs: 200 });
      const answer = await exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '8', pause: '0.3' } });
      const sid = answer.json.session_id;
      const partial = await eventually('partial output', async () => {
        const s = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`, { token: DEV });
        return s.json.event_stream[0].includes('tick 1') ? s : undefined;
      });
      assert.equal(partial.json.status, 'open');
      assert.ok(!partial.json.event_stream[0].includes('tick 8'));
      const text = await call(gw, 'GET', `/api/sessions/${sid}/result/stream`, { token: DEV });
      assert.match(text.text, /^tick 1\n/);
      const page = await call(gw, 'GET', `/sessions/${sid}`, { token: '' });
      assert.match(page.text, /<pre id="output">tick 1\n/);
      assert.match(page.text, /<meta http-equiv="refresh" content="2">/, 'the page follows a running session');
      await waitForDone(gw, sid);
    });

    it('nothing is stored before the first flush: hoop\'s 50 s default', async () => {
      const gw = await start({ execWaitMs: 100 });
      const answer = await exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '3', pause: '0.3' } });
      const sid = answer.json.session_id;
      await new Promise((r) => setTimeout(r, 500));
      const running = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`, { token: DEV });
      assert.deepEqual([running.json.status, running.json.event_stream], ['open', ['']]);
      const done = await waitForDone(gw, sid);
      assert.deepEqual(done.json.event_stream, ['tick 1\ntick 2\ntick 3\noops\n']);
    });

    it('result/stream: text/plain, events, newline and event-time; owner, admin or auditor only', async () => {
      const gw = await start();
      const answer = await exec(gw, { file_name: 'ops/ticks.runbook.sh', parameters: { count: '2', pause: '0' } });
      const sid = answer.json.session_id;
      const plain = await call(gw, 'GET', `/api/sessions/${sid}/result/stream`, { token: DEV });
      assert.equal(plain.status, 200);
      assert.match(plain.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(plain.text, 'tick 1\ntick 2\noops\n');
      const errors = await call(gw, 'GET', `/api/sessions/${sid}/result/stream?events=e`, { token: ADMIN });
      assert.equal(errors.text, 'oops\n');
      const timed = await call(gw, 'GET', `/api/sessions/${sid}/result/stream?events=e&newline=1&event-time=1`, { token: DEV });
      assert.match(timed.text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z oops\n\n$/);
      const foreign = await call(gw, 'GET', `/api/sessions/${sid}/result/stream`, { token: OTHER });
      assert.deepEqual([foreign.status, foreign.json], [403, { message: 'user is not allowed to access this session' }]);
    });
  });

  describe('POST /api/sessions/{id}/kill', () => {
    it('kills the whole process tree of a 202 run; the session ends without an exit code', async () => {
      const gw = await start({ execWaitMs: 300, flushIntervalMs: 50 });
      const answer = await exec(gw, { file_name: 'ops/family.runbook.sh', parameters: {} });
      assert.equal(answer.status, 202);
      const sid = answer.json.session_id;
      const pids = await eventually('pids', async () => {
        const text = (await call(gw, 'GET', `/api/sessions/${sid}/result/stream`, { token: DEV })).text;
        const parent = /parent=(\d+)/.exec(text)?.[1];
        const child = /child=(\d+)/.exec(text)?.[1];
        return parent && child ? [Number(parent), Number(child)] : undefined;
      });
      assert.ok(pids.every(isAlive));
      const killed = await call(gw, 'POST', `/api/sessions/${sid}/kill`, { token: DEV });
      assert.deepEqual([killed.status, killed.text], [204, '']);
      const done = await waitForDone(gw, sid);
      assert.equal(done.json.exit_code, null);
      assert.match(done.json.event_stream[0], /session killed by the user$/);
      await eventually('processes gone', async () => (pids.some(isAlive) ? undefined : true));
      const again = await call(gw, 'POST', `/api/sessions/${sid}/kill`, { token: DEV });
      assert.deepEqual([again.status, again.json], [400, { message: 'session not found in memory' }]);
    });

    it('a kill while the exec request waits answers it 200 failed -2', async () => {
      const gw = await start();
      const pending = exec(gw, { file_name: 'ops/family.runbook.sh', parameters: {}, correlation_id: 'kill-early' });
      const sid = await sessionIdFor(gw, 'kill-early');
      await eventually('running', async () => ((await call(gw, 'POST', `/api/sessions/${sid}/kill`, { token: DEV })).status === 204 ? true : undefined));
      const answer = await pending;
      assert.equal(answer.status, 200);
      assert.equal(answer.json.output, 'session killed by the user');
      assert.equal(answer.json.output_status, 'failed');
      assert.equal(answer.json.exit_code, -2);
    });
  });

  describe('reviews', () => {
    it('GET /api/reviews/{id} by review id or session id; approve on the session page, then the owner executes', async () => {
      const gw = await start();
      const gated = await exec(gw, { connection_name: 'reviewed', file_name: 'ops/quick.runbook.sh', parameters: { name: 'reviewed' } });
      assert.equal(gated.json.has_review, true);
      const sid = gated.json.session_id;
      assert.equal(gated.json.output, `${gw.url}/sessions/${sid}`);
      const bySession = await call(gw, 'GET', `/api/reviews/${sid}`, { token: DEV });
      assert.equal(bySession.status, 200);
      assert.equal(bySession.json.session, sid);
      assert.equal(bySession.json.status, 'PENDING');
      const byId = await call(gw, 'GET', `/api/reviews/${bySession.json.id}`, { token: REVIEWER });
      assert.deepEqual(byId.json, bySession.json);
      assert.deepEqual((await call(gw, 'GET', '/api/reviews/nope')).json, { message: 'review not found' });

      const page = await call(gw, 'GET', `/sessions/${sid}`, { token: '' });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.text, /Review: PENDING/);
      assert.match(page.text, /Rita Reviewer/);
      assert.match(page.text, /<button name="decision" value="approve">Approve<\/button>/);
      assert.doesNotMatch(page.text, /http-equiv="refresh"/, 'no reload while the reviewer may be typing');

      const approve = await call(gw, 'POST', `/sessions/${sid}/review`, { token: '', form: { decision: 'approve', reason: '' } });
      assert.equal(approve.status, 303);
      assert.equal(approve.headers.get('location'), `/sessions/${sid}`);
      const approved = await call(gw, 'GET', `/api/reviews/${sid}`, { token: DEV });
      assert.equal(approved.json.status, 'APPROVED');
      assert.equal(approved.json.review_groups_data[0].reviewed_by.email, 'lead@example.com');
      const run = await call(gw, 'POST', `/api/sessions/${sid}/exec`, { token: DEV });
      assert.deepEqual([run.status, run.json.output, run.json.exit_code], [200, 'quick reviewed\n', 0]);
      const after = await call(gw, 'GET', `/sessions/${sid}`, { token: '' });
      assert.match(after.text, /<dd id="status">done<\/dd>/);
      assert.match(after.text, /<pre id="output">quick reviewed\n<\/pre>/);
      assert.doesNotMatch(after.text, /<button/);
    });

    it('reject with a reason on the session page ends the session; the reason is in the review', async () => {
      const gw = await start();
      const gated = await exec(gw, { connection_name: 'reviewed', file_name: 'ops/quick.runbook.sh', parameters: {} });
      const sid = gated.json.session_id;
      const reject = await call(gw, 'POST', `/sessions/${sid}/review`, { token: '', form: { decision: 'reject', reason: 'not during the freeze' } });
      assert.equal(reject.status, 303);
      const review = await call(gw, 'GET', `/api/reviews/${sid}`, { token: DEV });
      assert.equal(review.json.status, 'REJECTED');
      assert.equal(review.json.rejection_reason, 'not during the freeze');
      assert.equal((await call(gw, 'GET', `/api/sessions/${sid}`, { token: DEV })).json.status, 'done');
      const again = await call(gw, 'POST', `/sessions/${sid}/review`, { token: '', form: { decision: 'approve' } });
      assert.equal(again.headers.get('location'), `/sessions/${sid}?error=${encodeURIComponent('The gateway refused: review is in wrong state')}`);
      const page = await call(gw, 'GET', `/sessions/${sid}`, { token: '' });
      assert.match(page.text, /not during the freeze/);
      assert.equal((await call(gw, 'GET', '/sessions/nope', { token: '' })).status, 404);
    });
  });

  describe('Jira issue templates (§1.8)', () => {
    it('shows the template id on the connection and serves the template', async () => {
      const gw = await start();
      const connections = await call(gw, 'GET', '/api/connections', { token: DEV });
      const jiraOps = connections.json.find((c: { name: string }) => c.name === 'jira-ops');
      assert.equal(jiraOps.jira_issue_template_id, 'ops-change');
      assert.equal(connections.json.find((c: { name: string }) => c.name === 'bash').jira_issue_template_id, '');
      const template = await call(gw, 'GET', '/api/integrations/jira/issuetemplates/ops-change', { token: DEV });
      assert.equal(template.status, 200);
      assert.equal(template.json.project_key, 'OPS');
      assert.deepEqual(template.json.connection_ids, [jiraOps.id]);
      assert.deepEqual(template.json.prompt_types.items, [
        { jira_field: 'customfield_10052', label: 'Change reason', description: '', required: true, field_type: 'text' },
        { jira_field: 'customfield_10060', label: 'Risk', description: '', required: true, field_type: 'select', options: ['low', 'high'] },
        { jira_field: 'customfield_10070', label: 'Window', description: '', required: false, field_type: 'datetime-local' },
      ]);
      assert.deepEqual(template.json.cmdb_types, { items: [] });
      assert.equal((await call(gw, 'GET', '/api/integrations/jira/issuetemplates/nope', { token: DEV })).status, 404);
    });

    it('422 names the missing required fields; a complete run gets an issue in integrations_metadata', async () => {
      const gw = await start();
      const missing = await exec(gw, { connection_name: 'jira-ops', file_name: 'ops/quick.runbook.sh', parameters: {}, jira_fields: { customfield_10070: '2026-12-01T10:00' } });
      assert.deepEqual([missing.status, missing.json], [422, { message: 'unable to parse fields, missing required fields: ["customfield_10052" "customfield_10060"]' }]);
      assert.equal((await call(gw, 'GET', '/api/sessions?connection=jira-ops')).json.total, 0, 'no session for a refused run');
      const ok = await exec(gw, { connection_name: 'jira-ops', file_name: 'ops/quick.runbook.sh', parameters: {}, jira_fields: { customfield_10052: 'disk full', customfield_10060: 'low' } });
      assert.equal(ok.status, 200);
      const session = await call(gw, 'GET', `/api/sessions/${ok.json.session_id}`, { token: DEV });
      assert.deepEqual(session.json.integrations_metadata, { jira_issue_key: 'OPS-1', jira_issue_url: `${gw.url}/jira/browse/OPS-1` });
      const byKey = await call(gw, 'GET', '/api/sessions?jira_issue_key=ops-1');
      assert.deepEqual(byKey.json.data.map((s: { id: string }) => s.id), [ok.json.session_id]);
      const issue = await call(gw, 'GET', '/jira/browse/OPS-1', { token: '' });
      assert.equal(issue.status, 200);
      assert.match(issue.text, /Change reason<\/dt><dd>disk full/);
    });
  });
});
