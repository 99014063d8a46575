// Runs first (see index.ts), before any test executes a command: a command contributed by the extension
// activates it by itself, which would hide a missing `workspaceContains` activation event.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extensionId, waitFor } from './fixture';
import { bundleParts, hasLoaded } from './loadedCode';

describe('activation', () => {
  it('activates because the workspace contains runbooks, before anything runs a command', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    await waitFor('activation by the workspace\'s runbooks alone', () => extension.isActive, 20_000);
  });

  it('loads neither the HTTP client nor the template engine until a command needs them', async () => {
    for (const part of bundleParts) {
      assert.equal(await hasLoaded(part), false, `activation loaded ${part}`);
    }
  });
});
