import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { GatewayAnswerError, GatewayHttpError, StreamUnavailableError } from '../../src/core/errors';
import { GatewayClient } from '../../src/core/gatewayClient';
import type { SessionStreamEvent } from '../../src/core/gatewayTypes';
import { scriptedServers, sendJson, type ReceivedRequest, type ScriptedServer } from '../support/scriptedServer';

const sessionId = '5f0c2b9e-1111-4a2b-9c3d-000000000001';

/** A session as hoop's `GET /api/sessions/{id}` writes it (openapi.Session, §1.6). */
function sessionJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: sessionId,
    connection: 'pg',
    status: 'open',
    exit_code: null,
    start_date: '2026-12-01T10:00:00Z',
    end_date: null,
    review: null,
    integrations_metadata: null,
    ai_analysis: null,
    correlation_id: 'run-1',
    script: { data: 'select 1' },
    ...overrides,
  };
}

function sseEvent(type: 'o' | 'e' | 'i', bytes: Buffer): string {
  return `event: event\ndata: ${JSON.stringify({ time: new Date().toISOString(), type, payload: bytes.toString('base64') })}\n\n`;
}

/** Session reads, the live output stream and the Jira template, against a scripted 127.0.0.1 server. */
describe('GatewayClient session reads and the live output stream', function () {
  this.timeout(10_000);
  const start = scriptedServers();
  let server: ScriptedServer | undefined;

  async function serve(handler: (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>): Promise<GatewayClient> {
    server = await start(handler);
    return new GatewayClient({ gatewayUrl: server.url, token: 'hpk_t' });
  }

  async function collect(events: AsyncIterable<SessionStreamEvent>): Promise<SessionStreamEvent[]> {
    const seen: SessionStreamEvent[] = [];
    for await (const event of events) {
      seen.push(event);
    }
    return seen;
  }

  it('follows the live output: skips comments, keeps a character split across events, ends on session_end', async () => {
    const euro = Buffer.from('price: €5\n');
    const client = await serve(async (request, res) => {
      assert.equal(request.path, `/api/sessions/${sessionId}/stream`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      res.write(sseEvent('o', euro.subarray(0, 8))); // ends inside the 3-byte €
      res.write(': keepalive\n\n');
      res.write(sseEvent('e', Buffer.from('warn\r\n')));
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.write(sseEvent('o', euro.subarray(8)).replace(/\n/g, '\r\n'));
      res.end('event: session_end\ndata: {}\n\n');
    });
    const events = await collect(client.streamSessionOutput(sessionId, new AbortController().signal));
    assert.deepEqual(events, [
      { kind: 'output', stream: 'o', text: 'price: ' },
      { kind: 'output', stream: 'e', text: 'warn\r\n' },
      { kind: 'output', stream: 'o', text: '€5\n' },
      { kind: 'end' },
    ]);
    assert.equal(server!.requests[0].headers.accept, 'text/event-stream');
  });

  it("says the stream is unavailable on gin's plain-text 404, so the caller polls; a JSON 404 is hoop's own error", async () => {
    const client = await serve((request, res) => {
      if (request.headers['user-agent'] === 'json') return sendJson(res, 404, { message: 'not found' });
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    const missingRoute = await collect(client.streamSessionOutput(sessionId, new AbortController().signal)).catch((caught: unknown) => caught);
    assert.ok(missingRoute instanceof StreamUnavailableError, String(missingRoute));
    assert.match(missingRoute.message, /no live output stream.*polling/);
    const jsonClient = new GatewayClient({ gatewayUrl: server!.url, token: 'hpk_t', userAgent: 'json' });
    const missingSession = await collect(jsonClient.streamSessionOutput(sessionId, new AbortController().signal)).catch((caught: unknown) => caught);
    assert.ok(missingSession instanceof GatewayHttpError, String(missingSession));
    assert.equal(missingSession.gatewayMessage, 'not found');
  });

  it('says the stream is unavailable when it closes before session_end', async () => {
    const client = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseEvent('o', Buffer.from('partial\n')));
    });
    const seen: SessionStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of client.streamSessionOutput(sessionId, new AbortController().signal)) seen.push(event);
    })().catch((caught: unknown) => caught);
    assert.deepEqual(seen, [{ kind: 'output', stream: 'o', text: 'partial\n' }]);
    assert.ok(error instanceof StreamUnavailableError, String(error));
    assert.match(error.message, /closed .* before the session ended/);
  });

  it('finds the session by correlation id, and ignores what an older gateway lists without filtering', async () => {
    const client = await serve((request, res) => {
      const id = new URL(request.path, 'http://x').searchParams.get('correlation_id');
      if (id === 'run-1') return sendJson(res, 200, { data: [sessionJson()], total: 1 });
      if (id === 'run-unfiltered') return sendJson(res, 200, { data: [sessionJson({ correlation_id: 'someone-else' })], total: 1 });
      sendJson(res, 200, { data: null, total: 0 });
    });
    const found = await client.findSessionByCorrelationId('run-1');
    assert.equal(found?.id, sessionId);
    assert.equal(found?.status, 'open');
    assert.equal(server!.requests[0].path, '/api/sessions?correlation_id=run-1&limit=1');
    assert.equal(await client.findSessionByCorrelationId('run-unfiltered'), undefined);
    assert.equal(await client.findSessionByCorrelationId('not-yet'), undefined);
  });

  it('reads the output with the session, and as text from result/stream', async () => {
    const client = await serve((request, res) => {
      if (request.path.endsWith('/result/stream')) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('line 1\nline 2\n');
        return;
      }
      sendJson(res, 200, sessionJson({ status: 'done', exit_code: 3, end_date: '2026-12-01T10:00:05Z', event_stream: ['boom\n'], integrations_metadata: { jira_issue_key: 'OPS-7', jira_issue_url: 'https://jira/OPS-7' } }));
    });
    const session = await client.getSession(sessionId, { withOutput: true });
    assert.equal(server!.requests[0].path, `/api/sessions/${sessionId}?expand=event_stream&event_stream=utf8`);
    assert.deepEqual([session.status, session.exit_code, session.output, session.integrations_metadata?.jira_issue_key], ['done', 3, 'boom\n', 'OPS-7']);
    assert.equal(await client.readSessionResult(sessionId), 'line 1\nline 2\n');
  });

  it('refuses a session whose status or exit code is not one hoop uses', async () => {
    const client = await serve((request, res) =>
      sendJson(res, 200, request.headers['user-agent'] === 'exit' ? sessionJson({ exit_code: '0' }) : sessionJson({ status: 'cancelled' })),
    );
    const status = await client.getSession(sessionId).catch((caught: unknown) => caught);
    assert.ok(status instanceof GatewayAnswerError);
    assert.match(status.message, /GET \/api\/sessions\/\{id\} could not be understood: status is the text "cancelled", expected "open", "ready" or "done"/);
    const exit = await new GatewayClient({ gatewayUrl: server!.url, token: 't', userAgent: 'exit' }).getSession(sessionId).catch((caught: unknown) => caught);
    assert.ok(exit instanceof GatewayAnswerError);
    assert.match(exit.message, /exit_code is the text "0", expected a number/);
  });

  it('reads a review with its time window, and a Jira template the way hoop reads it', async () => {
    const client = await serve((request, res) => {
      if (request.path.startsWith('/api/reviews/')) {
        return sendJson(res, 200, {
          id: 'r1',
          session: sessionId,
          type: 'onetime',
          status: 'REJECTED',
          rejection_reason: 'not today',
          review_groups_data: [{ id: 'g1', group: 'dba', status: 'REJECTED', reviewed_by: { id: 'u', name: 'Bo', email: 'bo@x' }, review_date: '2026-12-01T10:00:00Z' }],
          time_window: { type: 'time_range', configuration: { start_time: '09:00', end_time: '18:00' } },
          access_request_rule_name: null,
          min_approvals: null,
        });
      }
      sendJson(res, 200, {
        id: 'tpl1',
        name: 'Change request',
        description: '',
        project_key: 'OPS',
        mapping_types: { items: [{ jira_field: 'summary', type: 'preset', value: 'session.connection' }] },
        prompt_types: { items: [{ jira_field: 'customfield_10052', label: 'Reason', description: 'Why', required: 'true', field_type: 'text' }, { jira_field: 'customfield_2', label: 'When', required: false, field_type: 'datetime-local' }] },
        cmdb_types: null,
      });
    });
    const review = await client.getReview(sessionId);
    assert.equal(review.status, 'REJECTED');
    assert.equal(review.rejection_reason, 'not today');
    assert.deepEqual(review.time_window, { type: 'time_range', configuration: { start_time: '09:00', end_time: '18:00' } });
    assert.equal(review.review_groups_data[0].reviewed_by?.email, 'bo@x');
    const template = await client.jiraIssueTemplate('tpl1');
    assert.deepEqual(template.prompt_types.items, [
      { jira_field: 'customfield_10052', label: 'Reason', description: 'Why', required: true, field_type: 'text' },
      { jira_field: 'customfield_2', label: 'When', description: '', required: false, field_type: 'datetime-local' },
    ]);
    assert.deepEqual(template.cmdb_types.items, []);
  });
});
