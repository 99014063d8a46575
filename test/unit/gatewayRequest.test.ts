import { strict as assert } from 'node:assert';
import { authHeaders, execBodyFor, execPath, isLegacyApiKey, routeForVersion } from '../../src/core/gatewayClient';
import { nextStepFor } from '../../src/core/gatewayErrors';
import { buildExecBody, secretValuesOf, type RunRequest } from '../../src/core/runRequest';

const run: RunRequest = {
  gatewayUrl: 'https://gw.example',
  route: 'v2',
  connection: 'pg prod',
  repository: 'github.com/acme/runbooks',
  fileName: 'ops/refund.runbook.sql',
  refHash: 'a'.repeat(40),
  parameters: { amount: '10', password: 'hunter2' },
  parameterSpecs: [
    { name: 'amount', type: 'number', description: '', required: true },
    { name: 'password', type: 'password', description: '', required: false },
  ],
  envVars: [
    { name: 'DB_PASSWORD', kind: 'envvar', value: 'p@ss' },
    { name: 'KUBECONFIG', kind: 'filesystem', value: 'apiVersion: v1\n' },
  ],
  clientArgs: ['--verbose'],
  metadata: { ticket: 'OPS-1' },
};

describe('exec request building', () => {
  it('builds the V2 body with string parameters and base64 env_vars keyed envvar:/filesystem:', () => {
    assert.deepEqual(buildExecBody(run), {
      connection_name: 'pg prod',
      repository: 'github.com/acme/runbooks',
      file_name: 'ops/refund.runbook.sql',
      ref_hash: 'a'.repeat(40),
      parameters: { amount: '10', password: 'hunter2' },
      env_vars: { 'envvar:DB_PASSWORD': 'cEBzcw==', 'filesystem:KUBECONFIG': 'YXBpVmVyc2lvbjogdjEK' },
      client_args: ['--verbose'],
      metadata: { ticket: 'OPS-1' },
    });
  });

  it('carries correlation_id, session_batch_id and jira_fields only when the run has them', () => {
    const body = buildExecBody({ ...run, correlationId: 'run-1', sessionBatchId: 'batch-1', jiraFields: { customfield_1: 'why' } });
    assert.equal(body.correlation_id, 'run-1');
    assert.equal(body.session_batch_id, 'batch-1');
    assert.deepEqual(body.jira_fields, { customfield_1: 'why' });
    assert.equal('correlation_id' in buildExecBody(run), false);
  });

  it('drops connection_name, repository and correlation_id on the legacy route, which takes the connection from its path', () => {
    const legacy = execBodyFor('legacy', buildExecBody({ ...run, correlationId: 'run-1', sessionBatchId: 'batch-1' }));
    assert.equal('connection_name' in legacy, false);
    assert.equal('repository' in legacy, false);
    assert.equal('correlation_id' in legacy, false);
    assert.equal(legacy.session_batch_id, 'batch-1');
    assert.equal(execPath('legacy', 'pg prod'), '/api/plugins/runbooks/connections/pg%20prod/exec');
    assert.equal(execPath('v2', 'pg prod'), '/api/runbooks/exec');
  });

  it('knows which values are secret: password parameters and env var values', () => {
    assert.deepEqual(secretValuesOf(run), ['hunter2', 'p@ss', 'apiVersion: v1\n']);
  });
});

describe('auth headers', () => {
  it('sends Bearer always, and Api-Key too for legacy keys like the hoop CLI', () => {
    assert.deepEqual(authHeaders('hpk_abc'), { authorization: 'Bearer hpk_abc' });
    assert.equal(isLegacyApiKey('xapi-123'), true);
    assert.equal(isLegacyApiKey('8d3c6a4e-0b1f-4c1a-9d2e-1234567890ab|secret'), true);
    assert.equal(authHeaders('xapi-123')['api-key'], 'xapi-123');
    assert.equal(isLegacyApiKey('eyJhbGciOi.jwt'), false);
  });
});

describe('gateway error next steps', () => {
  it('names what to do for each status hoop documents', () => {
    assert.match(nextStepFor(401, 'access denied'), /Hoop: Sign In/);
    assert.match(nextStepFor(403, 'user is not allowed to run this runbook on this connection'), /runbook rules|auditor/);
    assert.match(nextStepFor(404, 'connection not found'), /pick another connection/);
    assert.match(nextStepFor(404, 'runbook configuration not found'), /no runbook repository configured/);
    assert.match(nextStepFor(404, 'runbook file ops/x.runbook.sh not found on git repo'), /commit and push/);
    assert.match(nextStepFor(422, 'missing required metadata field: ticket'), /"ticket"/);
    assert.match(nextStepFor(500, 'failed cloning runbook repository'), /gateway failed on its side/);
  });
});

describe('API route from the gateway version', () => {
  it('uses V2 from 1.43.1 on, comparing numbers not text', () => {
    assert.equal(routeForVersion('1.43.0').route, 'legacy');
    assert.equal(routeForVersion('1.9.99').route, 'legacy');
    assert.equal(routeForVersion('1.43.1').route, 'v2');
    assert.equal(routeForVersion('v1.100.0').route, 'v2');
    assert.equal(routeForVersion('2.0.0').route, 'v2');
    assert.equal(routeForVersion('1.43.1').note, undefined);
    assert.match(routeForVersion('unknown').note ?? '', /not a release number/);
  });
});
