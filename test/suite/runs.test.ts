import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/run/runFlow';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { waitFor, workspaceUri } from './fixture';

const token = 'hpk_runs_suite';
const reviewerToken = 'hpk_runs_suite_reviewer';

/** Runbooks this suite adds to the workspace's repository, committed and pushed to its bare remote. */
const runbooks: Record<string, string> = {
  'ops/ticks.runbook.sh': 'for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 0.5; done\necho "oops" >&2\nexit 3\n',
  'ops/long.runbook.sh': 'echo "started"\nsleep 60\necho "never"\n',
  'ops/greet.runbook.sh': 'echo "greet {{ .name | required "name is required" }} from {{ .team | default "ops" }}"\n',
  // The file is a secret, so its content is masked in output: its digest proves it arrived byte for byte.
  'ops/kubeconfig.runbook.sh': 'echo "sha256 $(sha256sum < "$KUBECONFIG" | cut -c1-64)"\n',
};

function git(...args: string[]): string {
  const cwd = vscode.workspace.workspaceFolders![0].uri.fsPath;
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function run(file: string, options: Record<string, unknown>): Thenable<RunResult> {
  return vscode.commands.executeCommand<RunResult>('hoop.runRunbook', workspaceUri(file), { skipGitWarnings: true, ...options });
}

function runDocumentText(): string | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'hoop-run')?.getText();
}

