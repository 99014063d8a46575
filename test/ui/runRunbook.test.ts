// A person's run, in a real VS Code (code-server) driven through Chromium: the packaged .vsix,
// the sample workspace, the local gateway. Screenshots land in test-artifacts/screenshots/.
import { strict as assert } from 'node:assert';
import type { LocalGateway } from '../gateway/localGateway';
import { sampleToken } from '../sample/sampleWorkspace';
import { useSampleSession } from './sampleSession';
import type { Workbench } from './workbench';

describe('running a runbook from the CodeLens in a real VS Code', function () {
  this.timeout(240_000);
  // Not signed in: these tests begin with the token prompt.
  const sample = useSampleSession({ signedIn: false, userSettings: { 'hoop.defaultConnection': 'bash-staging' } });
  let workbench: Workbench;
  let gateway: LocalGateway;
  before(() => {
    ({ workbench, gateway } = sample);
  });

  it("shows the README on the extension's page in the Extensions view, with no broken image", async () => {
    const page = await workbench.readExtensionPage('Hoop Runbooks');
    await workbench.screenshot('extension-page');
    assert.match(page.heading, /Hoop Runbooks for VS Code/);
    assert.deepEqual(page.images.filter((image) => !image.loaded), [], 'every image on the page shows');
  });

  it('asks for the token, connection and each parameter by type, runs it, and shows output and exit 0', async () => {
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
    await workbench.clickCodeLens('Run runbook');

    // Not signed in yet: the run offers the ways in, here an API key (masked), and goes on.
    const quick = workbench.quickPick;
    await quick.waitForTitle(/^Hoop: sign in to /);
    await quick.pick('Paste an API key');
    await quick.waitForTitle(/API key or token/);
    await quick.type(sampleToken);
    await quick.accept();

    await quick.waitForTitle('Run restart-service.runbook.sh');
    assert.equal(await quick.step(), '1/5');
    // The connections the gateway's rules allow for this runbook; hoop.defaultConnection comes first, active.
    assert.deepEqual(await quick.items(), ['bash-staging', 'bash-local']);
    assert.equal(await quick.activeItem(), 'bash-staging');
    await quick.pick('bash-local');

    await quick.waitForTitle('Run restart-service.runbook.sh on bash-local');
    await quick.waitForStep('2/5');
    assert.deepEqual(await quick.items(), ['api', 'worker', 'scheduler']);
    await quick.pick('worker');

    await quick.waitForStep('3/5');
    assert.match((await quick.prompt()) ?? '', /replicas — Replicas to bring back/);
    assert.equal(await quick.value(), '2'); // the template's default
    await quick.type('two');
    await quick.accept();
    assert.match(await quick.waitForValidationMessage(), /replicas must be a whole number/);
    await quick.type('3');
    await quick.accept();

    await quick.waitForStep('4/5');
    assert.match((await quick.prompt()) ?? '', /notify_email \(required\)/);
    await quick.type('not-an-email');
    await quick.accept();
    assert.match(await quick.waitForValidationMessage(), /an email address/);
    await quick.type('oncall@acme.example');
    await quick.accept();

    await quick.waitForStep('5/5');
    assert.match((await quick.prompt()) ?? '', /admin_password \(required\)/);
    assert.equal(await quick.input.getAttribute('type'), 'password');
    await quick.type('hunter2-secret');
    await quick.accept();

    const status = await workbench.waitForStatusBar(/restart-service\.runbook\.sh: exit/, 60_000);
    assert.equal(status, 'restart-service.runbook.sh: exit 0');
    const transcript = await workbench.readOutputChannel('Hoop Runbooks');
    assert.match(transcript, /Runbook:\s+ops\/restart-service\.runbook\.sh/);
    assert.match(transcript, /Connection:\s+bash-local/);
    assert.match(transcript, /Restarting worker with 3 replicas\.\.\./);
    assert.match(transcript, /Authenticated with a password of 14 characters\./);
    assert.match(transcript, /Status:\s+exit 0/);
    assert.doesNotMatch(transcript, /hunter2-secret/);
    await workbench.screenshot('run-restart-service-exit-0');
  });

  it('offers the last connection and values again, never the password; Escape cancels without sending', async () => {
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    const quick = workbench.quickPick;
    await quick.waitForTitle('Run restart-service.runbook.sh');
    await quick.accept(); // the last connection is the active item
    await quick.waitForStep('2/5');
    await quick.accept(); // service: the default "api"
    await quick.waitForStep('3/5');
    assert.equal(await quick.value(), '3'); // replicas: the last value for this runbook and connection wins over the template's default
    await quick.accept();
    await quick.waitForStep('4/5');
    assert.equal(await quick.value(), 'oncall@acme.example');
    await quick.accept();
    await quick.waitForStep('5/5');
    assert.match((await quick.prompt()) ?? '', /admin_password/);
    assert.equal(await quick.value(), '');
    const sent = gateway.requests.length;
    await quick.escape();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(gateway.requests.length, sent);
    assert.equal(await workbench.statusBarText(/restart-service\.runbook\.sh: exit 0/), 'restart-service.runbook.sh: exit 0');
  });

  it('goes back a step with the back button, keeping what was entered', async () => {
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    const quick = workbench.quickPick;
    await quick.waitForStep('1/5');
    await quick.accept();
    await quick.waitForStep('2/5');
    await quick.pick('scheduler');
    await quick.waitForStep('3/5');
    await quick.type('5');
    await quick.accept();
    await quick.waitForStep('4/5');
    const back = workbench.page.locator('.quick-input-widget .quick-input-titlebar .codicon-quick-input-back');
    await back.click();
    await quick.waitForStep('3/5');
    assert.equal(await quick.value(), '5');
    await back.click();
    await quick.waitForStep('2/5');
    await back.click();
    await quick.waitForStep('1/5');
    assert.ok((await quick.items()).includes('bash-local'));
    await quick.escape();
  });

  it('runs from the editor title button, and shows a failing exit code in the status bar and the transcript', async () => {
    await workbench.openFile('ops/check-disk.runbook.sh');
    // Started from the ▷ button in the editor title this time.
    await workbench.page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label^="Run Runbook"]').click();
    const quick = workbench.quickPick;
    await quick.waitForTitle('Run check-disk.runbook.sh');
    await quick.pick('bash-local');
    await quick.waitForStep('2/2');
    assert.equal(await quick.value(), '80');
    await quick.accept();
    assert.equal(await workbench.waitForStatusBar(/check-disk\.runbook\.sh: exit/, 60_000), 'check-disk.runbook.sh: exit 2');
    const transcript = await workbench.readOutputChannel('Hoop Runbooks');
    assert.match(transcript, /Disk usage above threshold/);
    assert.match(transcript, /Status:\s+exit 2 — check-disk\.runbook\.sh failed with exit code 2\./);
    await workbench.screenshot('run-check-disk-exit-2');
  });

  it('lets the user type the connection when the gateway cannot list connections', async () => {
    gateway.config.faults['GET /api/connections'] = { status: 500, message: 'failed listing connections' };
    try {
      await workbench.openFile('ops/check-disk.runbook.sh');
      await workbench.clickCodeLens('Run runbook');
      const quick = workbench.quickPick;
      const execsBefore = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').length;
      await quick.waitForStep('1/2');
      assert.match((await quick.prompt()) ?? '', /Could not list connections \(.*500 "failed listing connections".*\)\. Type the connection name instead\./);
      assert.equal(await quick.value(), 'bash-local'); // the last one used, ready to accept
      await quick.type('bash-staging');
      await quick.accept();
      await quick.waitForStep('2/2');
      await quick.accept();
      await quick.waitClosed();
      const execs = () => gateway.requests.filter((request) => request.path === '/api/runbooks/exec');
      for (let waited = 0; execs().length === execsBefore && waited < 30_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal((execs().at(-1)?.body as { connection_name: string }).connection_name, 'bash-staging');
      const transcript = await workbench.readOutputChannel('Hoop Runbooks');
      assert.match(transcript.slice(transcript.lastIndexOf('━━━ check-disk')), /Connection:\s+bash-staging[\s\S]*Status:\s+exit 2/);
    } finally {
      delete gateway.config.faults['GET /api/connections'];
    }
  });

  it('shows a review as a review, with the session link, not as a success', async () => {
    await workbench.openFile('billing/refund.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    const quick = workbench.quickPick;
    await quick.pick('prod-billing');
    await quick.waitForStep('2/4');
    await quick.type('42');
    await quick.accept();
    await quick.waitForStep('3/4');
    await quick.type('19.9');
    await quick.accept();
    assert.match(await quick.waitForValidationMessage(), /must match the pattern/);
    await quick.type('19.90');
    await quick.accept();
    // The connection requires a ticket on every session: asked here, not discovered as a 422.
    await quick.waitForStep('4/4');
    assert.match((await quick.prompt()) ?? '', /Metadata "ticket" — required by connection prod-billing/);
    await quick.type('OPS-42');
    await quick.accept();
    await workbench.waitForStatusBar(/refund\.runbook\.sh: waiting for review/, 60_000);
    // The run is not over: its own document (opened from the status bar) has the review link.
    await workbench.clickStatusBarItem(/refund\.runbook\.sh: waiting for review/);
    await workbench.waitForEditorText(new RegExp(`Review:\\s+${gateway.url}/sessions/`));
    const exec = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').pop();
    assert.deepEqual((exec?.body as { metadata: unknown }).metadata, { ticket: 'OPS-42' });
    await workbench.waitForNotification(/waiting for review/);
    await workbench.screenshot('run-refund-review');
  });
});
