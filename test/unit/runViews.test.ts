import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Run, type RunRecord, type RunState } from '../../src/core/run/run';
import {
  batchIcon,
  batchSummary,
  describeBatch,
  describeRun,
  formatElapsed,
  groupRuns,
  relativeTime,
  renderRunDocument,
  runContextValue,
  runDocumentPath,
  runIcon,
  runIdOf,
  runSeverity,
  runTooltipMarkdown,
  statusBarView,
} from '../../src/core/run/runPresentation';

const startedAt = Date.UTC(2026, 11, 1, 14, 2, 31);
const minute = 60_000;

function record(changes: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    runbookName: 'restart-service',
    connection: 'prod-billing',
    gatewayUrl: 'https://hoop.example.com',
    state: 'done',
    message: 'restart-service finished successfully (exit 0).',
    startedAt,
    ...changes,
  };
}

const recipe = { uri: 'file:///repo/ops/restart-service.runbook.sh', connection: 'prod-billing', parameters: { service: 'billing' }, metadata: {} };

/** The commands the Runs view's context menu offers for an item, read from package.json's `when` clauses. */
function menuFor(contextValue: string, inlineOnly = false): string[] {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
  const entries: Array<{ command: string; when: string; group: string }> = manifest.contributes.menus['view/item/context'];
  return entries
    .filter((entry) => !inlineOnly || entry.group.startsWith('inline'))
    .filter((entry) => {
      const match = /viewItem =~ \/(.+)\/$/.exec(entry.when);
      assert.ok(match, `${entry.command}: ${entry.when}`);
      return new RegExp(match[1] as string).test(contextValue);
    })
    .map((entry) => entry.command.replace('hoop.', ''))
    .filter((command, index, all) => all.indexOf(command) === index)
    .sort();
}

describe('the runs view: what each run offers', () => {
  it('a run going on with a session: stop, stop waiting, the session, rerun; stop is the inline action', () => {
    const value = runContextValue(record({ state: 'running', sessionId: 's-1', recipe }));
    assert.equal(value, 'hoopRun.running.session.following.rerunnable');
    assert.deepEqual(menuFor(value), ['copySessionId', 'openRunOutput', 'openSession', 'rerun', 'rerunWithChanges', 'stopRun', 'stopWaiting']);
    assert.deepEqual(menuFor(value, true), ['stopRun']);
  });

  it('a run the user stopped waiting for can still be killed, but not stopped waiting for again', () => {
    const value = runContextValue(record({ state: 'running', sessionId: 's-1', detached: true, recipe }));
    assert.ok(menuFor(value).includes('stopRun'));
    assert.ok(!menuFor(value).includes('stopWaiting'));
  });

  it('a run still being sent has no session to open or copy', () => {
    const value = runContextValue(record({ state: 'sending' }));
    assert.deepEqual(menuFor(value), ['openRunOutput', 'stopRun', 'stopWaiting']);
  });

  it('an approved run offers Execute Now inline, and nothing to kill', () => {
    const value = runContextValue(record({ state: 'approved', sessionId: 's-1', recipe }));
    assert.deepEqual(menuFor(value, true), ['executeApproved']);
    assert.ok(!menuFor(value).includes('stopRun'));
  });

  it('an ended run offers rerun inline, and neither stop nor execute', () => {
    for (const state of ['done', 'failed', 'rejected', 'killed', 'unknown'] as RunState[]) {
      const value = runContextValue(record({ state, sessionId: 's-1', recipe }));
      assert.equal(value, 'hoopRun.ended.session.rerunnable', state);
      assert.deepEqual(menuFor(value), ['copySessionId', 'openRunOutput', 'openSession', 'rerun', 'rerunWithChanges'], state);
      assert.deepEqual(menuFor(value, true), ['rerun'], state);
    }
  });

  it('a run without a recipe (it failed before its parameters were known) cannot be rerun', () => {
    assert.deepEqual(menuFor(runContextValue(record({ state: 'failed' }))), ['openRunOutput']);
  });
});

