import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandIds } from '../../src/commandIds';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

/** Like vscode-pull-request-github's check: every contributed command exists in code, and back. */
describe('package.json contributions', () => {
  const contributed: string[] = manifest.contributes.commands.map((command: { command: string }) => command.command);

  it('contributes exactly the commands the extension registers', () => {
    assert.deepEqual([...contributed].sort(), Object.values(commandIds).sort());
  });

  it('puts every command in the Hoop category, with a codicon', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Hoop', command.command);
      assert.match(command.icon, /^\$\([a-z-]+\)$/, command.command);
    }
  });

  it('menus only name contributed commands, runbook menus only show on runbook files, view menus only in the Runs view', () => {
    for (const [menu, entries] of Object.entries<Array<{ command: string; when?: string }>>(manifest.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(contributed.includes(entry.command), `${menu}: ${entry.command}`);
        if (menu.startsWith('view/')) {
          assert.match(entry.when ?? '', /^view == hoop\.runs\b/, `${menu}: ${entry.command}`);
        } else if (menu !== 'commandPalette') {
          assert.match(entry.when ?? '', /resourceFilename =~ \/\\\.runbook\\\.\//, `${menu}: ${entry.command}`);
        }
      }
    }
  });

  it('activates only on runbooks in the workspace or a command', () => {
    assert.deepEqual(manifest.activationEvents, ['workspaceContains:**/*.runbook.*']);
  });

  it('keeps the gateway URL out of workspace settings, and nothing runs in Restricted Mode', () => {
    assert.equal(manifest.contributes.configuration.properties['hoop.gatewayUrl'].scope, 'application');
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    const runCommands = manifest.contributes.commands.filter((command: { command: string }) => command.command.startsWith('hoop.runRunbook'));
    for (const command of runCommands) {
      assert.equal(command.enablement, 'isWorkspaceTrusted');
    }
  });

  it('ships a 128×128 PNG icon', () => {
    const png = readFileSync(path.join(__dirname, '../../..', manifest.icon));
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
