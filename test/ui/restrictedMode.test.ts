// Restricted Mode: a runbook runs commands on real infrastructure, so an untrusted workspace shows
// no run CodeLens and the run commands stay disabled until the user trusts it.
import { strict as assert } from 'node:assert';
import { useSampleSession } from './sampleSession';
import { poll, type Workbench } from './workbench';

// Enabled in every mode: once the palette shows it among only Hoop commands, its filter has settled.
const alwaysEnabled = 'Hoop: Set API Key or Token';
const runCommand = 'Hoop: Run Runbook…';

/** The palette's Hoop commands, read once the filter has settled; the palette is closed again after. */
async function hoopPaletteCommands(workbench: Workbench): Promise<string[]> {
  await workbench.page.keyboard.press('F1');
  await workbench.quickPick.type('>Hoop: ');
  const items = await poll('the palette to list only Hoop commands', 20_000, async () => {
    const shown = await workbench.quickPick.items();
    // "View: Show Hoop" (the activity bar container) is offered among similar commands.
    return shown.includes(alwaysEnabled) && shown.every((item) => item.includes('Hoop')) ? shown.filter((item) => item.startsWith('Hoop: ')) : undefined;
  });
  await workbench.quickPick.escape();
  return items;
}

describe('in Restricted Mode', function () {
  this.timeout(240_000);
  const sample = useSampleSession({ userSettings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } });

  it('shows no Run runbook CodeLens and offers no run command until the workspace is trusted, then both', async () => {
    const { workbench } = sample;
    await workbench.waitForStatusBar(/Restricted Mode/, 60_000);
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForEditorText('Disk usage');
    // Give the (absent) lenses the time real ones take to appear, then check none did.
    await workbench.page.waitForTimeout(3_000);
    assert.deepEqual(await workbench.codeLenses(), []);
    const untrusted = await hoopPaletteCommands(workbench);
    assert.ok(!untrusted.some((item) => item.startsWith('Hoop: Run Runbook')), `the run commands are disabled; the palette offers: ${untrusted.join(' | ')}`);
    await workbench.screenshot('restricted-mode-no-run');

    // Trusting the folder brings the lens and the command: their absence above was Restricted Mode, not a slow start.
    await workbench.runCommand('Workspaces: Manage Workspace Trust');
    await workbench.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
    const trusted = await poll(`"${runCommand}" in the palette once trusted`, 30_000, async () => {
      const shown = await hoopPaletteCommands(workbench);
      return shown.includes(runCommand) ? shown : undefined;
    });
    assert.ok(trusted.includes('Hoop: Run Runbook with Environment…'), trusted.join(' | '));
  });
});
