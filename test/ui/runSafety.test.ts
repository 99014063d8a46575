// What keeps a person safe during a run, in a real VS Code (code-server through Chromium) with the
// packaged .vsix, the sample workspace and the local gateway: a secret the runbook prints is masked
// on screen, unsaved edits are flagged before anything is sent, and the progress notification's
// Cancel stops waiting (the run goes on and is followed). Screenshots land in test-artifacts/screenshots/.
import { strict as assert } from 'node:assert';
import type { LocalGateway } from '../gateway/localGateway';
import { useSampleSession, withReindexRunning } from './sampleSession';
import { poll, type Workbench } from './workbench';

describe('keeping a run safe in a real VS Code', function () {
  this.timeout(240_000);
  // A person saves with Ctrl+S, as on the desktop (VS Code in the browser otherwise saves after a second).
  const sample = useSampleSession({ userSettings: { 'files.autoSave': 'off' } });
  let gateway: LocalGateway;
  let workbench: Workbench;
  const quick = () => workbench.quickPick;

  before(async () => {
    ({ gateway, workbench } = sample);
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
  });

  it('masks the secret a runbook prints, raw and base64, and shows the output around it', async () => {
    const secret = 'hunter2-orders-db';
    await workbench.openFile('ops/print-secret.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run print-secret.runbook.sh');
    await quick().pick('bash-local');
    const prompting = (pattern: RegExp) => poll(`a prompt ${pattern}`, 20_000, async () => (pattern.test((await quick().prompt()) ?? '') ? true : undefined));
    await prompting(/database — Database to connect to/);
    await quick().accept(); // the default, orders
    await prompting(/DB_PASSWORD/);
    assert.equal(await quick().input.getAttribute('type'), 'password');
    await quick().type(secret);
    await quick().accept();
    await quick().waitForPlaceholder('Remember DB_PASSWORD for next runs?');
    await quick().pick('Use for this run only');

    assert.equal(await workbench.waitForStatusBar(/print-secret\.runbook\.sh: exit/, 60_000), 'print-secret.runbook.sh: exit 0');
    const transcript = await workbench.readOutputChannel('Hoop Runbooks');
    await workbench.screenshot('masked-secret-in-transcript');
    // The lines around the secret are all there: only the secret itself is hidden.
    assert.match(transcript, /Connecting to orders with password \[[^\]\n]+\] \(raw\)/);
    assert.match(transcript, /The same password in base64: \S+ \(end\)/);
    assert.match(transcript, /^Connected\.$/m);
    assert.ok(!transcript.includes(secret), 'the transcript shows the secret');
    assert.ok(!transcript.includes(Buffer.from(secret).toString('base64')), 'the transcript shows the secret base64-encoded');
  });

  it('warns before sending when the runbook has unsaved edits in the editor; Cancel sends nothing', async () => {
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.typeAtEndOfActiveEditor('echo edited, not saved\n');
    await workbench.page.locator('.editor-group-container.active .tab.active.dirty[role="tab"]').waitFor({ state: 'visible' });
    try {
      const requestsBefore = gateway.requests.length;
      await workbench.clickCodeLens('Run runbook');
      const dialog = await workbench.waitForDialog();
      assert.equal(dialog.message, 'The gateway will not run what you see in the editor.');
      assert.match(dialog.detail, /ops\/check-disk\.runbook\.sh has unsaved changes in the editor/);
      await workbench.screenshot('unsaved-changes-warning');
      await dialog.click('Cancel');
      // Nothing to wait for when nothing happens: give a wrongly started run time to show itself.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await quick().isOpen(), false);
      assert.deepEqual(gateway.requests.slice(requestsBefore), []);
    } finally {
      await workbench.runCommand('File: Revert File');
    }
  });

  it("stops waiting when the progress notification's Cancel is clicked: the run goes on at the gateway and is still followed to its end", async () => {
    await withReindexRunning(sample, async () => {
      const progress = await workbench.waitForNotification(/running reindex\.runbook\.sh/);
      assert.ok(progress.buttons.includes('Cancel'), progress.buttons.join(' | '));
      assert.match(progress.message, /Cancel stops waiting; the run goes on/);
      await workbench.screenshot('progress-notification');
      await progress.click('Cancel');
      assert.equal(await workbench.waitForStatusBar(/reindex\.runbook\.sh: running \(not waiting\)/), 'reindex.runbook.sh: running (not waiting)');
      assert.equal(await workbench.waitForStatusBar(/reindex\.runbook\.sh: exit/, 60_000), 'reindex.runbook.sh: exit 0');
      const transcript = await workbench.readOutputChannel('Hoop Runbooks');
      assert.match(transcript, /reindexing orders: step 4\/4[\s\S]*Status:\s+exit 0/);
    });
  });
});