describe('the runs view: labels, icons, groups', () => {
  it('describes a run as connection · state and exit code · duration · when', () => {
    const text = describeRun(record({ state: 'failed', exitCode: 3, endedAt: startedAt + 8_400 }), startedAt + 5 * minute);
    assert.deepEqual(text, { label: 'restart-service', description: 'prod-billing · exit 3 · 8.4 s · 5 min ago' });
  });

  it('a run going on shows the time so far; inside a batch its label is the connection', () => {
    const text = describeRun(record({ state: 'running', detached: true }), startedAt + 75_000, true);
    assert.deepEqual(text, { label: 'prod-billing', description: 'running (not waiting) · 1 min 15 s · 1 min ago' });
  });

  it('gives each state its icon, and a non-zero exit the error icon whatever the state', () => {
    const icons = Object.fromEntries(
      (['preparing', 'sending', 'running', 'waitingForReview', 'approved', 'done', 'failed', 'rejected', 'killed', 'unknown'] as RunState[]).map((state) => [state, runIcon(record({ state, exitCode: state === 'done' ? 0 : undefined })).id]),
    );
    assert.deepEqual(icons, {
      preparing: 'sync~spin',
      sending: 'sync~spin',
      running: 'sync~spin',
      waitingForReview: 'eye',
      approved: 'check',
      done: 'pass',
      failed: 'error',
      rejected: 'circle-slash',
      killed: 'circle-slash',
      unknown: 'question',
    });
    assert.equal(runIcon(record({ state: 'done', exitCode: 2 })).id, 'error');
    assert.equal(runSeverity(record({ state: 'done', exitCode: 2 })), 'error');
    assert.equal(runSeverity(record({ state: 'done', exitCode: 0 })), 'none');
    assert.equal(runSeverity(record({ state: 'killed' })), 'warning');
  });

  it('groups runs of one batch under the place of its newest run, newest first, and shows a lone survivor as a run', () => {
    const runs = [
      { id: 'solo-new', batchId: undefined },
      { id: 'b1-c', batchId: 'b1' },
      { id: 'solo-old', batchId: undefined },
      { id: 'b1-b', batchId: 'b1' },
      { id: 'b2-a', batchId: 'b2' },
      { id: 'b1-a', batchId: 'b1' },
    ].map(({ id, batchId }) => ({ id, data: record({ id, batchId }) }));
    const shape = groupRuns(runs).map((node) => (node.kind === 'run' ? node.run.id : `${node.batchId}: ${node.runs.map((run) => run.id).join(', ')}`));
    assert.deepEqual(shape, ['solo-new', 'b1: b1-c, b1-b, b1-a', 'solo-old', 'b2-a']);
  });

  it('sums up a batch by result, and shows the spinner while any of it runs', () => {
    const records = [
      record({ connection: 'a', state: 'done', exitCode: 0 }),
      record({ connection: 'b', state: 'failed', exitCode: 1 }),
      record({ connection: 'c', state: 'running' }),
      record({ connection: 'd', state: 'done', exitCode: 0 }),
    ];
    assert.deepEqual(describeBatch(records), { label: 'restart-service on 4 connections', description: '1 running, 2 done, 1 failed' });
    assert.equal(batchIcon(records).id, 'sync~spin');
    assert.equal(batchIcon(records.filter((one) => one.state !== 'running')).id, 'error');
  });

  it('reads the run id from what a command gets: the id, a run element, never a batch or junk', () => {
    assert.equal(runIdOf('run-7'), 'run-7');
    assert.equal(runIdOf({ kind: 'run', runId: 'run-8' }), 'run-8');
    assert.equal(runIdOf({ kind: 'batch', batchId: 'b1' }), undefined);
    assert.equal(runIdOf(undefined), undefined);
    assert.equal(runIdOf({ runId: 3 }), undefined);
  });

  it('says durations and times the way people read them', () => {
    assert.deepEqual([400, 8_400, 42_700, 192_000, 3_840_000].map(formatElapsed), ['0.4 s', '8.4 s', '42 s', '3 min 12 s', '1 h 04 min']);
    const now = startedAt;
    assert.deepEqual(
      [now - 20_000, now - 5 * minute, now - 3 * 60 * minute, now - 30 * 60 * minute, now - 3 * 24 * 60 * minute, now - 30 * 24 * 60 * minute].map((then) => relativeTime(then, now)),
      ['just now', '5 min ago', '3 h ago', 'yesterday', '3 days ago', '2026-11-01'],
    );
  });

  it('hovers with the gateway and a session link, escaping what the gateway wrote', () => {
    const tooltip = runTooltipMarkdown(record({ gatewayName: 'Acme', sessionId: 'abc-123', message: 'Failed: see [here](javascript:alert(1)) *now*' }), startedAt + minute);
    assert.ok(tooltip.includes('Gateway: Acme \\(https://hoop\\.example\\.com\\)'), tooltip);
    assert.ok(tooltip.includes('Session: [abc\\-123](https://hoop.example.com/sessions/abc-123)'), tooltip);
    assert.ok(tooltip.includes('see \\[here\\]\\(javascript:alert\\(1\\)\\) \\*now\\*'), tooltip);
  });
});

