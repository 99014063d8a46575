import { strict as assert } from 'node:assert';
import { describeAnswer, redirectedGatewayUrl, retryAfterSeconds } from '../../src/core/http/answer';
import { readSse, type SseMessage } from '../../src/core/http/sse';

async function messagesOf(chunks: string[]): Promise<SseMessage[]> {
  async function* bytes() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const seen: SseMessage[] = [];
  for await (const message of readSse(bytes())) seen.push(message);
  return seen;
}

describe('server-sent events', () => {
  it('joins data lines, skips comments, and handles CRLF split across chunks', async () => {
    assert.deepEqual(await messagesOf([': connected\r', '\n\r\nevent: event\r', '\ndata: a\r\ndata:b\r\n', '\r\n', 'event: session_end\ndata: {}\n\n']), [
      { event: 'event', data: 'a\nb' },
      { event: 'session_end', data: '{}' },
    ]);
  });

  it('keeps a UTF-8 character split across chunks, and drops a message the stream never finished', async () => {
    const euro = Buffer.from('data: €\n\n');
    async function* split() {
      yield euro.subarray(0, 7);
      yield euro.subarray(7);
      yield Buffer.from('data: cut');
    }
    const seen: SseMessage[] = [];
    for await (const message of readSse(split())) seen.push(message);
    assert.deepEqual(seen, [{ event: 'message', data: '€' }]);
  });
});

describe('words for answers that are not success', () => {
  const answer = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

  it('names an HTML page by its title, an empty body as empty, and quotes hoop', () => {
    assert.equal(describeAnswer(answer(502, '<html><head><title>502 Bad Gateway</title></head></html>', { 'content-type': 'text/html' }), 'https://gw'), 'answered 502 with an HTML page ("502 Bad Gateway"), not hoop\'s answer');
    assert.equal(describeAnswer(answer(504, ''), 'https://gw'), 'answered 504 with an empty body');
    assert.equal(describeAnswer(answer(404, '{"message":"connection not found"}', { 'content-type': 'application/json; charset=utf-8' }), 'https://gw'), 'answered 404 "connection not found"');
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(retryAfterSeconds(answer(429, '', { 'retry-after': '120' })), 120);
    assert.equal(retryAfterSeconds(answer(429, '', { 'retry-after': 'Tue, 01 Dec 2026 10:00:30 GMT' }), Date.parse('Tue, 01 Dec 2026 10:00:00 GMT')), 30);
    assert.equal(retryAfterSeconds(answer(429, '', { 'retry-after': 'soon' })), undefined);
  });

  it('suggests the gateway address from a redirect, keeping a path prefix and resolving relative locations', () => {
    assert.equal(redirectedGatewayUrl('https://hoop.example/api/runbooks/exec', 'http://hoop.example/api/runbooks/exec', '/api/runbooks/exec'), 'https://hoop.example');
    assert.equal(redirectedGatewayUrl('/hoop/api/runbooks', 'https://gw.example/api/runbooks', '/api/runbooks?list_connections=true'), 'https://gw.example/hoop');
    assert.equal(redirectedGatewayUrl('https://sso.example/login?next=1', 'https://gw.example/api/connections', '/api/connections'), 'https://sso.example');
  });
});
