// Proves the UI harness end to end: code-server + Debian Chromium + page-object.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserSession, launchBrowser } from '../host/browser';
import { CodeServer, startCodeServer } from '../host/codeServer';
import { Workbench } from './workbench';

const HELLO = '#!/usr/bin/env bash\n# hello runbook\necho "hello from the runbook"\n';

describe('UI harness smoke: code-server in Chromium', function () {
  this.timeout(180_000);
  let workspace: string;
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let workbench: Workbench;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-smoke-ws-'));
    fs.writeFileSync(path.join(workspace, 'hello.runbook.sh'), HELLO);
    server = await startCodeServer({ workspaceFolder: workspace });
    session = await launchBrowser();
    workbench = await Workbench.open(session.page, server.url);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      await workbench?.screenshot(`FAILED-${this.currentTest.fullTitle()}`).catch(() => undefined);
    }
  });

  after(async () => {
    await session?.close();
    const leftovers = server?.livePids() ?? [];
    await server?.stop();
    assert.deepStrictEqual(server?.livePids() ?? [], [], `processes left after stop (before: ${leftovers.length})`);
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('runs a built-in command from the palette', async () => {
    await workbench.runCommand('Developer: Show Running Extensions');
    const activeTab = workbench.page.locator('.editor-group-container.active .tab.active', { hasText: 'Running Extensions' });
    await activeTab.waitFor({ state: 'visible', timeout: 20_000 });
    // The list fills in once the extension host reports activation times.
    const activatedRow = workbench.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: /Activation/ }).first();
    await activatedRow.waitFor({ state: 'visible', timeout: 30_000 });
    await workbench.screenshot('smoke-running-extensions');
  });

  it('opens hello.runbook.sh through Quick Open and shows its text', async () => {
    await workbench.openFile('hello.runbook.sh');
    const text = await workbench.waitForEditorText('hello from the runbook');
    assert.strictEqual(text.trimEnd(), HELLO.trimEnd());
    const shot = await workbench.screenshot('smoke-hello-runbook');
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot has content');
  });

  it('reads the status bar and a built-in Output channel', async () => {
    assert.match((await workbench.waitForStatusBar(/Shell Script/)) ?? '', /Shell Script/);
    const windowLog = await workbench.readOutputChannel('Window');
    assert.match(windowLog, /\[info\]/);
  });
});
