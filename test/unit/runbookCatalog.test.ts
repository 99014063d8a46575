import { strict as assert } from 'node:assert';
import { connectionsForRunbook, findRunbook, gatewayCommitFor } from '../../src/core/runbookCatalog';

describe('connections offered for a runbook', () => {
  const connections = [
    { name: 'pg', subtype: 'postgres', access_mode_runbooks: 'enabled', status: 'online' },
    { name: 'ssh-box', subtype: 'ssh', access_mode_runbooks: 'enabled' },
    { name: 'off', subtype: 'mysql', access_mode_runbooks: 'disabled' },
    { name: 'bash', subtype: 'custom', access_mode_runbooks: 'enabled' },
  ];

  it('keeps runbook-enabled connections of subtypes that can run runbooks, like the web UI', () => {
    assert.deepEqual(connectionsForRunbook(connections, undefined).map((c) => c.name), ['pg', 'bash']);
  });

  it("narrows to the runbook's allowed connections when the gateway lists them", () => {
    assert.deepEqual(connectionsForRunbook(connections, ['bash']).map((c) => c.name), ['bash']);
  });
});

describe('finding a runbook in the gateway listing', () => {
  const listing = {
    repositories: [
      { repository: 'github.com/acme/runbooks', items: [{ name: 'ops/x.runbook.sh', metadata: {} }] },
      { repository: 'github.com/acme/other', items: [{ name: 'y.runbook.sql', metadata: {} }] },
    ],
  };

  it('matches repository and file name', () => {
    assert.equal(findRunbook(listing, 'github.com/acme/runbooks', 'ops/x.runbook.sh')?.repository, 'github.com/acme/runbooks');
    assert.equal(findRunbook(listing, 'github.com/acme/runbooks', 'y.runbook.sql'), undefined);
  });

  it('falls back to a unique file name when the local origin is not a listed repository', () => {
    assert.equal(findRunbook(listing, undefined, 'y.runbook.sql')?.repository, 'github.com/acme/other');
  });

  it('reads the legacy flat list', () => {
    assert.equal(findRunbook({ items: [{ name: 'a.runbook.sh' }] }, undefined, 'a.runbook.sh')?.item.name, 'a.runbook.sh');
  });
});

describe('the commit the gateway serves', () => {
  it('is per repository on V2 and top-level on the legacy routes', () => {
    const v2 = { repositories: [{ repository: 'github.com/acme/a', commit: 'aaa' }, { repository: 'github.com/acme/b', commit: 'bbb' }] };
    assert.equal(gatewayCommitFor(v2, 'github.com/acme/b'), 'bbb');
    assert.equal(gatewayCommitFor(v2, 'github.com/acme/c'), undefined);
    assert.equal(gatewayCommitFor({ items: [], commit: 'ccc' }, 'anything'), 'ccc');
  });
});
