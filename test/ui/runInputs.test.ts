// The ways a person starts a run and the inputs beyond typed parameters, in a real VS Code
// (code-server through Chromium) with the packaged .vsix, the sample workspace and the local
// gateway: palette and Explorer, secrets, ad hoc environment, textarea and file parameters,
// the uncommitted-changes warning, a rejected token, and cancelling. Screenshots land in
// test-artifacts/screenshots/.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LocalGateway, RecordedRequest } from '../gateway/localGateway';
import { sampleToken } from '../sample/sampleWorkspace';
import { runGit } from '../support/gitRepos';
import { execRequestsTo, useSampleSession, withReindexRunning } from './sampleSession';
import type { Workbench } from './workbench';

interface ExecBody {
  file_name: string;
  connection_name: string;
  parameters: Record<string, string>;
  env_vars: Record<string, string>;
}

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('starting runs and giving them inputs in a real VS Code', function () {
  this.timeout(240_000);
  // Not signed in: the token is set from the palette below. A person saves with Ctrl+S, as on the
  // desktop (VS Code in the browser otherwise saves after a second).
  // Email and password: Sign In Again is answered in the quick input, without a browser tab.
  const sample = useSampleSession({ signedIn: false, authMethod: 'local', userSettings: { 'files.autoSave': 'off' } });
  let gateway: LocalGateway;
  let workbench: Workbench;
  let scratchDir: string;

  const quick = () => workbench.quickPick;
  const execRequests = (): RecordedRequest[] => execRequestsTo(gateway);
  const lastExecBody = (): ExecBody => execRequests().at(-1)?.body as ExecBody;

  /** The transcript split into runs: each run starts with its "━━━ name — time ━━━" header. */
  async function transcriptRuns(): Promise<string[]> {
    const text = await workbench.readOutputChannel('Hoop Runbooks');
    return text.split(/^(?=━━━ )/m).filter((section) => section.startsWith('━━━ '));
  }

  /**
   * Waits until the transcript's run number `index` (0-based) has ended, i.e. shows `ended`,
   * and returns that run's section. Runs of the same runbook look alike in the status bar;
   * the transcript tells them apart.
   */
  async function waitForRun(index: number, ended: RegExp = /^Status:/m, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await transcriptRuns())[index];
      if (run && ended.test(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${index} did not end with ${ended} in the transcript; it shows:\n${run ?? '(no such run)'}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function setTokenFromPalette(token: string): Promise<void> {
    await workbench.runCommand('Hoop: Set API Key or Token');
    await quick().waitForTitle(/API key or token/);
    assert.equal(await quick().input.getAttribute('type'), 'password');
    await quick().type(token);
    await quick().accept();
    await quick().waitClosed();
  }

  before(async () => {
    scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-ui-inputs-'));
    ({ gateway, workbench } = sample);
    // The extension's commands are in the palette once it has activated: a runbook shows its CodeLens.
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.waitForCodeLens('Run runbook', 60_000);
    await setTokenFromPalette(sampleToken);
  });

  after(() => {
    if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  });

  it('Hoop: Run Runbook… lists every runbook by path, the active one first, searchable, and runs the one picked', async () => {
    await workbench.openFile('ops/incident-note.runbook.sh');
    // Reading the transcript focuses the Output view, as after any run: the editor's runbook still counts as active.
    const runsBefore = (await transcriptRuns()).length;
    await workbench.runCommand('Hoop: Run Runbook…');
    await quick().waitForTitle('Hoop: Run Runbook');
    const rows = await quick().rows();
    assert.deepEqual(
      rows.map((row) => row.description),
      [
        'ops/incident-note.runbook.sh',
        'billing/refund.runbook.sh',
        'db/reindex.runbook.sh',
        'k8s/pod-report.runbook.py',
        'ops/check-disk.runbook.sh',
        'ops/print-secret.runbook.sh',
        'ops/restart-service.runbook.sh',
        'ops/slow-report.runbook.sh',
      ],
    );
    assert.deepEqual(rows.map((row) => row.label), rows.map((row) => path.posix.basename(row.description)));
    assert.deepEqual(rows.filter((row) => row.active).map((row) => row.label), ['incident-note.runbook.sh']);

    // Search by folder (the description) and by name.
    await quick().filterTo('k8s/', ['pod-report.runbook.py']);
    await quick().filterTo('disk', ['check-disk.runbook.sh']);
    await workbench.screenshot('palette-run-runbook-filtered');
    await quick().accept();

    await quick().waitForTitle('Run check-disk.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/2');
    await quick().type('95');
    await quick().accept();
    const run = await waitForRun(runsBefore);
    assert.match(run, /Runbook:\s+ops\/check-disk\.runbook\.sh/);
    assert.match(run, /Status:\s+exit 0/);
    assert.equal(lastExecBody().file_name, 'ops/check-disk.runbook.sh');
    assert.equal(await workbench.waitForStatusBar(/check-disk\.runbook\.sh: exit/), 'check-disk.runbook.sh: exit 0');
  });

  it('Hoop: Run Runbook… offers a new, uncommitted runbook when it is in front, and otherwise lists the committed ones', async () => {
    const file = 'ops/new-check.runbook.sh';
    fs.writeFileSync(path.join(sample.tryIt.workspaceFolder, file), 'echo "not committed yet"\n');
    try {
      await workbench.openFile(file);
      await workbench.runCommand('Hoop: Run Runbook…');
      await quick().waitForTitle('Hoop: Run Runbook');
      const inFront = await quick().rows();
      assert.deepEqual(inFront.slice(0, 2).map((row) => row.description), [file, 'billing/refund.runbook.sh']);
      assert.deepEqual(inFront.filter((row) => row.active).map((row) => row.label), ['new-check.runbook.sh']);
      await quick().escape();

      await workbench.openFile('README.md');
      await workbench.runCommand('Hoop: Run Runbook…');
      await quick().waitForTitle('Hoop: Run Runbook');
      const committed = (await quick().rows()).map((row) => row.description);
      assert.ok(!committed.includes(file), `only committed runbooks are listed: ${committed.join(', ')}`);
      assert.ok(committed.includes('ops/check-disk.runbook.sh'), committed.join(', '));
      await quick().escape();
    } finally {
      fs.rmSync(path.join(sample.tryIt.workspaceFolder, file), { force: true });
    }
  });

  it('Explorer: "Run Runbook…" on a runbook (not on README.md) runs the right-clicked file, not the active editor', async () => {
    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('README.md');
    const readmeMenu = await workbench.openContextMenu(await workbench.revealInExplorer('README.md'));
    assert.ok(readmeMenu.includes('Copy Relative Path'), `README.md's menu: ${readmeMenu.join(' | ')}`);
    assert.ok(!readmeMenu.some((label) => /Run Runbook/.test(label)), `README.md's menu: ${readmeMenu.join(' | ')}`);
    await workbench.closeContextMenu();

    const menu = await workbench.openContextMenu(await workbench.revealInExplorer('ops/check-disk.runbook.sh'));
    assert.ok(menu.includes('Run Runbook…'), `check-disk.runbook.sh's menu: ${menu.join(' | ')}`);
    assert.ok(menu.includes('Run Runbook with Environment…'));
    await workbench.screenshot('explorer-context-menu');
    assert.equal(await workbench.activeEditorTab(), 'README.md'); // right-clicking opened nothing
    const execsBefore = execRequests().length;
    await workbench.clickContextMenuItem('Run Runbook…');

    await quick().waitForTitle('Run check-disk.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/2');
    await quick().type('80');
    await quick().accept();
    const run = await waitForRun(runsBefore);
    assert.match(run, /Disk usage above threshold/);
    assert.equal(execRequests().length, execsBefore + 1);
    assert.equal(lastExecBody().file_name, 'ops/check-disk.runbook.sh');
    assert.equal(await workbench.waitForStatusBar(/check-disk\.runbook\.sh: exit/), 'check-disk.runbook.sh: exit 2');
    assert.equal(await workbench.activeEditorTab(), 'README.md');
  });

  it('asks for a declared file secret from a file, keeps it in secret storage, sends it byte for byte, never shows it, and does not ask again', async () => {
    const kubeconfig = 'apiVersion: v1\nkind: Config\ncurrent-context: staging-eu\n';
    const kubeconfigFile = path.join(scratchDir, 'kubeconfig');
    fs.writeFileSync(kubeconfigFile, kubeconfig);
    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('k8s/pod-report.runbook.py');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run pod-report.runbook.py');
    assert.equal(await quick().step(), '1/3');
    assert.deepEqual(await quick().items(), ['python-local']);
    await quick().pick('python-local');
    await quick().waitForStep('2/3');
    assert.match((await quick().prompt()) ?? '', /namespace — Kubernetes namespace/);
    await quick().type('payments');
    await quick().accept();

    await quick().waitForStep('3/3');
    await quick().waitForPlaceholder(/File secret KUBECONFIG — Your kubeconfig file content/);
    await quick().pick('Choose a file…');
    await quick().chooseInFileDialog(kubeconfigFile);
    await quick().waitForPlaceholder('Remember KUBECONFIG for next runs?');
    assert.deepEqual(await quick().items(), ['Use for this run only', "Keep in VS Code's secret storage"]);
    await quick().pick("Keep in VS Code's secret storage");

    const run = await waitForRun(runsBefore);
    // The file arrived whole (the runbook found its third line); namespace is an asenv value, masked like a secret.
    assert.match(run, /namespace •+ via context staging-eu/);
    assert.match(run, /Environment:\s+filesystem:KUBECONFIG/);
    assert.match(run, /Status:\s+exit 0/);
    assert.equal(lastExecBody().env_vars['filesystem:KUBECONFIG'], base64(kubeconfig));

    // Second run: the stored value goes out again without a prompt.
    const execsBefore = execRequests().length;
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run pod-report.runbook.py');
    assert.equal(await quick().step(), '1/2');
    await quick().accept(); // python-local, the last connection
    await quick().waitForStep('2/2');
    await quick().type('billing');
    await quick().accept();
    const second = await waitForRun(runsBefore + 1);
    assert.match(second, /namespace •+ via context staging-eu/);
    assert.equal(lastExecBody().parameters.namespace, 'billing');
    assert.equal(execRequests().length, execsBefore + 1);
    assert.equal(lastExecBody().env_vars['filesystem:KUBECONFIG'], base64(kubeconfig));

    const transcript = await workbench.readOutputChannel('Hoop Runbooks');
    assert.ok(!transcript.includes(kubeconfig), 'the transcript shows the secret value');
    assert.ok(!transcript.includes(base64(kubeconfig)), 'the transcript shows the secret value in base64');

    // Forgetting removes the stored value: the next run asks for it again.
    await workbench.runCommand('Hoop: Forget Remembered Connections, Values and Secrets');
    await workbench.openFile('k8s/pod-report.runbook.py');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForStep('1/3');
    await quick().pick('python-local');
    await quick().waitForStep('2/3');
    await quick().accept();
    await quick().waitForStep('3/3');
    await quick().waitForPlaceholder(/File secret KUBECONFIG/);
    await quick().escape();
  });

  it('"Run with environment…" adds FOO=bar for this run: sent as envvar:FOO, listed by name only', async () => {
    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('ops/check-disk.runbook.sh');
    await workbench.clickCodeLens('Run with environment…');
    await quick().waitForTitle('Run check-disk.runbook.sh');
    assert.equal(await quick().step(), '1/3');
    await quick().pick('bash-local');
    await quick().waitForStep('2/3');
    await quick().type('95');
    await quick().accept();

    await quick().waitForStep('3/3');
    await quick().waitForPlaceholder(/Add environment variables, file secrets or metadata/);
    assert.deepEqual(await quick().items(), ['Run now', 'Add environment variable…', 'Add file secret…', 'Add metadata…']);
    await quick().pick('Add environment variable…');
    await waitUntil(async () => /Variable name/.test((await quick().prompt()) ?? ''));
    await quick().type('FOO');
    await quick().accept();
    await waitUntil(async () => /Value of FOO/.test((await quick().prompt()) ?? ''));
    assert.equal(await quick().input.getAttribute('type'), 'password');
    await quick().type('bar');
    await quick().accept();
    await quick().waitForPlaceholder('Added: envvar:FOO');
    await quick().pick('Run now');

    const run = await waitForRun(runsBefore);
    assert.match(run, /^Environment:\s+envvar:FOO$/m);
    assert.doesNotMatch(run, /\bbar\b/);
    assert.match(run, /Status:\s+exit 0/);
    assert.equal(lastExecBody().env_vars['envvar:FOO'], base64('bar'));
  });

  it('takes a two-line textarea value from an editor ("Use Text") and a file chosen in the open dialog (sent base64)', async () => {
    const attachment = path.join(scratchDir, 'incident.log');
    const attachmentBytes = Buffer.from(Array.from({ length: 40 }, (_, i) => `2024-05-01T10:${String(i).padStart(2, '0')}:00Z disk full on db-1\n`).join(''));
    fs.writeFileSync(attachment, attachmentBytes);
    const noteLines = ['Disk filled up on db-1', 'Rotated the logs'];

    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('ops/incident-note.runbook.sh');
    await workbench.clickCodeLens('Run runbook');
    await quick().waitForTitle('Run incident-note.runbook.sh');
    await quick().pick('bash-local');
    await quick().waitForStep('2/3');
    assert.match((await quick().prompt()) ?? '', /note \(required\) — What happened/);

    const tabsBefore = await workbench.editorTabs();
    await quick().clickButton('Edit several lines in an editor');
    const useText = await workbench.waitForNotification(/Edit the value of note in the new editor/);
    assert.deepEqual(useText.buttons, ['Use Text', 'Cancel']);
    await workbench.typeAtEndOfActiveEditor(noteLines.join('\n'));
    await workbench.waitForEditorText(noteLines.join('\n'));
    // A person may look at another editor before confirming: "Use Text" must still close only the note's editor.
    await workbench.clickEditorTab('incident-note.runbook.sh');
    await workbench.screenshot('textarea-editing-note');
    await useText.click('Use Text');

    await quick().waitForStep('3/3');
    await quick().waitForPlaceholder(/attachment — A log file to attach/);
    assert.deepEqual(await workbench.editorTabs(), tabsBefore); // the note's editor closed, nothing else
    await quick().pick('Choose a file…');
    await quick().chooseInFileDialog(attachment);

    const run = await waitForRun(runsBefore);
    assert.match(run, /Note \(1 line breaks\):\n {2}> Disk filled up on db-1\n {2}> Rotated the logs\n/);
    assert.match(run, new RegExp(`Attachment: ${attachmentBytes.length} bytes`));
    assert.match(run, /Status:\s+exit 0/);
    assert.equal(lastExecBody().parameters.note, noteLines.join('\n'));
    assert.equal(lastExecBody().parameters.attachment, base64(attachmentBytes));
  });

  it('warns in a modal that the gateway runs the committed file when the runbook has uncommitted changes; Cancel sends nothing', async () => {
    const file = 'ops/check-disk.runbook.sh';
    try {
      await workbench.openFile(file);
      await workbench.typeAtEndOfActiveEditor('echo edited locally\n');
      await workbench.saveActiveEditor();
      assert.equal(runGit(sample.tryIt.workspaceFolder, 'diff', '--name-only'), file); // saved, so git sees it modified

      const requestsBefore = gateway.requests.length;
      await workbench.clickCodeLens('Run runbook');
      const dialog = await workbench.waitForDialog();
      assert.equal(dialog.message, 'The gateway will not run what you see in the editor.');
      assert.match(dialog.detail, /ops\/check-disk\.runbook\.sh has uncommitted changes: the gateway runs the committed version/);
      assert.ok(dialog.buttons.includes('Run Anyway') && dialog.buttons.includes('Cancel'), dialog.buttons.join(' | '));
      await workbench.screenshot('uncommitted-changes-warning');
      await dialog.click('Cancel');
      // Nothing to wait for when nothing happens: give a wrongly started run time to show itself.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await quick().isOpen(), false);
      assert.deepEqual(gateway.requests.slice(requestsBefore), []);

      const runsBefore = (await transcriptRuns()).length;
      await workbench.clickCodeLens('Run runbook');
      await (await workbench.waitForDialog()).click('Run Anyway');
      await quick().waitForTitle('Run check-disk.runbook.sh');
      await quick().accept(); // bash-local, the last connection
      await quick().waitForStep('2/2');
      await quick().type('80');
      await quick().accept();
      const run = await waitForRun(runsBefore);
      assert.match(run, /Disk usage above threshold/);
      assert.doesNotMatch(run, /edited locally/); // the gateway ran the committed file
    } finally {
      runGit(sample.tryIt.workspaceFolder, 'checkout', '--', file);
    }
    await workbench.waitForEditorText(/exit 2\n\s*fi\s*$/);
  });

  it('warns when the pushed commit is not what the gateway runs: a change pushed to a feature branch', async () => {
    const folder = sample.tryIt.workspaceFolder;
    const file = 'ops/check-disk.runbook.sh';
    try {
      runGit(folder, 'checkout', '--quiet', '-b', 'feature/threshold');
      fs.appendFileSync(path.join(folder, file), 'echo "changed on a branch"\n');
      runGit(folder, 'commit', '--quiet', '-am', 'Change check-disk on a branch');
      runGit(folder, 'push', '--quiet', 'origin', 'feature/threshold');
      const requestsBefore = execRequests().length;
      await workbench.openFile(file);
      await workbench.waitForEditorText(/changed on a branch/);
      await workbench.clickCodeLens('Run runbook');
      const dialog = await workbench.waitForDialog();
      assert.match(dialog.detail, /^The gateway reads commit [0-9a-f]{7} of its branch, where ops\/check-disk\.runbook\.sh differs from your commit [0-9a-f]{7}: it will run that version\./);
      await workbench.screenshot('gateway-runs-another-commit');
      await dialog.click('Cancel');
      assert.equal(execRequests().length, requestsBefore);
    } finally {
      runGit(folder, 'checkout', '--quiet', 'main');
    }
  });

  /** Revokes the sample token on the gateway; the same person can sign in again with email and password. */
  function revokeSampleToken(): () => void {
    const users = gateway.config.users;
    const developer = users[sampleToken];
    delete users[sampleToken];
    users['signed-in-again'] = { ...developer, password: 'dev-pass' };
    return () => {
      users[sampleToken] = developer;
      delete users['signed-in-again'];
    };
  }

  /** Answers "Sign In Again" with the sample gateway's own method (email and password). */
  async function signInAgain(): Promise<void> {
    const offer = await workbench.waitForNotification(/rejected the token \(401 "access denied"\); nothing ran\. Sign in to .* again to go on\./);
    await offer.click('Sign In Again');
    await quick().waitForTitle(/^Hoop: email for /);
    await quick().type('dev@acme.example');
    await quick().accept();
    await quick().waitForTitle(/^Hoop: password for dev@acme\.example/);
    assert.equal(await quick().input.getAttribute('type'), 'password');
    await quick().type('dev-pass');
    await quick().accept();
  }

  it('after a 401 on a revoked token, offers Sign In Again with the gateway\'s method and goes on; the revoked token never reaches exec', async () => {
    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('ops/check-disk.runbook.sh');
    const requestsBefore = gateway.requests.length;
    const execsBefore = execRequests().length;
    const restore = revokeSampleToken();
    try {
      await workbench.clickCodeLens('Run runbook');
      await signInAgain();
      assert.ok(gateway.requests.length > requestsBefore, 'the gateway was asked before signing in again');
      assert.equal(execRequests().length, execsBefore);

      await quick().waitForTitle('Run check-disk.runbook.sh');
      await quick().accept();
      await quick().waitForStep('2/2');
      await quick().type('95');
      await quick().accept();
      const run = await waitForRun(runsBefore);
      assert.match(run, /Status:\s+exit 0/);
      assert.equal(execRequests().length, execsBefore + 1);
    } finally {
      restore();
    }
    await setTokenFromPalette(sampleToken);
  });

  it('when exec answers 401, offers Sign In Again and sends exactly once more', async () => {
    const runsBefore = (await transcriptRuns()).length;
    await workbench.openFile('ops/check-disk.runbook.sh');
    const execsBefore = execRequests().length;
    const sessionsBefore = gateway.sessions.size;
    let restore: (() => void) | undefined;
    try {
      await workbench.clickCodeLens('Run runbook');
      await quick().waitForTitle('Run check-disk.runbook.sh');
      await quick().accept();
      await quick().waitForStep('2/2');
      // The token is revoked while the person fills in the last prompt.
      restore = revokeSampleToken();
      await quick().type('95');
      await quick().accept();

      await signInAgain();
      const run = await waitForRun(runsBefore);
      assert.match(run, /Status:\s+exit 0/);
      // Why the token was asked for again is in the log, not in the run's transcript.
      const log = await workbench.readOutputChannel('Hoop Runbooks Log');
      assert.match(log, /The gateway rejected the token \(401 "access denied"\); nothing ran\.[\s\S]*Sending check-disk\.runbook\.sh again with the new token\./);
      // Two exec requests: the 401 opened no session, the retry one.
      assert.equal(execRequests().length, execsBefore + 2);
      assert.equal(gateway.sessions.size, sessionsBefore + 1);
    } finally {
      restore?.();
    }
    await setTokenFromPalette(sampleToken);
  });

  it("shows a spinner while running; clicking it opens the run's output, which follows the run to its exit code", async () => {
    const runsBefore = (await transcriptRuns()).length;
    await withReindexRunning(sample, async () => {
      await workbench.waitForStatusBar(/^reindex\.runbook\.sh: running$/, 30_000);
      assert.deepEqual(await workbench.statusBarIcons(/^reindex\.runbook\.sh: running$/), ['sync', 'modifier-spin']);
      await workbench.screenshot('running-spinner');
      await workbench.clickStatusBarItem(/^reindex\.runbook\.sh: running$/);
      await workbench.waitForEditorText(/reindexing orders: step \d\/4/, 30_000);
      assert.equal(await workbench.waitForStatusBar(/reindex\.runbook\.sh: exit/, 30_000), 'reindex.runbook.sh: exit 0');
      assert.match(await waitForRun(runsBefore), /Status:\s+exit 0/);

      // A gateway that stops waiting first answers 202 "running": not an end, the run is followed until done.
      gateway.config.execWaitMs = 1_000;
      await workbench.openFile('db/reindex.runbook.sh');
      await workbench.clickCodeLens('Run runbook');
      await quick().waitForTitle('Run reindex.runbook.sh');
      await quick().accept();
      await quick().waitForStep('2/2');
      await quick().accept();
      await workbench.waitForStatusBar(/^reindex\.runbook\.sh: running$/, 30_000);
      const ended = await waitForRun(runsBefore + 1);
      assert.match(ended, /reindexing orders: step 4\/4\n[\s\S]*Status:\s+exit 0/);
      assert.equal(await workbench.waitForStatusBar(/reindex\.runbook\.sh: exit/), 'reindex.runbook.sh: exit 0');
    });
  });
});

/** For conditions the page-object has no wait for. */
async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
