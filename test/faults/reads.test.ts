import { strict as assert } from 'node:assert';
import { GatewayAnswerError, GatewayHttpError, GatewayUnreachableError } from '../../src/core/errors';
import type { GatewayClient } from '../../src/core/gatewayClient';
import { scriptedServers, type ScriptedHandler } from '../support/scriptedServer';
import { fault } from './faults';
import { attempt, expectError, faultClient, faultLimits } from './harness';
import { selfSignedCertificate } from './tls';

/** The reads a run starts with, each against the faults: typed errors naming the route, within the timeout. */
const reads: { label: string; route: string; call: (client: GatewayClient, signal?: AbortSignal) => Promise<unknown>; good: unknown }[] = [
  {
    label: 'list runbooks',
    route: '/api/runbooks',
    call: (client, signal) => client.listRunbooks('v2', signal),
    good: { errors: null, repositories: [{ repository: 'github.com/acme/runbooks', commit: 'abc', items: [{ name: 'ops/a.runbook.sh', metadata: { id: { description: '', required: true, type: 'text' } }, connections: ['pg'], error: null }] }] },
  },
  { label: 'list connections', route: '/api/connections', call: (client, signal) => client.listConnections(signal), good: [{ id: 'c1', name: 'pg', type: 'database', subtype: 'postgres', status: 'online', access_mode_runbooks: 'enabled', reviewers: null, mandatory_metadata_fields: null }] },
  { label: "read the gateway's server information", route: '/api/serverinfo', call: (client, signal) => client.serverInfo(signal), good: { version: '1.148.0', api_url: 'https://gw' } },
];

