import { strict as assert } from 'node:assert';
import { applyExecOutcome } from '../../src/core/run/follow';
import { createOutputMasker } from '../../src/core/run/outputMasker';
import { Run } from '../../src/core/run/run';
import { interpretExecResponse } from '../../src/core/runOutcome';

const secret = 'hunter2-prod';

function newRun(): Run {
  return new Run({ id: 'r', runbookName: 'refund.runbook.sh', connection: 'pg', gatewayUrl: 'https://gw.example', state: 'sending', message: '', startedAt: 0 });
}

/** What a run shows (its output, and its message: notifications, status bar, Runs view, history) never holds a secret. */
describe("a run's message and output are masked", () => {
  it('a gateway failure that quotes the secret, raw or base64', () => {
    const run = newRun();
    const outcome = interpretExecResponse(200, {
      session_id: 's',
      output: `failed decoding env var "DB", value ${secret} / ${Buffer.from(secret).toString('base64')}`,
      output_status: 'failed',
      exit_code: -2,
    });
    applyExecOutcome(run, outcome, createOutputMasker([secret]));
    assert.equal(run.state, 'failed');
    assert.ok(!run.data.message.includes(secret) && !run.data.message.includes(Buffer.from(secret).toString('base64')), run.data.message);
    assert.match(run.data.message, /failed decoding env var/);
    assert.ok(!run.output.includes(secret));
  });

  it('a reason the gateway quotes JSON-escaped', () => {
    const run = newRun();
    const outcome = interpretExecResponse(200, { session_id: 's', output: `{"message":"login failed for ${JSON.stringify(secret + '"x').slice(1, -1)}"}`, output_status: 'failed', exit_code: -2 });
    applyExecOutcome(run, outcome, createOutputMasker([secret + '"x']));
    assert.ok(!run.data.message.includes(secret), run.data.message);
    assert.match(run.data.message, /login failed for/);
  });

  it('says when the gateway cut the output, and which field it believed when its answer contradicted itself', () => {
    const run = newRun();
    applyExecOutcome(run, interpretExecResponse(200, { session_id: 's', output: 'a lot', output_status: 'success', exit_code: 1, truncated: true }), createOutputMasker([]));
    assert.equal(run.state, 'failed');
    assert.equal(run.data.exitCode, 1);
    assert.match(run.data.message, /110 MiB/);
  });

  it('an AI block and a finished run that print it', () => {
    const blocked = newRun();
    applyExecOutcome(blocked, interpretExecResponse(200, { session_id: 's', output: `blocked: ${secret}`, output_status: 'blocked', exit_code: 254 }), createOutputMasker([secret]));
    assert.ok(!blocked.data.message.includes(secret));
    const done = newRun();
    applyExecOutcome(done, interpretExecResponse(200, { session_id: 's', output: `token=${encodeURIComponent(secret)}\n`, output_status: 'success', exit_code: 0 }), createOutputMasker([secret]));
    assert.equal(done.output, 'token=••••••\n');
  });
});
