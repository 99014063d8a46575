import { strict as assert } from 'node:assert';
import { describeOutcome, interpretExecResponse } from '../../src/core/runOutcome';

/** The six result shapes of hoop-gateway.md §0.5, as the gateway sends them. */
describe('interpretExecResponse', () => {
  it('200 success with exit 0 is a success', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'ok\n', output_status: 'success', exit_code: 0, execution_time: 12, truncated: false, has_review: false });
    assert.equal(outcome.kind, 'succeeded');
    assert.match(describeOutcome(outcome, 'x.runbook.sh'), /finished successfully \(exit 0\)/);
  });

  it('200 failed with a process exit code is a failure with that code', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'boom', output_status: 'failed', exit_code: 3 });
    assert.equal(outcome.kind, 'failed');
  });

  it('200 failed with exit -2 is the gateway failing (agent offline), not the script', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'agent is offline', output_status: 'failed', exit_code: -2 });
    assert.deepEqual(outcome, { kind: 'gatewayFailed', reason: 'agent is offline', sessionId: 's1' });
    assert.equal(describeOutcome(outcome, 'x'), 'The gateway could not run x: agent is offline.');
  });

  it('200 with has_review (and success/exit 0) is a review, not a success', () => {
    const outcome = interpretExecResponse(200, { has_review: true, output: 'https://gw/sessions/s1', session_id: 's1', output_status: 'success', exit_code: 0 });
    assert.deepEqual(outcome, { kind: 'review', sessionId: 's1', reviewUrl: 'https://gw/sessions/s1' });
  });

  it('202 with has_review is an AI-required access request', () => {
    const outcome = interpretExecResponse(202, { has_review: true, output: 'https://gw/sessions/s2', session_id: 's2', output_status: '', exit_code: 0, ai_analysis: { action: 'require_access_request' } });
    assert.equal(outcome.kind, 'aiReview');
  });

  it('200 blocked/254 is an AI block: nothing ran', () => {
    const outcome = interpretExecResponse(200, { session_id: 's3', output: 'Session blocked by AI risk analyzer', output_status: 'blocked', exit_code: 254, ai_analysis: { title: 'Drops a table' } });
    assert.equal(outcome.kind, 'blocked');
    assert.match(describeOutcome(outcome, 'x'), /blocked x: Drops a table\. Nothing ran\./);
  });

  it('202 running keeps going in the background', () => {
    const outcome = interpretExecResponse(202, { session_id: 's4', exit_code: -2, output_status: 'running', has_review: false, output: '' });
    assert.deepEqual(outcome, { kind: 'running', sessionId: 's4' });
  });
});

describe('interpretExecResponse on answers that are not one of hoop shapes', () => {
  const finished = { session_id: 's9', output: 'ok\n', output_status: 'success', exit_code: 0 };
  const unknownReason = (httpStatus: number, body: unknown, raw?: string): string => {
    const outcome = interpretExecResponse(httpStatus, body, raw);
    assert.equal(outcome.kind, 'unknown', JSON.stringify(body));
    return outcome.kind === 'unknown' ? outcome.reason : '';
  };

  it('never calls an empty object, a list, null or a non-JSON body a success', () => {
    assert.equal(unknownReason(200, {}), '"output" is missing, expected a string');
    assert.equal(unknownReason(200, []), 'the answer is a list, not an object');
    assert.equal(unknownReason(200, null), 'the answer is null, not an object');
    assert.equal(unknownReason(200, undefined, '<html>ok</html>'), 'the answer is not JSON');
  });

  it('refuses wrong-typed fields: exit_code as text, output as a number or null', () => {
    assert.equal(unknownReason(200, { ...finished, exit_code: '0' }), '"exit_code" is a string, expected a number');
    assert.equal(unknownReason(200, { ...finished, output: 12345 }), '"output" is a number, expected a string');
    assert.equal(unknownReason(200, { ...finished, output: null }), '"output" is null, expected a string');
    assert.equal(unknownReason(200, { ...finished, has_review: 'false' }), '"has_review" is a string, expected a boolean');
  });

  it('refuses an output_status hoop does not use, and a 202 that is neither running nor a review', () => {
    assert.equal(unknownReason(200, { ...finished, output_status: 'cancelled' }), 'unknown output_status "cancelled"');
    assert.equal(unknownReason(200, { ...finished, output_status: '' }), 'unknown output_status ""');
    assert.match(unknownReason(202, finished), /HTTP 202 with output_status "success" and no review/);
  });

  it('keeps the raw answer for the log, cut at 4 KiB, and says the run may have happened', () => {
    const outcome = interpretExecResponse(200, { output_status: 'cancelled', output: 'x'.repeat(10_000), exit_code: 0, session_id: 's9' });
    assert.equal(outcome.kind, 'unknown');
    assert.ok(outcome.kind === 'unknown' && outcome.raw.length < 4200 && /characters in all\)$/.test(outcome.raw));
    assert.equal(outcome.sessionId, 's9');
    assert.match(describeOutcome(outcome, 'x.runbook.sh'), /could not be understood \(unknown output_status "cancelled"\); the run may have happened: check its session/);
  });

  it('follows the exit code when it contradicts output_status, with a warning', () => {
    const failed = interpretExecResponse(200, { ...finished, exit_code: 1 });
    assert.equal(failed.kind, 'failed');
    assert.equal(failed.kind === 'failed' && failed.warning, 'The gateway reported "success" with exit code 1; this follows the exit code.');
    assert.match(describeOutcome(failed, 'x'), /^x failed with exit code 1\. The gateway reported "success"/);
    const succeeded = interpretExecResponse(200, { ...finished, output_status: 'failed', exit_code: 0 });
    assert.equal(succeeded.kind, 'succeeded');
    assert.match(succeeded.kind === 'succeeded' ? succeeded.warning ?? '' : '', /reported "failed" with exit code 0/);
  });
});
