// Browser sign-in in a real VS Code (code-server) driven through Chromium: Hoop: Sign In opens the
// gateway's stand-in identity provider in a new tab, whose redirects end at the extension's
// 127.0.0.1:3587/callback; the account then shows in the Accounts menu and a run goes through.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { Page } from 'playwright-core';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { sampleToken } from '../sample/sampleWorkspace';
import { useSampleSession } from './sampleSession';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('signing in through the browser in a real VS Code', function () {
  this.timeout(300_000);
  // The single-sign-on gateway's address goes into the user settings before VS Code starts.
  const userSettings: Record<string, unknown> = {};
  let ssoUrl = '';
  before(async () => {
    ssoUrl = `http://127.0.0.1:${await freePort()}`;
    userSettings['hoop.gateways'] = [{ name: 'acme-sso', url: ssoUrl }];
  });
  const sample = useSampleSession({ signedIn: false, userSettings });
  let sso: LocalGateway;
  before(async () => {
    // The sample's users, repository, connections and rules, signing in through the stand-in identity provider.
    sso = await startLocalGateway({ ...sample.gateway.config, port: Number(new URL(ssoUrl).port), authMethod: 'oidc', identityProvider: { user: sampleToken } });
  });
  after(() => sso?.close());

  it('Sign In opens the identity provider, the callback signs in, the account is listed, a run succeeds, and signing out from the status bar removes it', async () => {
    const { workbench } = sample;
    const quick = workbench.quickPick;
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
    assert.match(await workbench.waitForStatusBar(/acme-sso/), /acme-sso: not signed in/);

    const browserTab = workbench.page.context().waitForEvent('page', { timeout: 60_000 });
    await workbench.runCommand('Hoop: Sign In');
    await quick.waitForTitle('Hoop: sign in to acme-sso');
    assert.deepEqual((await quick.items()).slice(0, 2), ['Sign in with your browser (single sign-on)', 'Paste an API key']);
    await quick.pick('Sign in with your browser (single sign-on)');
    // VS Code may ask before opening an external site; the tab opens either way once allowed.
    void allowExternalSite(workbench);
    const page: Page = await browserTab;
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:3587\/callback\?token=/, { timeout: 60_000 });
    assert.match((await page.textContent('body')) ?? '', /You can close this tab/);
    const issuedToken = new URL(page.url()).searchParams.get('token') ?? '';
    assert.ok(issuedToken.length > 8);
    await workbench.screenshot('sign-in-browser-callback');
    await page.close();

    assert.match(await workbench.waitForStatusBar(/acme-sso: Local Developer/, 30_000), /acme-sso: Local Developer/);
    // Read from the Notifications center: toasts come and go while being read.
    await workbench.runCommand('Notifications: Show Notifications');
    await workbench.waitForNotification(/Signed in to acme-sso as Local Developer \(dev@acme\.example, standard\)/);
    await workbench.runCommand('Notifications: Clear All Notifications');
    assert.ok(sso.requests.some((request) => request.path === '/api/userinfo'), 'the token was checked before it was stored');

    const labels = await accountsMenu(workbench, 'sign-in-accounts-menu');
    assert.ok(labels.some((label) => label.includes('Local Developer <dev@acme.example> on acme-sso')), `Accounts menu: ${labels.join(' | ')}`);

    const execsBefore = sso.requests.filter((request) => request.path === '/api/runbooks/exec').length;
    await workbench.clickCodeLens('Run runbook');
    await quick.waitForTitle('Run check-disk.runbook.sh');
    await quick.pick('bash-local');
    await quick.waitForStep('2/2');
    await quick.type('95');
    await quick.accept();
    assert.equal(await workbench.waitForStatusBar(/check-disk\.runbook\.sh: exit/, 60_000), 'check-disk.runbook.sh: exit 0');
    assert.equal(sso.requests.filter((request) => request.path === '/api/runbooks/exec').length, execsBefore + 1, 'the run went to the signed-in gateway');
    assert.ok(!sample.gateway.requests.some((request) => request.path === '/api/runbooks/exec'), 'nothing ran on the other gateway');

    // Sign out from the status bar item: the account leaves the status bar and the Accounts menu.
    await workbench.clickStatusBarItem(/acme-sso: Local Developer/);
    await quick.waitForTitle('Hoop: acme-sso');
    await quick.pick('Sign out of acme-sso');
    assert.match(await workbench.waitForStatusBar(/acme-sso: not signed in/), /acme-sso: not signed in/);
    const labelsAfter = await accountsMenu(workbench, 'sign-out-accounts-menu');
    assert.ok(!labelsAfter.some((label) => label.includes('acme-sso')), `Accounts menu: ${labelsAfter.join(' | ')}`);

    const log = await workbench.readOutputChannel('Hoop Runbooks Log');
    assert.match(log, /Requests to acme-sso use the token stored in VS Code's secret storage/);
    assert.match(log, /Signed out of acme-sso/);
    assert.ok(!log.includes(issuedToken), 'the log never shows the token');
  });
});

type Workbench = ReturnType<typeof useSampleSession>['workbench'];

/** Opens VS Code's Accounts menu, returns its labels (with a screenshot) and closes it. */
async function accountsMenu(workbench: Workbench, screenshot: string): Promise<string[]> {
  await workbench.page.locator('.activitybar .codicon-accounts-view-bar-icon').first().click();
  const menu = workbench.page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 15_000 });
  const labels = (await menu.locator('.action-label').allTextContents()).map((label) => label.trim());
  await workbench.screenshot(screenshot);
  await workbench.page.keyboard.press('Escape');
  return labels;
}

/** Clicks "Open" if VS Code asks whether to open the external site (it may trust loopback without asking). */
async function allowExternalSite(workbench: Workbench): Promise<void> {
  const dialog = await workbench.waitForDialog(15_000).catch(() => undefined);
  if (dialog?.buttons.includes('Open')) {
    await dialog.click('Open');
  }
}
