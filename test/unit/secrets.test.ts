import { strict as assert } from 'node:assert';
import { encodeEnvVars, parseSecretDeclarations } from '../../src/core/envVars';
import { secretsForRunbook } from '../../src/core/secretsForRunbook';
import { redactSecrets } from '../../src/core/redact';

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

describe('redaction', () => {
  it('masks secret values and their encodings in output', () => {
    assert.equal(redactSecrets('pw=hunter2 b64=aHVudGVyMg== echo=aHVudGVyMgo= hex=68756e74657232', ['hunter2']), 'pw=•••••• b64=•••••• echo=•••••• hex=••••••');
  });
});
