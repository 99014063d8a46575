// Restricted Mode: a runbook runs commands on real infrastructure, so an untrusted workspace shows
// no run CodeLens and the run commands stay disabled until the user trusts it.
import { strict as assert } from 'node:assert';
import { useSampleSession } from './sampleSession';

describe('in Restricted Mode', function () {
  this.timeout(240_000);
  const sample = useSampleSession({ userSettings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } });

  it('shows no Run runbook CodeLens and offers no enabled run command until the workspace is trusted', async () => {
    const { workbench } = sample;
    await workbench.waitForStatusBar(/Restricted Mode/, 60_000);
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForEditorText('Disk usage');
    // Give the (absent) lenses the time real ones take to appear, then check none did.
    await workbench.page.waitForTimeout(3_000);
    assert.deepEqual(await workbench.codeLenses(), []);
    await workbench.page.keyboard.press('F1');
    await workbench.quickPick.type('>Hoop: Run Runbook');
    assert.ok(!(await workbench.quickPick.items()).some((item) => item.startsWith('Hoop: Run Runbook')), 'the run commands are disabled');
    await workbench.quickPick.escape();
    await workbench.screenshot('restricted-mode-no-run');

    // Trusting the folder brings the lens: its absence above was Restricted Mode, not a slow start.
    await workbench.runCommand('Workspaces: Manage Workspace Trust');
    await workbench.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
  });
});
