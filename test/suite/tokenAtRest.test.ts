// Runs last (see index.ts): after every run of the suite, the token is nowhere but VS Code's secret storage.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { browserState, extensionId, extensionLogText, testToken, waitFor } from './fixture';

describe('the token at rest', () => {
  it('is in no setting', () => {
    for (const scope of [undefined, ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri)]) {
      assert.doesNotMatch(JSON.stringify(vscode.workspace.getConfiguration('hoop', scope)), new RegExp(testToken));
    }
  });

  it("is in neither the extension's global nor its workspace state, nor anything else the workbench stored outside secret storage", async () => {
    // What the extension remembers (the last connection per runbook) shows the read sees its state, saved.
    const stored = await waitFor('the extension\'s remembered connection in the stored state', async () => {
      const items = await browserState();
      return items.some((item) => item.key === extensionId && item.value.includes('bash-local')) ? items : undefined;
    });
    // Secret storage is where the token belongs (kept under secret:// keys in the browser).
    const leaks = stored.filter((item) => !item.key.startsWith('secret://') && item.value.includes(testToken));
    assert.deepEqual(leaks.map(({ database, key }) => `${database} ${key}`), []);
  });

  it('is not in the log', async () => {
    // The log says a token was stored: the file read is the extension's log, flushed.
    const log = await waitFor('the extension\'s log file', () => (/Signed in to .*the token is stored/.test(extensionLogText()) ? extensionLogText() : undefined));
    assert.ok(!log.includes(testToken), 'the token appears in the log');
  });
});
