import { strict as assert } from 'node:assert';
import { describeOutcome, interpretExecResponse, outcomeLabel } from '../../src/core/runOutcome';

/** The six result shapes of hoop-gateway.md §0.5, as the gateway sends them. */
describe('interpretExecResponse', () => {
  it('200 success with exit 0 is a success', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'ok\n', output_status: 'success', exit_code: 0, execution_time: 12, truncated: false, has_review: false });
    assert.equal(outcome.kind, 'succeeded');
    assert.equal(outcomeLabel(outcome), 'exit 0');
    assert.match(describeOutcome(outcome, 'x.runbook.sh'), /finished successfully \(exit 0\)/);
  });

  it('200 failed with a process exit code is a failure with that code', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'boom', output_status: 'failed', exit_code: 3 });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcomeLabel(outcome), 'exit 3');
  });

  it('200 failed with exit -2 is the gateway failing (agent offline), not the script', () => {
    const outcome = interpretExecResponse(200, { session_id: 's1', output: 'agent is offline', output_status: 'failed', exit_code: -2 });
    assert.deepEqual(outcome, { kind: 'gatewayFailed', reason: 'agent is offline', sessionId: 's1' });
    assert.equal(describeOutcome(outcome, 'x'), 'The gateway could not run x: agent is offline.');
    assert.equal(outcomeLabel(outcome), 'failed');
  });

  it('200 with has_review (and success/exit 0) is a review, not a success', () => {
    const outcome = interpretExecResponse(200, { has_review: true, output: 'https://gw/sessions/s1', session_id: 's1', output_status: 'success', exit_code: 0 });
    assert.deepEqual(outcome, { kind: 'review', sessionId: 's1', reviewUrl: 'https://gw/sessions/s1' });
    assert.equal(outcomeLabel(outcome), 'review');
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
    assert.equal(outcomeLabel(outcome), 'running');
  });
});