function assertHasLines(text: string, expectedLines: string[]): void {
  for (const expected of expectedLines) {
    assert.ok(text.includes(expected), `${expected}\n---\n${text}`);
  }
}

describe("a run's document", () => {
  const summary = {
    fileName: 'ops/restart-service.runbook.sh',
    repository: 'git@example.com:acme/runbooks.git',
    refHash: '0123456789abcdef0123',
    branch: 'main',
    route: 'v2' as const,
    parameters: { service: 'billing', password: '(hidden)' },
    envVarNames: ['KUBECONFIG'],
    metadataKeys: ['ticket'],
    clientArgs: ['--verbose'],
  };

  it('has a readable tab title that ends in .log', () => {
    assert.equal(runDocumentPath(record({ runbookName: 'ops/restart', connection: 'prod' })), '/ops-restart on prod 14:02:31.log');
  });

  it('shows the header, the output as it arrives, and what it is waiting for', () => {
    const run = new Run(record({ state: 'running', sessionId: 'abc-123', summary }));
    run.appendOutput('restarting billing\n');
    const text = renderRunDocument(run);
    assertHasLines(text, [
      'Runbook:      ops/restart-service.runbook.sh',
      'Repository:   git@example.com:acme/runbooks.git @ 0123456789ab (main)',
      'Parameters:   service = billing, password = (hidden)',
      'Client args:  --verbose',
      'Environment:  KUBECONFIG',
      'restarting billing',
      '… running: output appears here as the gateway sends it',
      'Session:      abc-123  https://hoop.example.com/sessions/abc-123',
    ]);
    assert.ok(!text.includes('Status:'));
    run.appendOutput('done\n');
    assert.ok(renderRunDocument(run).includes('restarting billing\ndone\n'));
  });

  it('ends with the status, exit code, duration and every link once the run ends', () => {
    const run = new Run(record({ state: 'running', sessionId: 'abc-123', summary, reviewUrl: 'https://hoop.example.com/reviews/r-1', reviewedBy: 'alice@example.com' }));
    run.update({
      state: 'failed',
      exitCode: 3,
      endedAt: startedAt + 72_000,
      message: 'restart-service failed with exit code 3.',
      jiraIssue: { key: 'OPS-42', url: 'https://jira.example.com/browse/OPS-42' },
      aiAnalysis: { risk_level: 'high', title: 'Restarts production', explanation: 'The service goes down for a minute.' },
    });
    const text = renderRunDocument(run);
    assertHasLines(text, [
      'Status:       exit 3 — restart-service failed with exit code 3.',
      'Exit code:    3',
      'Duration:     1 min 12 s',
      'Review:       https://hoop.example.com/reviews/r-1 (reviewed by alice@example.com)',
      'AI analysis:  risk high — Restarts production: The service goes down for a minute.',
      'Jira issue:   OPS-42  https://jira.example.com/browse/OPS-42',
    ]);
    assert.ok(!text.includes('… running'));
  });

  it('says how much earlier output a huge run dropped, and that the session has it all', () => {
    const run = new Run(record({ state: 'running' }), 1024 * 1024);
    run.appendOutput('x'.repeat(3 * 1024 * 1024) + 'tail end\n');
    const text = renderRunDocument(run);
    assert.ok(text.includes('[2.0 MB of earlier output not shown; the full output is in the session.]'), text.slice(0, 600));
    assert.ok(text.includes('tail end'));
    assert.ok(text.length < 1024 * 1024 + 2000);
  });

  it('without output (e.g. a run from before a restart), points to the session', () => {
    assert.ok(renderRunDocument(new Run(record({ state: 'done', exitCode: 0, sessionId: 's-1' }))).includes('(no output here; the session keeps the full output)'));
    assert.ok(renderRunDocument(new Run(record({ state: 'failed' }))).includes('(no output)'));
    assert.ok(renderRunDocument(new Run(record({ state: 'sending' }))).includes('(no output yet)'));
  });
});

