// A run followed to its end in a real VS Code (code-server through Chromium) with the packaged .vsix,
// the sample workspace and the local gateway: live output in the run's own document, the Runs view
// and its history across a reload, Rerun Last and Rerun with Changes, reviews approved or rejected
// on the gateway, and the summary step. Screenshots land in test-artifacts/screenshots/.
import { strict as assert } from 'node:assert';
import type { LocalGateway, RecordedRequest, Session } from '../gateway/localGateway';
import { sampleReviewerToken } from '../sample/sampleWorkspace';
import { execRequestsTo, useSampleSession } from './sampleSession';
import { poll, type TreeRow, type Workbench } from './workbench';

interface ExecBody {
  connection_name: string;
  parameters: Record<string, string>;
}

describe('following runs to their end in a real VS Code', function () {
  this.timeout(240_000);
  // The summary step on, as `npm start` has it.
  const sample = useSampleSession({ userSettings: { 'hoop.confirmBeforeRun': true } });
  let gateway: LocalGateway;
  let workbench: Workbench;
  before(() => {
    ({ gateway, workbench } = sample);
  });

  const quick = () => workbench.quickPick;
  const execRequests = (): RecordedRequest[] => execRequestsTo(gateway);
  const lastExecBody = (): ExecBody => execRequests().at(-1)?.body as ExecBody;
  const editorArea = () => workbench.page.locator('.part.editor');

  /** The Runs view, opened from the Hoop icon in the activity bar, once it lists at least `count` runs. */
  async function runsViewRows(count: number): Promise<TreeRow[]> {
    const pane = await workbench.openViewFromActivityBar('Hoop', 'Runs');
    return poll(`the Runs view to list ${count} runs`, 20_000, async () => {
      const rows = await workbench.treeRows(pane);
      return rows.length >= count ? rows : undefined;
    });
  }

  /** Starts ops/slow-report from its CodeLens on `connection`, answering its prompts and the summary. */
  async function startSlowReport(connection: string, seconds: string): Promise<void> {
    await workbench.openFile('ops/slow-report.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run slow-report.runbook.sh');
    await quick().pick(connection);
    await quick().waitForStep('2/3');
    await quick().type(seconds);
    await quick().accept();
    await quick().waitForStep('3/3');
    await quick().accept();
    await quick().waitClosed();
  }

  /**
   * Runs ops/check-disk on bash-local with this threshold from its CodeLens and waits for the status bar
   * to show `expected` (the previous run's result may still be there when the request arrives).
   */
  async function runCheckDisk(threshold: string, expected: RegExp): Promise<string> {
    const execsBefore = execRequests().length;
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run check-disk.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/3');
    await quick().type(threshold);
    await quick().accept();
    await quick().waitForStep('3/3');
    await quick().accept();
    await poll('the exec request', 20_000, async () => (execRequests().length > execsBefore ? true : undefined));
    return workbench.waitForStatusBar(expected, 60_000);
  }

  let restartServiceRan = false;
  /** One full restart-service run on bash-local (worker, 3 replicas), once per session: what the rerun tests rerun. */
  async function ensureRestartServiceRun(): Promise<void> {
    if (restartServiceRan) return;
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run restart-service.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/6');
    await quick().pick('worker');
    await quick().waitForStep('3/6');
    await quick().type('3');
    await quick().accept();
    await quick().waitForStep('4/6');
    await quick().type('oncall@acme.example');
    await quick().accept();
    await quick().waitForStep('5/6');
    await quick().type('first-secret');
    await quick().accept();
    await quick().waitForStep('6/6');
    await quick().accept();
    assert.equal(await workbench.waitForStatusBar(/^restart-service\.runbook\.sh: exit/, 60_000), 'restart-service.runbook.sh: exit 0');
    restartServiceRan = true;
  }

  /** The newest session on a connection, once the gateway has one waiting for review. */
  async function pendingReviewOn(connection: string): Promise<Session> {
    return poll(`a session waiting for review on ${connection}`, 30_000, async () =>
      [...gateway.sessions.values()].reverse().find((session) => session.connection === connection && session.review?.status === 'PENDING'),
    );
  }

  /** What a reviewer does on the gateway: PUT /api/reviews/{sid} with their own token. */
  async function review(sessionId: string, body: { status: 'APPROVED' | 'REJECTED'; rejection_reason?: string }): Promise<void> {
    const answer = await fetch(`${gateway.url}/api/reviews/${sessionId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sampleReviewerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(answer.status, 200, await answer.text());
  }

  it('shows the output of a run that outlives the wait live in its own document, then its exit 3 in the status bar', async () => {
    await startSlowReport('bash-local', '15');
    // The gateway answers "running" after 5 s; the run goes on and the status bar says so.
    await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: running$/, 30_000);
    await workbench.clickStatusBarItem(/^slow-report\.runbook\.sh: running$/);
    const live = await workbench.waitForEditorText(/report line [5-9]\/15/, 30_000);
    // Read before the end: the document still says the run goes on, and has no exit code yet.
    assert.match(live, /━━━ slow-report\.runbook\.sh on bash-local ━━━/);
    assert.match(live, /… running: output appears here as the gateway sends it/);
    assert.doesNotMatch(live, /Exit code:/);
    assert.equal(await workbench.statusBarText(/^slow-report\.runbook\.sh: /), 'slow-report.runbook.sh: running');
    assert.deepEqual(await workbench.statusBarIcons(/^slow-report\.runbook\.sh: running$/), ['sync', 'modifier-spin']);
    // The run's document is output, not a runbook: nothing offers to run it.
    assert.deepEqual(await workbench.codeLenses(), []);
    assert.equal(await workbench.page.locator('.editor-group-container.active .editor-actions a.action-label[aria-label^="Run Runbook"]').count(), 0);
    // The top of the editor: the document without the progress notification in its corner.
    await workbench.screenshotOf(editorArea(), 'readme-live-run', 430);

    assert.equal(await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: exit/, 60_000), 'slow-report.runbook.sh: exit 3');
    assert.deepEqual(await workbench.statusBarIcons(/^slow-report\.runbook\.sh: exit 3$/), ['error']);
    const ended = await workbench.waitForEditorText(/Exit code:\s+3/);
    // The live stream has no catch-up; at the end the session's whole output replaces what streamed.
    assert.match(ended, /report line 1\/15\n[\s\S]*report line 15\/15/);
    assert.match(ended, /report incomplete: 2 checks failed/);
    assert.match(ended, /Status:\s+exit 3 — slow-report\.runbook\.sh failed with exit code 3\./);
  });

  it('reruns the last run with Ctrl+K Ctrl+Alt+R, asking only for the password', async () => {
    await ensureRestartServiceRun();
    const execsBefore = execRequests().length;
    await workbench.openFile('ops/restart-service.runbook.sh');
    await workbench.page.keyboard.press('Control+K');
    await workbench.page.keyboard.press('Control+Alt+R');
    await quick().waitForTitle(/^Run restart-service\.runbook\.sh on bash-local/);
    assert.match((await quick().prompt()) ?? '', /admin_password \(required\)/);
    assert.equal(await quick().input.getAttribute('type'), 'password');
    await quick().type('second-secret');
    await quick().accept();
    // Nothing else was asked: the password was the only question, and the run went out.
    await quick().waitClosed();
    await poll('the rerun to be sent', 20_000, async () => (execRequests().length > execsBefore ? true : undefined));
    const sent = lastExecBody();
    assert.equal(sent.connection_name, 'bash-local');
    assert.deepEqual(
      { service: sent.parameters.service, replicas: sent.parameters.replicas, notify_email: sent.parameters.notify_email },
      { service: 'worker', replicas: '3', notify_email: 'oncall@acme.example' },
    );
    assert.equal(await workbench.waitForStatusBar(/^restart-service\.runbook\.sh: exit/, 60_000), 'restart-service.runbook.sh: exit 0');
  });

  it('opens Rerun with Changes prefilled with the last values', async () => {
    await ensureRestartServiceRun();
    await workbench.runCommand('Hoop: Rerun with Changes…');
    await quick().waitForStep('1/6');
    assert.match((await quick().title()) ?? '', /^Run restart-service\.runbook\.sh/);
    assert.equal(await quick().activeItem(), 'bash-local');
    await quick().accept();
    await quick().waitForStep('2/6');
    assert.equal(await quick().activeItem(), 'worker');
    await quick().accept();
    await quick().waitForStep('3/6');
    assert.equal(await quick().value(), '3');
    await quick().type('4');
    await quick().accept();
    await quick().waitForStep('4/6');
    assert.equal(await quick().value(), 'oncall@acme.example');
    await quick().accept();
    await quick().waitForStep('5/6');
    assert.equal(await quick().value(), '', 'a password is never prefilled');
    await quick().type('third-secret');
    await quick().accept();
    await quick().waitForStep('6/6');
    const execsBefore = execRequests().length;
    await quick().accept();
    await poll('the changed rerun to be sent', 20_000, async () => (execRequests().length > execsBefore ? true : undefined));
    assert.equal(lastExecBody().parameters.replicas, '4');
    assert.equal(await workbench.waitForStatusBar(/^restart-service\.runbook\.sh: exit/, 60_000), 'restart-service.runbook.sh: exit 0');
  });

  it('executes a run the reviewer approved on the gateway from the "approved" notification, and shows its output and exit code', async () => {
    await startSlowReport('bash-reviewed', '2');
    await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: waiting for review$/, 30_000);
    const session = await pendingReviewOn('bash-reviewed');
    await review(session.id, { status: 'APPROVED' });
    const approved = await workbench.waitForNotification(/slow-report\.runbook\.sh on bash-reviewed was approved by Rita Reviewer: execute it now\./, 30_000);
    assert.ok(approved.buttons.includes('Execute Now'), approved.buttons.join(' | '));
    await workbench.screenshot('review-approved-notification');
    await approved.click('Execute Now');
    assert.equal(await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: exit/, 60_000), 'slow-report.runbook.sh: exit 3');
    await workbench.clickStatusBarItem(/^slow-report\.runbook\.sh: exit 3$/);
    const document = await workbench.waitForEditorText(/Exit code:\s+3/);
    assert.match(document, /report line 2\/2/);
    assert.match(document, new RegExp(`Session:\\s+${session.id}`));
    assert.match(document, /reviewed by Rita Reviewer/);
  });

  it('shows the reason when the reviewer rejects the run', async () => {
    await startSlowReport('bash-reviewed', '2');
    await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: waiting for review$/, 30_000);
    const session = await pendingReviewOn('bash-reviewed');
    await review(session.id, { status: 'REJECTED', rejection_reason: 'not during the freeze' });
    await workbench.waitForNotification(/The review of slow-report\.runbook\.sh on bash-reviewed was rejected by Rita Reviewer: not during the freeze\. Nothing ran\./, 30_000);
    assert.equal(await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: /), 'slow-report.runbook.sh: rejected');
  });

  it('lists the runs newest first in the Runs view, with their state and exit code', async () => {
    assert.equal(await runCheckDisk('95', /^check-disk\.runbook\.sh: exit 0$/), 'check-disk.runbook.sh: exit 0');
    assert.equal(await runCheckDisk('80', /^check-disk\.runbook\.sh: exit 2$/), 'check-disk.runbook.sh: exit 2');
    const rows = await runsViewRows(2);
    assert.deepEqual(rows.slice(0, 2).map((row) => [row.label, row.icon]), [
      ['check-disk.runbook.sh', 'error'],
      ['check-disk.runbook.sh', 'pass'],
    ]);
    assert.match(rows[0]!.description, /^bash-local · exit 2 · \d+(\.\d)? s · just now$/);
    assert.match(rows[1]!.description, /^bash-local · exit 0 · /);
    await workbench.resizeSideBar(560);
    await workbench.screenshotOf(workbench.page.locator('.part.sidebar'), 'readme-runs-view', 240);
  });

  it('keeps the Runs view history across a window reload', async () => {
    const before = await runsViewRows(1);
    await workbench.reloadWindow();
    const after = await runsViewRows(before.length);
    assert.deepEqual(
      after.map((row) => [row.label, row.description.replace(/ · [^·]+$/, '')]),
      before.map((row) => [row.label, row.description.replace(/ · [^·]+$/, '')]),
    );
    // A reloaded window shows no old result in the status bar, but history still opens the output.
    await workbench.page.locator('.part.sidebar .monaco-list-row').first().click();
    await workbench.waitForEditorText(/Status:\s+/);
  });

  it('follows a run that was still going when the window reloaded to its end', async () => {
    await startSlowReport('bash-local', '12');
    // The gateway answers "running" after 5 s: from then on the run has its session, and history has it.
    await workbench.waitForStatusBar(/^slow-report\.runbook\.sh: running$/, 30_000);
    await workbench.reloadWindow();
    const pane = await workbench.openViewFromActivityBar('Hoop', 'Runs');
    const ended = await poll('the resumed run to end in the Runs view', 60_000, async () => {
      const [newest] = await workbench.treeRows(pane);
      return newest?.label === 'slow-report.runbook.sh' && /exit 3/.test(newest.description) ? newest : undefined;
    });
    assert.match(ended.description, /^bash-local · exit 3/);
  });

  it('ends the input with a summary of what is about to run; Back returns to the previous step', async () => {
    const sent = execRequests().length;
    await workbench.openFile('ops/print-secret.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run print-secret.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/4');
    await quick().accept(); // database: orders
    await quick().waitForStep('3/4');
    assert.match((await quick().prompt()) ?? '', /Secret environment variable DB_PASSWORD/);
    await quick().type('s3cret-value');
    await quick().accept();
    await quick().waitForPlaceholder('Remember DB_PASSWORD for next runs?'); // the same step: the secret and whether to keep it
    await quick().pick('Use for this run only');
    await quick().waitForStep('4/4');
    assert.equal(await quick().placeholder(), 'Run print-secret.runbook.sh on bash-local — 1 parameter, 1 secret');
    assert.deepEqual(await quick().items(), ['Run print-secret.runbook.sh on bash-local']);
    await workbench.screenshot('summary-step');
    await workbench.page.locator('.quick-input-widget .quick-input-titlebar .codicon-quick-input-back').click();
    await quick().waitForStep('3/4');
    assert.match((await quick().prompt()) ?? '', /Secret environment variable DB_PASSWORD/);
    await quick().escape();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(execRequests().length, sent, 'nothing was sent');
  });
});
