import { strict as assert } from 'node:assert';
import type * as vscode from 'vscode';
import { SecretStore } from '../../src/secretStore';

/** VS Code's SecretStorage, in memory: what it holds is what the test inspects. */
function memorySecretStorage(): vscode.SecretStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key: string) => entries.get(key),
    store: async (key: string, value: string) => void entries.set(key, value),
    delete: async (key: string) => void entries.delete(key),
    onDidChange: (() => ({ dispose() {} })) as unknown as vscode.Event<vscode.SecretStorageChangeEvent>,
  };
}

describe('SecretStore', () => {
  it('Forget removes every secret value it ever stored, for every gateway, whatever the settings say now', async () => {
    const storage = memorySecretStorage();
    const store = new SecretStore(storage);
    await store.setSecret('https://prod.example.com', 'envvar', 'DB_PASSWORD', 'p1');
    await store.setSecret('https://staging.example.com', 'filesystem', 'KUBECONFIG', 'k1');
    await store.setSecret('https://prod.example.com', 'envvar', 'DB_PASSWORD', 'p2');
    assert.equal(await store.getSecret('https://prod.example.com', 'envvar', 'DB_PASSWORD'), 'p2');
    await store.deleteAllSecrets();
    assert.deepEqual([...storage.entries.keys()], [], 'no secret value and no index left');
  });

  it('a corrupt index does not stop Forget', async () => {
    const storage = memorySecretStorage();
    storage.entries.set('hoop.secretIndex', '{not json');
    await new SecretStore(storage).deleteAllSecrets();
    assert.equal(storage.entries.size, 0);
  });
});
