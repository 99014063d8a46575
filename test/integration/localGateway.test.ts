import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startLocalGateway, type LocalGateway, type LocalGatewayConfig } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { callGateway, type CallOptions, type GatewayAnswer } from './localGatewayHttp';

const REPO_KEY = 'github.com/acme/runbooks';
const ADMIN = 'admin-token';
const STANDARD = 'standard-token';
const AUDITOR = 'auditor-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const b64 = (text: string) => Buffer.from(text).toString('base64');

const RUNBOOKS: Record<string, string> = {
  'README.md': '# not a runbook\n',
  'ops/hello.runbook.sh': [
    'echo "hello {{ .name | required "name is required" | description "Who to greet" }}"',
    'echo "count={{ .count | default "1" }}"',
    'echo "args=$*"',
    'echo "to stderr" >&2',
    '',
  ].join('\n'),
  'ops/fail.runbook.sh': 'echo "failing because {{ .reason }}"\nexit 3\n',
  'ops/secret.runbook.sh': [
    '{{ .token | asenv "API_TOKEN" }}',
    'echo "token=$API_TOKEN"',
    'echo "extra=$EXTRA"',
    'echo "conn=$CONN_SECRET"',
    'echo "cert=$(cat "$CERT_FILE")"',
    'echo "mode=$(stat -c %a "$CERT_FILE")"',
    'echo "path=$CERT_FILE"',
    '',
  ].join('\n'),
  'ops/upload.runbook.sh': 'echo "{{ .payload | type "file" }}" | wc -c\necho "{{ .note }}"\n',
  'ops/slow.runbook.sh': 'echo started\nsleep {{ .seconds | default "2" }}\necho finished\n',
  'ops/broken.runbook.sh': 'echo {{ .x | nosuchfn }}\n',
};

const BASH = ['bash', '-s', '--'];

type Answer = GatewayAnswer;

function call(gw: LocalGateway, method: string, path: string, opts: Partial<CallOptions> = {}): Promise<Answer> {
  return callGateway(gw, method, path, { ...opts, token: opts.token === undefined ? ADMIN : opts.token });
}

function exec(gw: LocalGateway, body: Record<string, unknown>, token = ADMIN): Promise<Answer> {
  return call(gw, 'POST', '/api/runbooks/exec', { token, body: { connection_name: 'bash', repository: REPO_KEY, ...body } });
}