describe('faults at the reads', function () {
  this.timeout(15_000);
  const serve = scriptedServers();

  for (const read of reads) {
    describe(`${read.label} (GET ${read.route})`, () => {
      async function readAgainst(handler: ScriptedHandler) {
        const server = await serve(handler);
        return attempt(() => read.call(faultClient(server.url)));
      }
      const label = read.label.replace(/[()']/g, '.');

      const httpCases: { name: string; handler: ScriptedHandler; words: RegExp; status: number }[] = [
        { name: 'a 500 HTML page', handler: fault.htmlPage(500), words: new RegExp(`^Could not ${label}: the gateway answered 500 with an HTML page .*a proxy in front of it, failed`), status: 500 },
        { name: 'an empty 502', handler: fault.empty(502), words: /answered 502 with an empty body\./, status: 502 },
        { name: 'an empty 504', handler: fault.empty(504), words: /answered 504 with an empty body\./, status: 504 },
        { name: 'a non-JSON 401', handler: fault.text(401, 'text/plain', 'Unauthorized'), words: /answered 401 "Unauthorized"\. Sign in again with "Hoop: Sign In"/, status: 401 },
        { name: 'a 429 with Retry-After', handler: fault.text(429, 'text/plain', '', { 'retry-after': '12' }), words: /answered 429: rate limited, retry after 12 s\. Wait 12 s, then try again\.$/, status: 429 },
      ];
      for (const { name, handler, words, status } of httpCases) {
        it(`${name}: a GatewayHttpError with the status and what to do`, async () => {
          const error = expectError(await readAgainst(handler), GatewayHttpError, words);
          assert.equal(error.status, status);
        });
      }

      const brokenCases: { name: string; handler: ScriptedHandler; words: RegExp; timedOut?: boolean }[] = [
        { name: 'a reset in the middle of the body', handler: fault.resetMidBody(), words: new RegExp(`broke while reading its answer to ${label} \\(\\w+\\)`) },
        { name: 'a connection closed before any answer', handler: fault.closeBeforeAnswer(), words: new RegExp(`broke before its answer to ${label}`) },
        { name: 'a broken chunked encoding', handler: fault.invalidChunk(), words: /broke while reading its answer .*\((HPE_INVALID_CHUNK_SIZE|HTTPParserError)\)/ },
        { name: 'a body that trickles a byte at a time', handler: fault.slowDrip(100), words: new RegExp(`did not answer in time to ${label} \\(1 s\\)`), timedOut: true },
        { name: 'a stall before the headers', handler: fault.stallBeforeHeaders(), words: /did not answer in time .*\(1 s\)/, timedOut: true },
        { name: 'a stall after the headers', handler: fault.stallAfterHeaders(), words: /did not answer in time .*\(1 s\)/, timedOut: true },
      ];
      for (const { name, handler, words, timedOut = false } of brokenCases) {
        it(`${name}: GatewayUnreachableError within the timeout`, async () => {
          const error = expectError(await readAgainst(handler), GatewayUnreachableError, words);
          assert.equal(error.timedOut, timedOut);
        });
      }

      const answerCases: { name: string; handler: ScriptedHandler; words: RegExp }[] = [
        { name: 'invalid JSON', handler: fault.text(200, 'application/json', '{"items": ['), words: new RegExp(`answered GET ${read.route} with something that is not JSON\\. Check "hoop.gatewayUrl"`) },
        { name: 'an empty body', handler: fault.text(200, 'application/json', ''), words: /not JSON \(an empty body\)/ },
        { name: 'a body larger than the cap', handler: fault.huge(faultLimits.read + 1024), words: new RegExp(`answer to ${label} was too large, so reading it stopped \\(cut\\)`) },
        { name: 'a body compressed in an unknown way', handler: fault.text(200, 'application/json', 'xx', { 'content-encoding': 'compress' }), words: /compressed as "compress", which could not be decoded/ },
      ];
      for (const { name, handler, words } of answerCases) {
        it(`${name}: GatewayAnswerError`, async () => {
          expectError(await readAgainst(handler), GatewayAnswerError, words);
        });
      }

      it('a gzip body: decoded', async () => {
        const result = await readAgainst(fault.gzip(read.good));
        assert.ok(result.value, String(result.error));
      });

      it('a redirect to another origin: not followed, nothing sent there, names the address to set', async () => {
        const elsewhere = await serve(fault.json(200, read.good));
        const error = expectError(await readAgainst(fault.redirect(302, `${elsewhere.url}${read.route}`)), GatewayHttpError, new RegExp(`redirected \\(302\\) to ${elsewhere.url}${read.route}.*Set "hoop.gatewayUrl" to ${elsewhere.url} if that is the gateway`));
        assert.equal(error.status, 302);
        assert.equal(elsewhere.requests.length, 0);
      });
    });
  }

  describe('malformed listings name the route and the field', () => {
    const listing = reads[0].good as { repositories: { items: Record<string, unknown>[] }[] };
    const item = listing.repositories[0].items[0];
    const cases: { name: string; route: string; body: unknown; words: RegExp }[] = [
      { name: 'a null connection list', route: '/api/connections', body: null, words: /GET \/api\/connections could not be understood: the body is null, expected a list of connections/ },
      { name: 'a paged connection list without data', route: '/api/connections', body: { pages: { total: 0 } }, words: /data is missing, expected a list of connections/ },
      { name: 'a connection without a name', route: '/api/connections', body: [{ id: 'c1', name: null }], words: /\[0\]\.name is null, expected a string/ },
      { name: 'a string where the repositories list belongs', route: '/api/runbooks', body: { repositories: 'github.com/acme/runbooks' }, words: /GET \/api\/runbooks could not be understood: repositories is the text "github.com\/acme\/runbooks", expected a list/ },
      { name: 'a null metadata value', route: '/api/runbooks', body: { repositories: [{ repository: 'r', items: [{ ...item, metadata: { id: null } }] }] }, words: /repositories\[0\]\.items\[0\]\.metadata\.id is null, expected an object/ },
      { name: 'a number where options belong', route: '/api/runbooks', body: { repositories: [{ repository: 'r', items: [{ ...item, metadata: { id: { type: 'select', options: 5 } } }] }] }, words: /metadata\.id\.options is number 5, expected a list/ },
      { name: 'a list where the server information belongs', route: '/api/serverinfo', body: [], words: /GET \/api\/serverinfo could not be understood: the body is a list, expected an object/ },
    ];
    for (const { name, route, body, words } of cases) {
      it(`${name}: GatewayAnswerError, no TypeError`, async () => {
        const server = await serve(fault.json(200, body));
        const read = reads.find((entry) => entry.route === route)!;
        expectError(await attempt(() => read.call(faultClient(server.url))), GatewayAnswerError, words);
      });
    }
  });

  describe('nothing could be reached', () => {
    const read = reads[0];
    it('connection refused', async () => {
      const closed = await serve(fault.json(200, read.good));
      await closed.close();
      expectError(await attempt(() => read.call(faultClient(closed.url))), GatewayUnreachableError, /nothing accepts connections at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    });

    it('a host name that does not resolve', async () => {
      expectError(await attempt(() => read.call(faultClient('http://gateway.nonexistent.invalid'))), GatewayUnreachableError, /the host name gateway\.nonexistent\.invalid does not resolve/);
    });

    it('a self-signed TLS certificate', async () => {
      const server = await serve(fault.json(200, read.good), selfSignedCertificate('IP:127.0.0.1'));
      expectError(await attempt(() => read.call(faultClient(server.url))), GatewayUnreachableError, /Could not connect securely to the gateway at https:\/\/127\.0\.0\.1:\d+: .*self-signed.*"caFile"/);
      assert.equal(server.requests.length, 0);
    });
  });

  it('every read takes the caller cancellation', async () => {
    const server = await serve(fault.stallBeforeHeaders());
    for (const read of reads) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const result = await attempt(() => read.call(faultClient(server.url), controller.signal));
      assert.equal((result.error as Error | undefined)?.name, 'CancelledError', read.label);
      assert.ok(result.elapsedMs < 900, `${read.label} stopped after ${result.elapsedMs} ms, not at the cancellation`);
    }
  });
});
