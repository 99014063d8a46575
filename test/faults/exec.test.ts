import { strict as assert } from 'node:assert';
import { Agent } from 'undici';
import { CancelledError, GatewayHttpError, GatewayUnreachableError, RejectedTokenError, RunStateUnknownError } from '../../src/core/errors';
import type { ExecResult } from '../../src/core/gatewayClient';
import { SecretMasker, secretMask } from '../../src/core/redact';
import { applyExecOutcome } from '../../src/core/run/follow';
import { createOutputMasker } from '../../src/core/run/outputMasker';
import { Run, runOutputMaxChars } from '../../src/core/run/run';
import { interpretExecResponse, type RunOutcome } from '../../src/core/runOutcome';
import { scriptedServers, type ScriptedHandler, type ScriptedServer } from '../support/scriptedServer';
import { fault, hoopSuccess } from './faults';
import { attempt, correlationId, execBody, expectError, faultClient, faultLimits, type Attempt } from './harness';
import { selfSignedCertificate } from './tls';

const execRoute = '/api/runbooks/exec';
const mayHaveRun = new RegExp(`^The run may have happened: .*Before running it again, find its session \\(correlation id "${correlationId}"\\) at http://127\\.0\\.0\\.1:\\d+/sessions\\.`);

/**
 * POST /api/runbooks/exec against each fault: the typed error or outcome, the words the user sees,
 * the time taken, and how many exec requests reached the server (never more than one).
 */