async function waitForDone(gw: LocalGateway, sid: string): Promise<Answer> {
  for (let i = 0; i < 100; i++) {
    const answer = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`);
    if (answer.json?.status === 'done') {
      return answer;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`session ${sid} never finished`);
}

function baseConfig(repo: RunbookRepo, extra: Partial<LocalGatewayConfig> = {}): LocalGatewayConfig {
  return {
    users: {
      [ADMIN]: { email: 'admin@example.com', role: 'admin' },
      [STANDARD]: { email: 'dev@example.com', role: 'standard', groups: ['dev'] },
      [AUDITOR]: { email: 'audit@example.com', role: 'auditor' },
    },
    apiKey: 'xapi-legacy-key',
    repositories: [{ gitUrl: repo.remoteUrl, path: repo.bareDir }],
    connections: [
      { name: 'bash', command: BASH, subtype: 'bash' },
      {
        name: 'bash-secrets',
        command: BASH,
        secrets: { 'envvar:CONN_SECRET': b64('from-connection'), 'envvar:API_TOKEN': b64('connection-wins') },
      },
      { name: 'offline', command: BASH, status: 'offline' },
      { name: 'no-runbooks', command: BASH, accessModeRunbooks: 'disabled' },
      { name: 'reviewed', command: BASH, review: true },
      { name: 'ai-block', command: BASH, aiAnalysis: 'block' },
      { name: 'ai-review', command: BASH, aiAnalysis: 'review' },
      { name: 'secret-db', command: BASH, hidden: true },
      { name: 'needs-ticket', command: BASH, mandatoryMetadataFields: ['ticket'] },
      { name: 'pg-prod', command: ['psql'], type: 'database', subtype: 'postgres' },
    ],
    execWaitMs: 10_000,
    ...extra,
  };
}

describe('local gateway (real git, real processes)', function () {
  this.timeout(20_000);
  let repo: RunbookRepo;
  let gw: LocalGateway;
  const extraGateways: LocalGateway[] = [];
  const startExtra = async (config: LocalGatewayConfig) => {
    const extra = await startLocalGateway(config);
    extraGateways.push(extra);
    return extra;
  };

  before(async () => {
    repo = createRunbookRepo({ files: RUNBOOKS });
    gw = await startLocalGateway(baseConfig(repo));
  });

  after(async () => {
    await Promise.all([gw?.close(), ...extraGateways.map((g) => g.close())]);
    repo?.cleanup();
  });

  describe('routing and auth (auth.go)', () => {
    it('answers unknown routes with gin\'s text/plain 404', async () => {
      const answer = await call(gw, 'GET', '/api/nope');
      assert.equal(answer.status, 404);
      assert.match(answer.contentType, /^text\/plain/);
      assert.equal(answer.text, '404 page not found');
    });

    it('refuses missing, malformed and unknown bearer tokens with 401 access denied', async () => {
      const variants: Record<string, string>[] = [{}, { authorization: `bearer ${ADMIN}` }, { authorization: `Bearer ${ADMIN} extra` }, { authorization: 'Bearer ' }, { authorization: 'Bearer nope' }];
      for (const headers of variants) {
        const answer = await call(gw, 'GET', '/api/serverinfo', { token: null, headers });
        assert.equal(answer.status, 401, JSON.stringify(headers));
        assert.deepEqual(answer.json, { message: 'access denied' });
      }
    });

    it('accepts the legacy Api-Key as admin and answers a wrong one with "unauthorize"', async () => {
      const ok = await call(gw, 'GET', '/api/userinfo', { token: null, headers: { 'api-key': 'xapi-legacy-key' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.json.role, 'admin');
      const wrong = await call(gw, 'GET', '/api/userinfo', { token: null, headers: { 'api-key': 'xapi-other' } });
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.json, { message: 'unauthorize' });
    });

    it('lets auditors read but not exec (403 access denied)', async () => {
      assert.equal((await call(gw, 'GET', '/api/runbooks', { token: AUDITOR })).status, 200);
      const answer = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' } }, AUDITOR);
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.json, { message: 'access denied' });
    });

    it('records what the client sent, with credentials redacted', async () => {
      await call(gw, 'GET', '/api/userinfo?x=1', { token: STANDARD });
      const last = gw.requests[gw.requests.length - 1];
      assert.equal(last.method, 'GET');
      assert.equal(last.path, '/api/userinfo');
      assert.deepEqual(last.query, { x: '1' });
      assert.equal(last.headers.authorization, 'Bearer');
    });
  });

  describe('info endpoints', () => {
    it('serves serverinfo and userinfo', async () => {
      const info = await call(gw, 'GET', '/api/serverinfo');
      assert.equal(info.json.version, '1.148.0');
      assert.equal(info.json.api_url, gw.url);
      const user = await call(gw, 'GET', '/api/userinfo', { token: STANDARD });
      assert.equal(user.json.email, 'dev@example.com');
      assert.equal(user.json.role, 'standard');
      assert.deepEqual(user.json.groups, ['dev']);
      assert.equal(user.json.is_admin, false);
    });

    it('lists connections as a plain array, sorted, without hidden ones and with blank secrets', async () => {
      const answer = await call(gw, 'GET', '/api/connections');
      assert.ok(Array.isArray(answer.json));
      const names = answer.json.map((c: { name: string }) => c.name);
      assert.ok(!names.includes('secret-db'));
      assert.deepEqual(names, [...names].sort());
      const secrets = answer.json.find((c: { name: string }) => c.name === 'bash-secrets');
      assert.deepEqual(secrets.secret, {});
      assert.equal(secrets.access_mode_runbooks, 'enabled');
      assert.match(secrets.id, UUID);
      const disabled = answer.json.find((c: { name: string }) => c.name === 'no-runbooks');
      assert.equal(disabled.access_mode_runbooks, 'disabled');
      const ticket = answer.json.find((c: { name: string }) => c.name === 'needs-ticket');
      assert.deepEqual(ticket.mandatory_metadata_fields, ['ticket']);
    });

    it('paginates and filters connections', async () => {
      const page = await call(gw, 'GET', '/api/connections?page=1&page_size=2');
      assert.deepEqual(page.json.pages, { total: 9, page: 1, size: 2 });
      assert.equal(page.json.data.length, 2);
      const postgres = await call(gw, 'GET', '/api/connections?subtype=postgres');
      assert.deepEqual(postgres.json.map((c: { name: string }) => c.name), ['pg-prod']);
      const search = await call(gw, 'GET', '/api/connections?search=AI-');
      assert.deepEqual(search.json.map((c: { name: string }) => c.name), ['ai-block', 'ai-review']);
      const bad = await call(gw, 'GET', '/api/connections?page_size=500');
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.json, { message: 'page_size must be between 1 and 100' });
    });
  });

  describe('GET /api/runbooks', () => {
    it('lists runbook files of the tip with metadata, parse errors and deprecated copies', async () => {
      const answer = await call(gw, 'GET', '/api/runbooks');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.errors, []);
      const [listing] = answer.json.repositories;
      assert.equal(listing.repository, REPO_KEY);
      assert.equal(listing.commit, repo.head());
      assert.equal(listing.commit_author, 'Runbook Author <author@example.com>');
      assert.equal(listing.commit_message, 'Add runbooks\n');
      const names = listing.items.map((i: { name: string }) => i.name);
      assert.deepEqual(names.sort(), Object.keys(RUNBOOKS).filter((n) => n.includes('.runbook.')).sort());
      const hello = listing.items.find((i: { name: string }) => i.name === 'ops/hello.runbook.sh');
      assert.equal(hello.error, null);
      assert.equal(hello.connections, undefined);
      assert.equal(hello.metadata.name.required, true);
      assert.equal(hello.metadata.name.description, 'Who to greet');
      assert.equal(hello.metadata.count.default, '1');
      const broken = listing.items.find((i: { name: string }) => i.name === 'ops/broken.runbook.sh');
      assert.deepEqual(broken.metadata, {});
      assert.match(broken.error, /^template parse error: template: :1: function "nosuchfn" not defined/);
      assert.equal(answer.json.commit, listing.commit);
      assert.deepEqual(answer.json.items, listing.items);
    });

    it('includes connections on request and filters by connection_name', async () => {
      const all = await call(gw, 'GET', '/api/runbooks?list_connections=true');
      const item = all.json.repositories[0].items[0];
      assert.ok(item.connections.includes('bash'));
      assert.ok(!item.connections.includes('no-runbooks'), 'runbooks access mode disabled');
      const one = await call(gw, 'GET', '/api/runbooks?connection_name=bash&list_connections=true');
      assert.deepEqual(one.json.repositories[0].items[0].connections, ['bash']);
    });

    it('reports an unreadable repository in errors[] and keeps the others', async () => {
      const extra = await startExtra({
        ...baseConfig(repo),
        repositories: [{ gitUrl: 'https://github.com/acme/missing.git', path: `${repo.bareDir}-nope` }, { gitUrl: repo.remoteUrl, path: repo.bareDir }],
      });
      const answer = await call(extra, 'GET', '/api/runbooks');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.errors, ['failed listing runbooks for repo https://github.com/acme/missing.git, err=failed pulling repo https://github.com/acme/missing.git, err=repository not found']);
      assert.equal(answer.json.repositories.length, 1);
    });
  });

  describe('POST /api/runbooks/exec: finished runs', () => {
    it('runs the rendered runbook and answers 200 with the result shape', async () => {
      const answer = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'world' }, client_args: ['a', 'b'] });
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.json), ['has_review', 'session_id', 'output', 'output_status', 'truncated', 'execution_time', 'exit_code', 'ai_analysis']);
      assert.equal(answer.json.output, 'hello world\ncount=1\nargs=a b\nto stderr\n');
      assert.equal(answer.json.output_status, 'success');
      assert.equal(answer.json.exit_code, 0);
      assert.equal(answer.json.has_review, false);
      assert.equal(answer.json.truncated, false);
      assert.equal(answer.json.ai_analysis, null);
      assert.equal(typeof answer.json.execution_time, 'number');
      assert.match(answer.json.session_id, UUID);

      const session = gw.sessions.get(answer.json.session_id);
      assert.equal(session?.status, 'done');
      assert.equal(session?.exitCode, 0);
      const recorded = gw.requests.filter((r) => r.path === '/api/runbooks/exec').pop();
      assert.deepEqual((recorded?.body as { client_args: string[] }).client_args, ['a', 'b']);
    });

    it('reports a non-zero exit as failed with its exit code', async () => {
      const answer = await exec(gw, { file_name: 'ops/fail.runbook.sh', parameters: { reason: 'testing' } });
      assert.equal(answer.status, 200);
      assert.equal(answer.json.output, 'failing because testing\n');
      assert.equal(answer.json.output_status, 'failed');
      assert.equal(answer.json.exit_code, 3);
    });

    it('ignores ref_hash and runs the tip of main', async () => {
      const old = repo.head();
      repo.commit({ 'ops/fail.runbook.sh': 'echo "new version {{ .reason }}"\nexit 3\n' }, 'Change failing runbook');
      repo.push();
      const answer = await exec(gw, { file_name: 'ops/fail.runbook.sh', ref_hash: old, parameters: { reason: 'r' } });
      assert.equal(answer.json.output, 'new version r\n');
      const listing = await call(gw, 'GET', '/api/runbooks');
      assert.equal(listing.json.repositories[0].commit, repo.head());
    });

    it('stores the session: labels, script, and the output once done', async () => {
      const answer = await exec(gw, { file_name: 'ops/upload.runbook.sh', parameters: { payload: b64('0123456789'), note: 'n' }, metadata: { ticket: 42 }, correlation_id: 'task-1' });
      const sid = answer.json.session_id;
      const session = await call(gw, 'GET', `/api/sessions/${sid}`);
      assert.equal(session.json.status, 'done');
      assert.equal(session.json.exit_code, 0);
      assert.equal(session.json.connection, 'bash');
      assert.equal(session.json.verb, 'exec');
      assert.equal(session.json.correlation_id, 'task-1');
      assert.deepEqual(session.json.metadata, { ticket: '42' });
      assert.deepEqual(session.json.labels, {
        runbookRepository: REPO_KEY,
        runbookFile: 'ops/upload.runbook.sh',
        runbookParameters: '{"note":"n","payload":"[param redacted. type = file, size = 16 byte(s)]"}',
      });
      assert.match(session.json.script.data, /^echo "MDEyMzQ1Njc4OQ=="/);
      assert.equal(session.json.event_stream, undefined);
      const expanded = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=utf8`);
      assert.deepEqual(expanded.json.event_stream, ['17\nn\n']);
      assert.equal(expanded.json.script.data, '');
      const raw = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream`);
      assert.equal(raw.json.event_stream[0][1], 'o');
      const bad = await call(gw, 'GET', `/api/sessions/${sid}?expand=event_stream&event_stream=xml`);
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.json, { message: 'event_stream attribute has an unknown type format' });
      const other = await call(gw, 'GET', `/api/sessions/${sid}`, { token: STANDARD });
      assert.deepEqual(other.json, { message: 'user is not allowed to access this session' });
      assert.deepEqual((await call(gw, 'GET', '/api/sessions/nope')).json, { message: 'not found' });
    });
  });

  describe('POST /api/runbooks/exec: env vars (§1.7)', () => {
    it('delivers asenv, request env_vars and filesystem secrets; asenv beats the request value', async () => {
      const answer = await exec(gw, {
        file_name: 'ops/secret.runbook.sh',
        parameters: { token: 'from-asenv' },
        env_vars: { 'envvar:API_TOKEN': b64('from-request'), 'envvar:EXTRA': b64('extra value'), 'filesystem:CERT_FILE': b64('-----CERT-----') },
      });
      assert.equal(answer.json.exit_code, 0, answer.json.output);
      const lines = Object.fromEntries(answer.json.output.trim().split('\n').map((l: string) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      assert.equal(lines.token, 'from-asenv');
      assert.equal(lines.extra, 'extra value');
      assert.equal(lines.conn, '');
      assert.equal(lines.cert, '-----CERT-----');
      assert.equal(lines.mode, '600');
      assert.match(lines.path, /\.envfs$/);
      assert.equal(existsSync(lines.path), false, 'the secret file is removed after the run');
    });

    it('lets the connection\'s own secrets win over asenv and request values', async () => {
      const answer = await exec(gw, { connection_name: 'bash-secrets', file_name: 'ops/secret.runbook.sh', parameters: { token: 'from-asenv' }, env_vars: { 'filesystem:CERT_FILE': b64('c') } });
      assert.match(answer.json.output, /^token=connection-wins\n/);
      assert.match(answer.json.output, /\nconn=from-connection\n/);
    });

    it('fails like the agent (254) on a malformed key or bad base64, without running anything', async () => {
      const badKey = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' }, env_vars: { 'PASSWORD:MTIz:x': 'MTIz' } });
      assert.equal(badKey.status, 200);
      assert.equal(badKey.json.exit_code, 254);
      assert.equal(badKey.json.output_status, 'failed');
      assert.equal(badKey.json.output, 'environment variable key type in unknown format, want=[keytype:key], got=PASSWORD:MTIz:x');
      const badType = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' }, env_vars: { 'secret:X': 'MTIz' } });
      assert.equal(badType.json.output, 'unknow environment variable type "secret", accepted: "filesystem", "envvar"');
      const badValue = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' }, env_vars: { 'envvar:X': 'MTI' } });
      assert.equal(badValue.json.output, 'failed decoding env var "X", err=illegal base64 data at input byte 0');
    });
  });

  describe('POST /api/runbooks/exec: errors in hoop\'s order (§1.3)', () => {
    it('400 for bad JSON, missing required fields and non-string parameters', async () => {
      const html = await call(gw, 'POST', '/api/runbooks/exec', { rawBody: '<html>' });
      assert.deepEqual(html.json, { message: "invalid character '<' looking for beginning of value" });
      const empty = await call(gw, 'POST', '/api/runbooks/exec', { body: {} });
      assert.equal(empty.status, 400);
      assert.equal(
        empty.json.message,
        [
          "Key: 'RunbookExec.ConnectionName' Error:Field validation for 'ConnectionName' failed on the 'required' tag",
          "Key: 'RunbookExec.Repository' Error:Field validation for 'Repository' failed on the 'required' tag",
          "Key: 'RunbookExec.FileName' Error:Field validation for 'FileName' failed on the 'required' tag",
        ].join('\n'),
      );
      const number = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: 10 } });
      assert.equal(number.status, 400);
      assert.deepEqual(number.json, { message: 'json: cannot unmarshal number into Go struct field RunbookExec.parameters of type string' });
    });

    it('403 when no runbook rule allows the user', async () => {
      const ruled = await startExtra({ ...baseConfig(repo), rules: [{ runbooks: [{ repository: REPO_KEY, name: 'OPS/HELLO' }], connections: ['bash'], userGroups: ['dev'] }] });
      const denied = await exec(ruled, { file_name: 'ops/fail.runbook.sh', parameters: { reason: 'x' } }, STANDARD);
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.json, { message: 'user is not allowed to run this runbook on this connection' });
      const allowed = await exec(ruled, { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' } }, STANDARD);
      assert.equal(allowed.status, 200, 'ILIKE prefix match is case-insensitive');
      const listed = await call(ruled, 'GET', '/api/runbooks', { token: STANDARD });
      assert.deepEqual(listed.json.repositories[0].items, [], 'the list filter is a case-sensitive prefix');
    });

    it('422 for metadata limits, correlation_id and mandatory metadata', async () => {
      const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));
      assert.deepEqual((await exec(gw, { file_name: 'ops/hello.runbook.sh', metadata: many })).json, { message: 'metadata field must have less than 10 fields' });
      const long = await exec(gw, { file_name: 'ops/hello.runbook.sh', correlation_id: 'x'.repeat(256) });
      assert.equal(long.status, 422);
      assert.deepEqual(long.json, { message: 'correlation_id must not exceed 255 characters' });
      const missing = await exec(gw, { connection_name: 'needs-ticket', file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' } });
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.json, { message: 'missing required metadata field: ticket' });
      const given = await exec(gw, { connection_name: 'needs-ticket', file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' }, metadata: { ticket: 'OPS-1' } });
      assert.equal(given.status, 200);
    });

    it('404 for a missing or hidden connection, 400 for an unknown repository, 404 for a missing file', async () => {
      for (const name of ['nope', 'secret-db']) {
        const answer = await exec(gw, { connection_name: name, file_name: 'ops/hello.runbook.sh' });
        assert.equal(answer.status, 404);
        assert.deepEqual(answer.json, { message: 'connection not found' });
      }
      const repoAnswer = await exec(gw, { repository: 'github.com/acme/other', file_name: 'ops/hello.runbook.sh' });
      assert.equal(repoAnswer.status, 400);
      assert.deepEqual(repoAnswer.json, { message: 'runbook repository config github.com/acme/other not found' });
      const file = await exec(gw, { file_name: 'ops/missing.runbook.sh' });
      assert.equal(file.status, 404);
      assert.deepEqual(file.json, { message: 'runbook file ops/missing.runbook.sh not found on git repo' });
    });

    it('400 with hoop\'s template text for parse and exec errors', async () => {
      const parse = await exec(gw, { file_name: 'ops/broken.runbook.sh', parameters: { x: '1' } });
      assert.equal(parse.status, 400);
      assert.equal(parse.json.message, 'template: :1: function "nosuchfn" not defined');
      const missing = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: {} });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.message, 'the following inputs are missing [name]');
      const required = await exec(gw, { file_name: 'ops/hello.runbook.sh', parameters: { name: '' } });
      assert.equal(required.status, 400);
      assert.equal(required.json.message, 'template: :1:23: executing "" at <required "name is required">: error calling required: name is required');
    });

    it('404 runbook configuration not found without repositories', async () => {
      const bare = await startExtra({ ...baseConfig(repo), repositories: [] });
      assert.deepEqual((await exec(bare, { file_name: 'ops/hello.runbook.sh' })).json, { message: 'runbook configuration not found' });
      const list = await call(bare, 'GET', '/api/runbooks');
      assert.equal(list.status, 404);
      assert.deepEqual(list.json, { message: 'runbook configuration not found' });
    });
  });

  describe('POST /api/runbooks/exec: the other result shapes', () => {
    const hello = { file_name: 'ops/hello.runbook.sh', parameters: { name: 'x' } };

    it('agent offline and access mode disabled: 200 failed -2 with the error as output', async () => {
      const offline = await exec(gw, { ...hello, connection_name: 'offline' });
      assert.equal(offline.status, 200);
      assert.equal(offline.json.output, 'agent is offline');
      assert.equal(offline.json.output_status, 'failed');
      assert.equal(offline.json.exit_code, -2);
      const disabled = await exec(gw, { ...hello, connection_name: 'no-runbooks' });
      assert.equal(disabled.json.output, 'rpc error: code = FailedPrecondition desc = runbooks is disabled for this connection');
      assert.equal(disabled.json.exit_code, -2);
    });

    it('AI block: 200 blocked 254; AI review: 202 has_review with an empty status', async () => {
      const blocked = await exec(gw, { ...hello, connection_name: 'ai-block' });
      assert.equal(blocked.status, 200);
      assert.equal(blocked.json.output_status, 'blocked');
      assert.equal(blocked.json.exit_code, 254);
      assert.equal(blocked.json.output, 'Session blocked by AI risk analyzer');
      assert.equal(blocked.json.ai_analysis.action, 'block_execution');
      const review = await exec(gw, { ...hello, connection_name: 'ai-review' });
      assert.equal(review.status, 202);
      assert.equal(review.json.has_review, true);
      assert.equal(review.json.output_status, '');
      assert.equal(review.json.output, `${gw.url}/sessions/${review.json.session_id}`);
      assert.equal(review.json.ai_analysis.action, 'require_access_request');
    });

    it('review gate: 200 has_review, nothing runs until approved, then POST /sessions/:id/exec runs it', async () => {
      const gated = await exec(gw, { ...hello, connection_name: 'reviewed' }, STANDARD);
      assert.equal(gated.status, 200);
      const sid = gated.json.session_id;
      assert.deepEqual(gated.json, { has_review: true, session_id: sid, output: `${gw.url}/sessions/${sid}`, output_status: 'success', truncated: false, execution_time: gated.json.execution_time, exit_code: 0, ai_analysis: null });
      let session = await call(gw, 'GET', `/api/sessions/${sid}`, { token: STANDARD });
      assert.equal(session.json.status, 'open');
      assert.equal(session.json.review.status, 'PENDING');
      assert.equal(session.json.exit_code, null);

      const early = await call(gw, 'POST', `/api/sessions/${sid}/exec`, { token: STANDARD });
      assert.deepEqual([early.status, early.json], [403, { message: 'review not approved or already executed' }]);
      const self = await call(gw, 'PUT', `/api/reviews/${sid}`, { token: STANDARD, body: { status: 'APPROVED' } });
      assert.deepEqual([self.status, self.json], [400, { message: 'unable to self approve review' }]);
      const approved = await call(gw, 'PUT', `/api/reviews/${sid}`, { body: { status: 'approved' } });
      assert.equal(approved.status, 200);
      assert.equal(approved.json.status, 'APPROVED');
      assert.equal(approved.json.session, sid);
      session = await call(gw, 'GET', `/api/sessions/${sid}`, { token: STANDARD });
      assert.equal(session.json.status, 'ready');

      const run = await call(gw, 'POST', `/api/sessions/${sid}/exec`, { token: STANDARD });
      assert.equal(run.status, 200);
      assert.equal(run.json.output, 'hello x\ncount=1\nargs=\nto stderr\n');
      assert.equal(run.json.session_id, sid);
      session = await call(gw, 'GET', `/api/sessions/${sid}`, { token: STANDARD });
      assert.equal(session.json.status, 'done');
      assert.equal(session.json.review.status, 'EXECUTED');
      const again = await call(gw, 'POST', `/api/sessions/${sid}/exec`, { token: STANDARD });
      assert.deepEqual([again.status, again.json], [403, { message: 'review not approved or already executed' }]);
    });

    it('a rejected review ends the session', async () => {
      const gated = await exec(gw, { ...hello, connection_name: 'reviewed' }, STANDARD);
      const rejected = await call(gw, 'PUT', `/api/reviews/${gated.json.session_id}`, { body: { status: 'REJECTED', rejection_reason: 'no' } });
      assert.equal(rejected.json.status, 'REJECTED');
      assert.equal(rejected.json.rejection_reason, 'no');
      assert.equal(gw.sessions.get(gated.json.session_id)?.status, 'done');
    });
  });

  describe('long runs: 202, polling, kill', () => {
    let fast: LocalGateway;
    before(async () => {
      fast = await startExtra(baseConfig(repo, { execWaitMs: 300 }));
    });

    it('answers 202 running after execWaitMs and the session reaches done with the output', async () => {
      const answer = await exec(fast, { file_name: 'ops/slow.runbook.sh', parameters: { seconds: '1' } });
      assert.equal(answer.status, 202);
      const sid = answer.json.session_id;
      assert.deepEqual(answer.json, { has_review: false, session_id: sid, output: '', output_status: 'running', truncated: false, execution_time: 0, exit_code: -2, ai_analysis: null });
      const running = await call(fast, 'GET', `/api/sessions/${sid}`);
      assert.equal(running.json.status, 'open');
      assert.equal(running.json.exit_code, null);
      assert.equal(running.json.end_date, null);
      const done = await waitForDone(fast, sid);
      assert.equal(done.json.exit_code, 0);
      assert.deepEqual(done.json.event_stream, ['started\nfinished\n']);
      assert.notEqual(done.json.end_date, null);
    });

    it('kills a running session (204) and its process', async () => {
      const answer = await exec(fast, { file_name: 'ops/slow.runbook.sh', parameters: { seconds: '30' } });
      assert.equal(answer.status, 202);
      const sid = answer.json.session_id;
      const notMine = await call(fast, 'POST', `/api/sessions/${sid}/kill`, { token: STANDARD });
      assert.deepEqual([notMine.status, notMine.json], [404, { message: 'session not found' }]);
      const killed = await call(fast, 'POST', `/api/sessions/${sid}/kill`);
      assert.equal(killed.status, 204);
      assert.equal(killed.text, '');
      const done = await waitForDone(fast, sid);
      // The gateway closes the stream itself: no exit code reaches it, the error ends the output.
      assert.equal(done.json.exit_code, null);
      assert.deepEqual(done.json.event_stream, ['started\nsession killed by the user']);
    });
  });

  describe('legacy plugin routes', () => {
    it('a V2 gateway answers them like a migrated gateway', async () => {
      const execAnswer = await call(gw, 'POST', '/api/plugins/runbooks/connections/bash/exec', { body: { file_name: 'ops/hello.runbook.sh' } });
      assert.deepEqual([execAnswer.status, execAnswer.json], [404, { message: 'plugin not found' }]);
      const list = await call(gw, 'GET', '/api/plugins/runbooks/templates');
      assert.deepEqual([list.status, list.json], [404, { message: 'plugin runbooks not found' }]);
      const byConn = await call(gw, 'GET', '/api/plugins/runbooks/connections/bash/templates');
      assert.deepEqual([byConn.status, byConn.json], [400, { message: 'plugin runbooks not found' }]);
    });

    it('a legacy gateway has no /api/runbooks but runs through the plugin', async () => {
      const legacy = await startExtra(baseConfig(repo, { api: 'legacy', connections: [{ name: 'bash', command: BASH }, { name: 'scoped', command: BASH, legacyPathPrefix: 'ops/hello' }] }));
      assert.equal((await call(legacy, 'GET', '/api/serverinfo')).json.version, '1.42.0');
      for (const [method, path] of [['GET', '/api/runbooks'], ['POST', '/api/runbooks/exec']]) {
        const answer = await call(legacy, method, path, { body: method === 'POST' ? {} : undefined });
        assert.equal(answer.status, 404);
        assert.equal(answer.text, '404 page not found');
      }
      const ran = await call(legacy, 'POST', '/api/plugins/runbooks/connections/bash/exec', { body: { file_name: 'ops/hello.runbook.sh', parameters: { name: 'legacy' } } });
      assert.equal(ran.status, 200);
      assert.match(ran.json.output, /^hello legacy\n/);
      const session = await call(legacy, 'GET', `/api/sessions/${ran.json.session_id}`);
      assert.deepEqual(session.json.labels, { runbookFile: 'ops/hello.runbook.sh', runbookParameters: '{"name":"legacy"}' });

      const outside = await call(legacy, 'POST', '/api/plugins/runbooks/connections/scoped/exec', { body: { file_name: 'ops/fail.runbook.sh' } });
      assert.deepEqual([outside.status, outside.json], [404, { message: 'runbook file ops/fail.runbook.sh not found' }]);
      const missing = await call(legacy, 'POST', '/api/plugins/runbooks/connections/bash/exec', { body: { file_name: 'nope.runbook.sh' } });
      assert.deepEqual([missing.status, missing.json], [404, { message: 'runbook file nope.runbook.sh not found on git repo' }]);
      const noName = await call(legacy, 'POST', '/api/plugins/runbooks/connections/bash/exec', { body: {} });
      assert.deepEqual(noName.json, { message: "Key: 'RunbookRequest.FileName' Error:Field validation for 'FileName' failed on the 'required' tag" });

      const list = await call(legacy, 'GET', '/api/plugins/runbooks/templates');
      assert.equal(list.status, 200);
      assert.equal(list.json.commit, repo.head());
      const hello = list.json.items.find((i: { name: string }) => i.name === 'ops/hello.runbook.sh');
      assert.deepEqual(hello.connections, ['bash', 'scoped']);
      const scoped = await call(legacy, 'GET', '/api/plugins/runbooks/connections/scoped/templates');
      assert.deepEqual(scoped.json.items.map((i: { name: string }) => i.name), ['ops/hello.runbook.sh']);
    });

    it('a legacy gateway answers git errors with 400', async () => {
      const broken = await startExtra(baseConfig(repo, { api: 'legacy', repositories: [{ gitUrl: repo.remoteUrl, path: `${repo.bareDir}-gone` }] }));
      const answer = await call(broken, 'POST', '/api/plugins/runbooks/connections/bash/exec', { body: { file_name: 'ops/hello.runbook.sh' } });
      assert.deepEqual([answer.status, answer.json], [400, { message: `failed pulling repo ${repo.remoteUrl}, err=repository not found` }]);
    });
  });
});