describe('the summary of a batch', () => {
  it('lists each connection with its result, duration and session link, and says whether all succeeded', () => {
    const records = [
      record({ connection: 'prod-a', batchId: 'b-1', state: 'done', exitCode: 0, endedAt: startedAt + 1_200, sessionId: 's-a' }),
      record({ connection: 'prod-bb', batchId: 'b-1', state: 'failed', exitCode: 1, endedAt: startedAt + 3_400, sessionId: 's-b' }),
      record({ connection: 'prod-c', batchId: 'b-1', state: 'killed', endedAt: startedAt + 65_000 }),
    ];
    const summary = batchSummary(records);
    assert.equal(summary.headline, 'restart-service on 3 connections: 1 done, 1 failed, 1 killed.');
    assert.equal(
      summary.text,
      [
        '━━━ restart-service on 3 connections (batch b-1) ━━━',
        'prod-a   exit 0              1.2 s         https://hoop.example.com/sessions/s-a',
        'prod-bb  exit 1              3.4 s         https://hoop.example.com/sessions/s-b',
        'prod-c   killed              1 min 05 s    no session',
        '',
      ].join('\n'),
    );
    assert.equal(summary.allSucceeded, false);
    assert.equal(batchSummary(records.slice(0, 1)).allSucceeded, true);
  });
});

describe('the status bar', () => {
  const all = () => true;

  it('names the one run going on, and opens it on click', () => {
    const view = statusBarView([record({ id: 'r2', state: 'running' }), record({ id: 'r1', state: 'done', exitCode: 0 })], all);
    assert.deepEqual(view && { text: view.text, runId: view.runId, severity: view.severity }, { text: '$(sync~spin) restart-service: running', runId: 'r2', severity: 'none' });
  });

  it('counts several runs going on, and leaves the choice to the user', () => {
    const view = statusBarView([record({ id: 'r3', state: 'sending' }), record({ id: 'r2', state: 'running', connection: 'prod-b' }), record({ id: 'r1', state: 'failed' })], all);
    assert.equal(view?.text, '$(sync~spin) 2 running');
    assert.equal(view?.runId, undefined);
    assert.ok(view?.tooltip.includes('restart-service on prod-b: running'));
  });

  it('otherwise shows the latest news: a run that ended after a newer one started wins', () => {
    const runs = [
      record({ id: 'newer', state: 'done', exitCode: 0, startedAt: startedAt + minute, endedAt: startedAt + 2 * minute }),
      record({ id: 'older', state: 'failed', exitCode: 3, runbookName: 'migrate', startedAt, endedAt: startedAt + 5 * minute, message: 'migrate failed with exit code 3.' }),
    ];
    assert.deepEqual(statusBarView(runs, all), { text: '$(error) migrate: exit 3', tooltip: 'migrate failed with exit code 3.\nClick to open its output.', runId: 'older', severity: 'error' });
  });

  it('stays hidden while only runs from before a restart are known', () => {
    assert.equal(statusBarView([record({ state: 'done' })], () => false), undefined);
    assert.equal(statusBarView([], all), undefined);
  });
});

describe('review links the gateway wrote', () => {
  it("are shown only on the gateway's own origin; another address gives way to the session page", () => {
    const foreign = record({ state: 'waitingForReview', sessionId: 's-9', reviewUrl: 'https://evil.example.net/reviews/1' });
    const text = renderRunDocument(new Run(foreign));
    assert.ok(!text.includes('evil.example.net'), text);
    assert.ok(text.includes('Review:       https://hoop.example.com/sessions/s-9'), text);
    assert.ok(!runTooltipMarkdown(foreign, startedAt).includes('evil'));
    assert.ok(!runTooltipMarkdown(record({ reviewUrl: 'javascript:alert(1)' }), startedAt).includes('javascript'));
  });
});