describe('faults at exec', function () {
  this.timeout(15_000);
  const serve = scriptedServers();

  async function execAgainst(handler: ScriptedHandler): Promise<{ result: Attempt<ExecResult>; server: ScriptedServer }> {
    const server = await serve(handler);
    const result = await attempt(() => faultClient(server.url).exec('v2', execBody));
    return { result, server };
  }

  function outcomeOf(result: Attempt<ExecResult>): RunOutcome {
    assert.ok(result.value, `exec failed: ${String(result.error)}`);
    return interpretExecResponse(result.value.status, result.value.body, result.value.text);
  }

  describe('answers that do not prove whether the run happened', () => {
    const cases: { name: string; handler: ScriptedHandler; words: RegExp; status?: number; timedOut?: boolean }[] = [
      { name: 'a 500 HTML page', handler: fault.htmlPage(500), words: /the gateway answered 500 with an HTML page \("500 Internal Server Error"\), not hoop's answer/, status: 500 },
      { name: "hoop's own JSON 500", handler: fault.json(500, { message: 'failed creating client for runbook execution: eof' }), words: /answered 500 "failed creating client for runbook execution: eof"/, status: 500 },
      { name: 'an empty 502', handler: fault.empty(502), words: /answered 502 with an empty body/, status: 502 },
      { name: 'an empty 503', handler: fault.empty(503), words: /answered 503 with an empty body/, status: 503 },
      { name: 'an empty 504', handler: fault.empty(504), words: /answered 504 with an empty body.*a proxy in front of it, failed/, status: 504 },
      { name: 'a reset in the middle of the body', handler: fault.resetMidBody(), words: /the connection broke \(\w+\) while the gateway's 200 answer was being read/, status: 200 },
      { name: 'a connection closed before any answer', handler: fault.closeBeforeAnswer(), words: /the connection to the gateway broke \(\w+\) before any answer/ },
      { name: 'a body that trickles a byte at a time', handler: fault.slowDrip(100), words: /the gateway's answer did not finish within 1 s/, status: 200, timedOut: true },
      { name: 'a stall before the headers', handler: fault.stallBeforeHeaders(), words: /the gateway did not answer within 1 s/, timedOut: true },
      { name: 'a stall after the headers', handler: fault.stallAfterHeaders(), words: /the gateway's answer did not finish within 1 s/, status: 200, timedOut: true },
      { name: 'a body larger than the cap', handler: fault.huge(faultLimits.run + 1024 * 1024), words: /the gateway's answer was larger than this extension reads, so it stopped reading it \(cut\)/, status: 200 },
      { name: 'a non-JSON 401 (a proxy)', handler: fault.text(401, 'text/html', '<html><title>401 Authorization Required</title></html>'), words: /answered 401 with an HTML page/, status: 401 },
      { name: 'a 429 with Retry-After', handler: fault.text(429, 'text/plain', 'slow down', { 'retry-after': '30' }), words: /answered 429: rate limited, retry after 30 s, .* Wait 30 s, then try again\.$/, status: 429 },
      { name: 'a broken chunked encoding', handler: fault.invalidChunk(), words: /the connection broke \((HPE_INVALID_CHUNK_SIZE|HTTPParserError)\) while the gateway's 200 answer was being read/, status: 200 },
      { name: 'a body compressed in an unknown way', handler: fault.text(200, 'application/json', 'xx', { 'content-encoding': 'compress' }), words: /the gateway's answer came compressed as "compress", which could not be decoded/, status: 200 },
    ];
    for (const { name, handler, words, status, timedOut = false } of cases) {
      it(`${name}: the run may have happened, find it by its correlation id; one POST`, async () => {
        const { result, server } = await execAgainst(handler);
        const error = expectError(result, RunStateUnknownError, mayHaveRun);
        assert.match(error.message, words);
        assert.equal(error.correlationId, correlationId);
        assert.equal(error.httpStatus, status);
        assert.equal(error.timedOut, timedOut);
        assert.equal(server.count('POST', execRoute), 1);
      });
    }

    it('a redirect to another origin: not followed, no token sent there, names the address to set', async () => {
      const elsewhere = await serve(fault.json(200, hoopSuccess));
      const { result, server } = await execAgainst(fault.redirect(307, `${elsewhere.url}/prefix${execRoute}`));
      const error = expectError(result, RunStateUnknownError, mayHaveRun);
      assert.match(error.message, new RegExp(`redirected \\(307\\) to ${elsewhere.url}/prefix/api/runbooks/exec.*Set "hoop.gatewayUrl" to ${elsewhere.url}/prefix if that is the gateway`));
      assert.equal(elsewhere.requests.length, 0, 'nothing, and so no Authorization, reached the other origin');
      assert.equal(server.count('POST', execRoute), 1);
    });
  });

  describe('answers that are not one of hoop shapes', () => {
    // `sent`: the answer's text; the raw answer the log shows is that text, or the same JSON.
    const cases: { name: string; sent: string; reason: RegExp }[] = [
      { name: 'invalid JSON', sent: '{"output_status": "succ', reason: /^the answer is not JSON$/ },
      { name: 'an empty body', sent: '', reason: /^the answer is not JSON$/ },
      { name: 'an empty object', sent: '{}', reason: /"output" is missing/ },
      { name: 'an unknown output_status', sent: JSON.stringify({ ...hoopSuccess, output_status: 'cancelled' }), reason: /unknown output_status "cancelled"/ },
      { name: 'exit_code as text', sent: JSON.stringify({ ...hoopSuccess, exit_code: '0' }), reason: /"exit_code" is a string/ },
      { name: 'output as a number', sent: JSON.stringify({ ...hoopSuccess, output: 12345 }), reason: /"output" is a number/ },
    ];
    for (const { name, sent, reason } of cases) {
      it(`${name}: an unknown outcome with the raw answer, never success; one POST`, async () => {
        const { result, server } = await execAgainst(fault.text(200, 'application/json', sent));
        const outcome = outcomeOf(result);
        assert.equal(outcome.kind, 'unknown');
        assert.match(outcome.kind === 'unknown' ? outcome.reason : '', reason);
        const raw = outcome.kind === 'unknown' ? outcome.raw : '';
        const sentObject = /^\{.*\}$/.test(sent) ? (JSON.parse(sent) as unknown) : undefined;
        if (sentObject) assert.deepEqual(JSON.parse(raw), sentObject);
        else assert.equal(raw, sent);
        assert.equal(server.count('POST', execRoute), 1);
      });
    }
  });

  it('a 6 MiB output in 1000-byte pieces: the run keeps its masked end and says how much came before; a secret cut across pieces is masked', async () => {
    const secret = 'hunter2-prod-secret';
    // Lines of varied length, so the secret falls across piece boundaries at many offsets; escapes and a non-ASCII letter too.
    const lines = Array.from({ length: 110_000 }, (_, index) => `${index} ${'é'.repeat(index % 7)}\t${index % 13 === 0 ? secret : 'x'.repeat(index % 97)}"\n`);
    const output = lines.join('');
    const server = await serve(fault.inPieces({ ...hoopSuccess, output }, 1000));
    const masker = createOutputMasker([secret]);
    const answer = await faultClient(server.url, { maxAnswerBytes: { run: 64 * 1024 * 1024 }, execTimeoutMs: 10_000 }).exec('v2', execBody, undefined, masker.answerSink());
    const run = new Run({ id: 'r', runbookName: 'big.runbook.sh', connection: 'bash', gatewayUrl: server.url, state: 'sending', message: '', startedAt: 0 });
    applyExecOutcome(run, interpretExecResponse(answer.status, answer.body, answer.text), masker, { charsDropped: answer.outputCharsDropped });

    const maskedWhole = new SecretMasker([secret]).mask(output);
    assert.equal(run.state, 'done');
    assert.ok(maskedWhole.length > runOutputMaxChars, 'the output is longer than a run keeps');
    assert.equal(run.output, maskedWhole.slice(-runOutputMaxChars));
    assert.equal(run.outputCharsDropped, maskedWhole.length - runOutputMaxChars);
    assert.ok(!run.output.includes(secret) && run.output.includes(secretMask), 'the secret is masked, wherever the pieces cut it');
    assert.equal(server.count('POST', execRoute), 1);
  });

  it('a gzip body despite accept-encoding identity: decoded', async () => {
    const { result, server } = await execAgainst(fault.gzip(hoopSuccess));
    const outcome = outcomeOf(result);
    assert.equal(outcome.kind === 'succeeded' && outcome.output, 'hello\n');
    assert.equal(server.requests[0].headers['accept-encoding'], 'identity');
    assert.equal(server.count('POST', execRoute), 1);
  });

  it("hoop's own JSON 400: nothing ran, said so; one POST", async () => {
    const { result, server } = await execAgainst(fault.json(400, { message: 'the following inputs are missing [amount]' }));
    const error = expectError(result, GatewayHttpError, /^Could not run the runbook: the gateway answered 400 "the following inputs are missing \[amount\]"\. Nothing ran\./);
    assert.equal(error.status, 400);
    assert.equal(server.count('POST', execRoute), 1);
  });

  it("hoop's 401: nothing ran; the same token is never sent to exec again, a new one is", async () => {
    const server = await serve((request, res) =>
      request.headers.authorization === 'Bearer hpk_new' ? fault.json(200, hoopSuccess)(request, res, undefined as never) : fault.json(401, { message: 'access denied' })(request, res, undefined as never),
    );
    const first = await attempt(() => faultClient(server.url).exec('v2', execBody));
    expectError(first, GatewayHttpError, /answered 401 "access denied"\. Nothing ran\. Sign in again with "Hoop: Sign In"/);
    const again = await attempt(() => faultClient(server.url).exec('v2', execBody));
    expectError(again, RejectedTokenError, /^Not sent: the gateway at .* already rejected this token \(401\).*Nothing ran\./);
    assert.equal(server.count('POST', execRoute), 1);
    const renewed = await attempt(() => faultClient(server.url, { token: 'hpk_new' }).exec('v2', execBody));
    assert.equal(outcomeOf(renewed).kind, 'succeeded');
    assert.equal(server.count('POST', execRoute), 2);
  });

  it('cancelled while waiting: stopped, and the run may still happen; one POST', async () => {
    const server = await serve(fault.stallBeforeHeaders());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await attempt(() => faultClient(server.url).exec('v2', execBody, controller.signal));
    const error = expectError(result, CancelledError, /^Stopped waiting for the gateway\. The run may still happen: find its session \(correlation id "corr-fault-1"\)/);
    assert.equal(error.silent, false);
    assert.equal(server.count('POST', execRoute), 1);
  });

  describe('nothing could be sent', () => {
    it('connection refused: nothing ran; no POST', async () => {
      const closed = await serve(fault.json(200, hoopSuccess));
      await closed.close();
      const result = await attempt(() => faultClient(closed.url).exec('v2', execBody));
      expectError(result, GatewayUnreachableError, /nothing accepts connections at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. .*Nothing was sent, so nothing ran\.$/);
      assert.equal(closed.requests.length, 0);
    });

    it('a host name that does not resolve: nothing ran', async () => {
      const result = await attempt(() => faultClient('http://gateway.nonexistent.invalid').exec('v2', execBody));
      expectError(result, GatewayUnreachableError, /the host name gateway\.nonexistent\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\)\. .*Nothing was sent, so nothing ran\.$/);
    });

    it('a self-signed TLS certificate: names the problem and the caFile setting; no POST; trusted through the dispatcher it runs', async () => {
      const certificate = selfSignedCertificate('IP:127.0.0.1');
      const server = await serve(fault.json(200, hoopSuccess), certificate);
      const result = await attempt(() => faultClient(server.url).exec('v2', execBody));
      expectError(result, GatewayUnreachableError, /self-signed or signed by a CA this machine does not trust \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)\. .*"caFile" for this gateway in "hoop\.gateways".*Nothing was sent, so nothing ran\.$/);
      assert.equal(server.count('POST', execRoute), 0);
      const trusted = new Agent({ connect: { ca: certificate.cert } });
      try {
        const ran = await attempt(() => faultClient(server.url, { dispatcher: trusted }).exec('v2', execBody));
        assert.equal(outcomeOf(ran).kind, 'succeeded');
      } finally {
        await trusted.close();
      }
      assert.equal(server.count('POST', execRoute), 1);
    });

    it('a certificate for another host name: names it and the setting', async () => {
      const certificate = selfSignedCertificate('DNS:gateway.example.com');
      const server = await serve(fault.json(200, hoopSuccess), certificate);
      const trusted = new Agent({ connect: { ca: certificate.cert } });
      try {
        const result = await attempt(() => faultClient(server.url, { dispatcher: trusted }).exec('v2', execBody));
        expectError(result, GatewayUnreachableError, /certificate is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)\. Check that "hoop\.gatewayUrl"/);
      } finally {
        await trusted.close();
      }
      assert.equal(server.count('POST', execRoute), 0);
    });
  });
});