/** Issue 6: every run followed to its end, in the real extension host against the local gateway. */
describe('runs followed to their end', function () {
  this.timeout(90_000);
  let gateway: LocalGateway;

  before(async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    for (const [file, text] of Object.entries(runbooks)) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, file), Buffer.from(text));
    }
    git('add', '-A');
    git('-c', 'user.name=Suite', '-c', 'user.email=suite@example.com', 'commit', '-qm', 'Runbooks for the lifecycle suite');
    git('push', '-q', 'origin', 'HEAD');
    gateway = await startLocalGateway({
      users: {
        [token]: { email: 'runs@example.com', name: 'Run Suite', role: 'standard', groups: ['dev'] },
        [reviewerToken]: { email: 'lead@example.com', name: 'Rita Reviewer', role: 'standard', groups: ['sre'] },
      },
      repositories: [{ gitUrl: 'https://github.com/acme/runbooks.git', path: process.env.HOOP_TEST_BARE_DIR! }],
      connections: [
        { name: 'bash-a', command: ['bash'] },
        { name: 'bash-b', command: ['bash'] },
        { name: 'bash-c', command: ['bash'] },
        { name: 'reviewed', command: ['bash'], review: true, reviewers: ['sre'] },
        { name: 'jira-ops', command: ['bash'], jiraIssueTemplateId: 'ops-change' },
      ],
      jiraIssueTemplates: [{ id: 'ops-change', name: 'Ops change', projectKey: 'OPS', requestTypeId: '10', promptFields: [{ jiraField: 'customfield_10052', label: 'Change reason', required: true }] }],
      execWaitMs: 1500,
      flushIntervalMs: 500,
    });
    await vscode.workspace.getConfiguration('hoop').update('gatewayUrl', gateway.url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('hoop.setToken', token);
  });
  after(async () => {
    await gateway?.close();
  });

  it('shows output live in the run document while the run outlives the exec wait, then exit 3', async () => {
    const result = run('ops/ticks.runbook.sh', { connection: 'bash-a' });
    let ended = false;
    void Promise.resolve(result).then(() => (ended = true));
    await waitFor('a session at the gateway', () => [...gateway.sessions.values()].find((session) => session.labels.runbookFile === 'ops/ticks.runbook.sh'));
    await vscode.commands.executeCommand('hoop.openRunOutput');
    const live = await waitFor('live output in the run document', () => (/tick [1-8]\n/.test(runDocumentText() ?? '') ? runDocumentText() : undefined));
    assert.equal(ended, false, `output was visible before the run ended:\n${live}`);
    const record = await result;
    assert.equal(record.state, 'failed');
    assert.equal(record.exitCode, 3);
    assert.match(record.output, /tick 8\n[\s\S]*oops/);
    await waitFor('the footer in the run document', () => (/exit 3/.test(runDocumentText() ?? '') ? true : undefined));
  });

  it('Stop Run kills the run on the gateway: the session ends and the run is killed', async () => {
    const result = run('ops/long.runbook.sh', { connection: 'bash-a' });
    const session = await waitFor('the long run to start', () =>
      [...gateway.sessions.values()].find((candidate) => candidate.labels.runbookFile === 'ops/long.runbook.sh' && candidate.status === 'open'),
    );
    // Before the run knows its session, Stop Run is remembered and the kill follows as soon as it does.
    const stopped = await vscode.commands.executeCommand('hoop.stopRun', undefined, { confirmed: true });
    assert.ok(stopped === 'killed' || stopped === 'pending', String(stopped));
    const record = await result;
    assert.equal(record.state, 'killed');
    await waitFor('the gateway to end the session', () => session.status === 'done' || undefined);
    assert.ok(!(record.output ?? '').includes('never'));
  });

  it('review: waits, then Execute Now after another user approves runs it to its end', async () => {
    const waiting = await run('ops/greet.runbook.sh', { connection: 'reviewed', parameters: { name: 'Ana', team: 'ops' } });
    assert.equal(waiting.state, 'waitingForReview');
    assert.ok(waiting.sessionId);
    const approve = await fetch(`${gateway.url}/api/reviews/${waiting.sessionId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${reviewerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'APPROVED' }),
    });
    assert.equal(approve.status, 200);
    // The run watches the review every 5 s, like hoop's web UI; until it sees the approval, Execute Now refuses.
    let executed: RunResult | undefined;
    for (let attempt = 0; attempt < 20 && !executed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      executed = await vscode.commands.executeCommand<RunResult | undefined>('hoop.executeApproved', waiting.id);
    }
    assert.ok(executed, 'Execute Now ran once the run saw the approval');
    assert.equal(executed.state, 'done');
    assert.equal(executed.exitCode, 0);
    assert.match(executed.output, /greet Ana from ops/);
  });

  it('runs on three connections at once with one batch id, each followed on its own', async () => {
    const results = await vscode.commands.executeCommand<RunResult[]>('hoop.runOnSeveralConnections', workspaceUri('ops/greet.runbook.sh'), {
      connections: ['bash-a', 'bash-b', 'bash-c'],
      parameters: { name: 'batch', team: 'ops' },
      skipGitWarnings: true,
    });
    assert.deepEqual(results.map((result) => result.connection).sort(), ['bash-a', 'bash-b', 'bash-c']);
    assert.ok(results.every((result) => result.state === 'done' && result.exitCode === 0));
    const batchIds = new Set(results.map((result) => result.batchId));
    assert.equal(batchIds.size, 1);
    const sent = gateway.requests.filter((request) => request.path === '/api/runbooks/exec' && (request.body as { session_batch_id?: string }).session_batch_id === [...batchIds][0]);
    assert.equal(sent.length, 3);
  });

  it('two different runbooks at once keep two separate outputs', async () => {
    const kubeconfig = 'apiVersion: v1\nclusters:\n- name: prod\n  cluster: {}\n';
    const [greet, kube] = await Promise.all([
      run('ops/greet.runbook.sh', { connection: 'bash-a', parameters: { name: 'first', team: 'ops' } }),
      run('ops/kubeconfig.runbook.sh', { connection: 'bash-b', envVars: [{ kind: 'filesystem', name: 'KUBECONFIG', value: kubeconfig }] }),
    ]);
    assert.match(greet.output, /greet first from ops/);
    assert.ok(!greet.output.includes('sha256'));
    assert.equal(kube.output, `sha256 ${createHash('sha256').update(kubeconfig).digest('hex')}\n`, 'a file secret arrives byte for byte, newlines included');
  });

  it('Rerun Last sends the same connection and parameters again', async () => {
    await run('ops/greet.runbook.sh', { connection: 'bash-c', parameters: { name: 'again', team: 'sre' } });
    const before = gateway.requests.length;
    const rerun = await vscode.commands.executeCommand<RunResult>('hoop.rerunLast');
    assert.equal(rerun.connection, 'bash-c');
    assert.match(rerun.output, /greet again from sre/);
    const body = gateway.requests.slice(before).find((request) => request.path === '/api/runbooks/exec')?.body as { parameters: Record<string, string> };
    assert.deepEqual(body.parameters, { name: 'again', team: 'sre' });
  });

  it('Jira fields are sent, and the created issue is on the run', async () => {
    const result = await run('ops/greet.runbook.sh', { connection: 'jira-ops', parameters: { name: 'jira', team: 'ops' }, jiraFields: { customfield_10052: 'disk full' } });
    assert.equal(result.state, 'done');
    const body = gateway.requests.filter((request) => request.path === '/api/runbooks/exec').at(-1)?.body as { jira_fields?: Record<string, string> };
    assert.deepEqual(body.jira_fields, { customfield_10052: 'disk full' });
    assert.match(result.jiraIssue?.key ?? '', /^OPS-\d+$/);
  });
});
