// Proves every page-object method against a fixture extension installed from a
// .vsix (as the real extension will be), without the smoke-test driver so
// notification toasts behave as for a person.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserSession, launchBrowser } from '../host/browser';
import { CodeServer, startCodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { packageVsix } from '../host/vsix';
import { Workbench } from './workbench';

describe('workbench page-object against a fixture extension', function () {
  this.timeout(180_000);
  let temp: string;
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let workbench: Workbench;

  before(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-proof-'));
    const workspace = path.join(temp, 'workspace');
    fs.mkdirSync(path.join(workspace, 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'runbooks', 'deploy.runbook.sh'), '#!/usr/bin/env bash\necho deploy\n');
    const vsix = await packageVsix(path.join(repoRoot, 'test', 'ui', 'fixtures', 'ui-proof-extension'), path.join(temp, 'ui-proof.vsix'));
    server = await startCodeServer({ workspaceFolder: workspace, installVsix: vsix });
    session = await launchBrowser();
    workbench = await Workbench.open(session.page, server.url);
    await workbench.waitForStatusBar(/UI Proof: idle/, 30_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      await workbench?.screenshot(`FAILED-${this.currentTest.fullTitle()}`).catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    assert.deepStrictEqual(server?.livePids() ?? [], []);
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it('opens a file in a subfolder and clicks its CodeLens', async () => {
    await workbench.openFile('runbooks/deploy.runbook.sh');
    await workbench.waitForEditorText('echo deploy');
    await workbench.waitForCodeLens('Run UI proof');
    assert.deepStrictEqual(await workbench.codeLenses(), ['Run UI proof']);
    await workbench.clickCodeLens('Run UI proof');
    assert.strictEqual(await workbench.waitForStatusBar(/UI Proof: lens/), 'UI Proof: lens deploy.runbook.sh');
  });

  it('walks a two-step quick input: title, step, placeholder, validation', async () => {
    await workbench.runCommand('UI Proof: Start Wizard');
    const quick = workbench.quickPick;
    await quick.waitForTitle('UI Proof Wizard');
    assert.strictEqual(await quick.step(), '1/2');
    assert.strictEqual(await quick.placeholder(), 'Pick a colour');
    assert.deepStrictEqual(await quick.items(), ['red', 'green', 'blue']);
    await quick.pick('green');

    await workbench.page.waitForFunction(() => /\(2\/2\)/.test(
      (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } })
        .document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    assert.strictEqual(await quick.step(), '2/2');
    assert.strictEqual(await quick.title(), 'UI Proof Wizard');
    assert.strictEqual(await quick.placeholder(), 'a whole number');
    assert.strictEqual(await quick.prompt(), 'How many?');
    await quick.type('12x');
    assert.strictEqual(await quick.waitForValidationMessage(), 'Enter a whole number');
    await workbench.screenshot('ui-proof-validation');
    await quick.type('12');
    await quick.waitForValidationCleared();
    await quick.accept();
    assert.strictEqual(await workbench.waitForStatusBar(/UI Proof: wizard/), 'UI Proof: wizard green x12');
  });

  it('cancels a quick input with Escape', async () => {
    await workbench.runCommand('UI Proof: Start Wizard');
    await workbench.quickPick.waitForTitle('UI Proof Wizard');
    await workbench.quickPick.escape();
    assert.strictEqual(await workbench.waitForStatusBar(/UI Proof: wizard cancelled/), 'UI Proof: wizard cancelled');
  });

  it('reads a notification and clicks its button', async () => {
    await workbench.runCommand('UI Proof: Notify With Buttons');
    const notification = await workbench.waitForNotification('UI proof asks: proceed?');
    assert.deepStrictEqual(notification.buttons, ['Proceed', 'Cancel']);
    assert.strictEqual(notification.source, 'UI proof extension');
    await workbench.screenshot('ui-proof-notification');
    await notification.click('Proceed');
    assert.strictEqual(await workbench.waitForStatusBar(/UI Proof: answered/), 'UI Proof: answered Proceed');
  });

  it('reads an Output channel longer than the view renders', async () => {
    await workbench.runCommand('UI Proof: Fill Output Channel');
    const text = await workbench.readOutputChannel('UI Proof');
    const lines = text.trimEnd().split('\n');
    assert.strictEqual(lines.length, 301, text.slice(0, 500));
    assert.strictEqual(lines[0], 'line 1 of the UI proof output');
    assert.strictEqual(lines[300], 'END OF UI PROOF OUTPUT');
    await workbench.screenshot('ui-proof-output');
  });
});
