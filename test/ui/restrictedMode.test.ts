// Restricted Mode: a runbook runs commands on real infrastructure, so an untrusted workspace shows
// no run CodeLens and the run commands stay disabled until the user trusts it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTryIt, type TryIt } from '../demo/tryIt';
import { launchBrowser, type BrowserSession } from '../host/browser';
import { Workbench } from './workbench';

describe('in Restricted Mode', function () {
  this.timeout(240_000);
  let stateDir: string;
  let tryIt: TryIt | undefined;
  let session: BrowserSession | undefined;
  let workbench: Workbench;

  before(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-restricted-'));
    tryIt = await startTryIt({
      vscode: 'code-server',
      stateDir: path.join(stateDir, 'state'),
      port: 0,
      gatewayPort: 0,
      userSettings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    });
    session = await launchBrowser();
    workbench = await Workbench.open(session.page, tryIt.vscodeUrl!);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await workbench?.screenshot(`FAILED-${this.currentTest.fullTitle()}`).catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    await tryIt?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('shows no Run runbook CodeLens and offers no enabled run command until the workspace is trusted', async () => {
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
