import { strict as assert } from 'node:assert';
import { encodeEnvVars, parseSecretDeclarations, secretsForRunbook } from '../../src/core/envVars';
import { redactSecrets } from '../../src/core/redact';
import { transcriptFooter, transcriptHeader, transcriptOutput } from '../../src/core/transcript';
import type { RunRequest } from '../../src/core/runRequest';

describe('secret declarations (hoop.secrets)', () => {
  it('reads entries, defaults kind and glob, and reports unusable names', () => {
    const { declarations, problems } = parseSecretDeclarations([
      { name: 'DB_PASSWORD', runbooks: 'ops/db/**' },
      { name: 'KUBECONFIG', kind: 'filesystem' },
      { name: 'BAD:NAME' },
    ]);
    assert.deepEqual(declarations, [
      { name: 'DB_PASSWORD', kind: 'envvar', runbooks: 'ops/db/**' },
      { name: 'KUBECONFIG', kind: 'filesystem', runbooks: '**' },
    ]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /BAD:NAME/);
  });

  it('applies each secret to the runbooks its glob matches', () => {
    const { declarations } = parseSecretDeclarations([{ name: 'DB', runbooks: 'ops/db/**' }, { name: 'ALL' }, { name: 'SQL', runbooks: '*.runbook.sql' }]);
    assert.deepEqual(secretsForRunbook(declarations, 'ops/db/refund.runbook.sql').map((d) => d.name), ['DB', 'ALL', 'SQL']);
    assert.deepEqual(secretsForRunbook(declarations, 'ops/web/restart.runbook.sh').map((d) => d.name), ['ALL']);
  });

  it('encodes values as standard base64 with padding', () => {
    assert.deepEqual(encodeEnvVars([{ name: 'A', kind: 'envvar', value: '123' }]), { 'envvar:A': 'MTIz' });
  });
});

describe('redaction and the transcript', () => {
  const run: RunRequest = {
    gatewayUrl: 'https://gw.example',
    route: 'v2',
    connection: 'bash',
    repository: 'github.com/acme/runbooks',
    fileName: 'ops/x.runbook.sh',
    refHash: '0123456789abcdef0123456789abcdef01234567',
    branch: 'main',
    parameters: { user: 'ana', password: 'hunter2' },
    parameterSpecs: [
      { name: 'user', type: 'text', description: '', required: false },
      { name: 'password', type: 'password', description: '', required: false },
    ],
    envVars: [{ name: 'TOKEN', kind: 'envvar', value: 's3cr3t-value' }],
    clientArgs: [],
    metadata: {},
  };
  const secrets = ['hunter2', 's3cr3t-value'];

  it('masks secret values and their encodings in output', () => {
    assert.equal(redactSecrets('pw=hunter2 b64=aHVudGVyMg== echo=aHVudGVyMgo= hex=68756e74657232', ['hunter2']), 'pw=•••••• b64=•••••• echo=•••••• hex=••••••');
  });

  it('the footer masks a secret that the gateway quotes, JSON-escaped, in its reason', () => {
    const outcome = { kind: 'gatewayFailed' as const, reason: '{"message":"login failed for \\"s3cr3t-value\\" / aHVudGVyMg"}' };
    const footer = transcriptFooter(outcome, 'x.runbook.sh', 'https://gw.example', secrets);
    assert.doesNotMatch(footer, /s3cr3t|aHVudGVyMg/);
    assert.match(footer, /login failed for \\"••••••\\" \/ ••••••/);
  });

  it('the header names parameters with lengths and env vars by name, never their values', () => {
    const header = transcriptHeader(run, 'x.runbook.sh', new Date('2026-11-28T12:00:00Z'));
    assert.match(header, /Runbook:\s+ops\/x\.runbook\.sh/);
    assert.match(header, /Repository:\s+github\.com\/acme\/runbooks @ 0123456789ab \(main\)/);
    assert.match(header, /password \(hidden\), user \(3 chars\)/);
    assert.match(header, /envvar:TOKEN/);
    assert.doesNotMatch(header, /hunter2|s3cr3t|ana\b/);
  });

  it('output and footer mask secrets a runbook echoed, and give exit code, time and session link', () => {
    const outcome = { kind: 'failed' as const, exitCode: 3, output: 'token is s3cr3t-value\n', sessionId: 'abc', executionTimeMs: 1500, truncated: true };
    assert.equal(transcriptOutput(outcome, secrets), 'token is ••••••\n');
    const footer = transcriptFooter(outcome, 'x.runbook.sh', 'https://gw.example', secrets);
    assert.match(footer, /Status:\s+exit 3/);
    assert.match(footer, /Time:\s+1\.5 s/);
    assert.match(footer, /truncated/);
    assert.match(footer, /Session:\s+abc\s+https:\/\/gw\.example\/sessions\/abc/);
  });
});
