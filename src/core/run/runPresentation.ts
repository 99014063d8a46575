import { sessionUrl } from '../runOutcome';
import { gatewayLink } from './links';
import { isEndState, stateLabel, type RunRecord, type RunState } from './run';

/** What the views read of a run: its record and output (a `Run` fits). */
export interface RunLike {
  readonly data: Readonly<RunRecord>;
  readonly output: string;
  readonly outputCharsDropped: number;
}

type RunData = Readonly<RunRecord>;

/** States in which the gateway may be executing the run now: the spinner, the ticking duration, Stop. */
const goingOnStates: ReadonlySet<RunState> = new Set(['preparing', 'sending', 'running']);

export function isGoingOn(record: RunData): boolean {
  return goingOnStates.has(record.state);
}

/** A done run with a non-zero exit code failed, whatever state the flow gave it. */
function isFailure(record: RunData): boolean {
  return record.state === 'failed' || (record.state === 'done' && record.exitCode !== undefined && record.exitCode !== 0);
}

/** A codicon id and an optional theme colour id, as the runs view and the status bar show a run. */
export interface RunIcon {
  id: string;
  color?: string;
}

export function runIcon(record: RunData): RunIcon {
  if (isFailure(record)) {
    return { id: 'error', color: 'testing.iconFailed' };
  }
  switch (record.state) {
    case 'preparing':
    case 'sending':
    case 'running':
      return { id: 'sync~spin' };
    case 'waitingForReview':
      return { id: 'eye', color: 'charts.yellow' };
    case 'approved':
      return { id: 'check', color: 'charts.green' };
    case 'done':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'rejected':
    case 'killed':
      return { id: 'circle-slash', color: 'charts.yellow' };
    default:
      return { id: 'question' };
  }
}

/** `none`, `warning` or `error`: the status bar's background for a run's result. */
export function runSeverity(record: RunData): 'none' | 'warning' | 'error' {
  if (isFailure(record)) {
    return 'error';
  }
  return record.state === 'done' || isGoingOn(record) ? 'none' : 'warning';
}

/**
 * The tree item's `contextValue`: `hoopRun.<phase>` then the flags that decide which actions the
 * menus offer, always in this order: `.session` (its id is known), `.following` (the user still
 * waits for it, so Stop Waiting applies), `.rerunnable` (it has a recipe).
 */
export function runContextValue(record: RunData): string {
  const phase = isEndState(record.state) ? 'ended' : record.state;
  const parts = ['hoopRun', phase];
  if (record.sessionId) {
    parts.push('session');
  }
  if (!isEndState(record.state) && record.state !== 'preparing' && !record.detached) {
    parts.push('following');
  }
  if (record.recipe) {
    parts.push('rerunnable');
  }
  return parts.join('.');
}

/** What the status bar shows: `runId` is the run a click opens (none: the user picks among several). */
export interface StatusBarView {
  text: string;
  tooltip: string;
  runId?: string;
  severity: 'none' | 'warning' | 'error';
}

/**
 * The runs going on (a spinner and their count, or the one run's name and state), else the run with
 * the latest news among those `counts` (the status bar leaves old history out); undefined: hide.
 */
export function statusBarView(runs: readonly RunData[], counts: (record: RunData) => boolean): StatusBarView | undefined {
  const goingOn = runs.filter(isGoingOn);
  if (goingOn.length > 1) {
    const lines = goingOn.map((record) => `${record.runbookName} on ${record.connection}: ${stateLabel(record)}`);
    return { text: `$(sync~spin) ${goingOn.length} running`, tooltip: `${lines.join('\n')}\nClick to pick one and open its output.`, severity: 'none' };
  }
  const newsAt = (record: RunData) => record.endedAt ?? record.startedAt;
  const shown = goingOn[0] ?? runs.filter(counts).reduce<RunData | undefined>((latest, record) => (!latest || newsAt(record) > newsAt(latest) ? record : latest), undefined);
  return (
    shown && {
      text: `$(${runIcon(shown).id}) ${shown.runbookName}: ${stateLabel(shown)}`,
      tooltip: `${shown.message}\nClick to open its output.`,
      runId: shown.id,
      severity: runSeverity(shown),
    }
  );
}

export function formatElapsed(milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms < 10_000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** How long the run took, or has taken so far. */
export function runDuration(record: RunData, now: number): number {
  return (record.endedAt ?? now) - record.startedAt;
}

export function relativeTime(then: number, now: number): string {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  const days = Math.floor(hours / 24);
  if (days === 1) {
    return 'yesterday';
  }
  return days < 7 ? `${days} days ago` : new Date(then).toISOString().slice(0, 10);
}

export interface RunItemText {
  label: string;
  description: string;
}

/** A run's line in the runs view. Inside a batch the label is the connection (the batch names the runbook). */
export function describeRun(record: RunData, now: number, inBatch = false): RunItemText {
  const parts = [stateLabel(record), formatElapsed(runDuration(record, now)), relativeTime(record.startedAt, now)];
  return inBatch ? { label: record.connection, description: parts.join(' · ') } : { label: record.runbookName, description: [record.connection, ...parts].join(' · ') };
}

/** Words for a batch summary, in the order they are listed. */
const summaryOrder = ['running', 'waiting for review', 'approved', 'done', 'failed', 'rejected', 'killed', 'unknown'] as const;
type SummaryWord = (typeof summaryOrder)[number];

function summaryWord(record: RunData): SummaryWord {
  if (isFailure(record)) {
    return 'failed';
  }
  if (isGoingOn(record)) {
    return 'running';
  }
  return record.state === 'waitingForReview' ? 'waiting for review' : (record.state as SummaryWord);
}

/** "restart-service on 3 connections" with "2 done, 1 failed". */
export function describeBatch(records: readonly RunData[]): RunItemText {
  const names = new Set(records.map((record) => record.runbookName));
  const label = names.size === 1 ? `${records[0]?.runbookName} on ${records.length} connections` : `${records.length} runs in one batch`;
  const counts = new Map<SummaryWord, number>();
  for (const record of records) {
    const word = summaryWord(record);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const description = summaryOrder.filter((word) => counts.has(word)).map((word) => `${counts.get(word)} ${word}`).join(', ');
  return { label, description };
}

export interface BatchSummary {
  /** One sentence for the notification: "restart-service on 3 connections: 2 done, 1 failed." */
  headline: string;
  /** The transcript's block: one line per connection with its state, exit code, duration and session link. */
  text: string;
  allSucceeded: boolean;
}

export function batchSummary(records: readonly RunData[]): BatchSummary {
  const { label, description } = describeBatch(records);
  const width = Math.max(...records.map((record) => record.connection.length));
  const lines = records.map((record) =>
    [
      record.connection.padEnd(width),
      stateLabel(record).padEnd(18),
      formatElapsed(runDuration(record, record.endedAt ?? record.startedAt)).padEnd(12),
      record.sessionId ? sessionUrl(record.gatewayUrl, record.sessionId) : 'no session',
    ]
      .join('  ')
      .trimEnd(),
  );
  return {
    headline: `${label}: ${description}.`,
    text: [`━━━ ${label} (batch ${records[0]?.batchId ?? ''}) ━━━`, ...lines, ''].join('\n'),
    allSucceeded: records.every((record) => record.state === 'done' && !isFailure(record)),
  };
}

/** The icon of a batch: the spinner while any member runs, else the worst result. */
export function batchIcon(records: readonly RunData[]): RunIcon {
  if (records.some(isGoingOn)) {
    return { id: 'sync~spin' };
  }
  const worst = records.find(isFailure) ?? records.find((record) => runSeverity(record) === 'warning') ?? records[0];
  return worst ? runIcon(worst) : { id: 'question' };
}

export type RunTreeNode<R extends { data: RunData }> = { kind: 'run'; run: R } | { kind: 'batch'; batchId: string; runs: R[] };

/**
 * Newest first, with runs that share a batch id gathered under one node placed where its newest
 * run is. A batch that has only one run left in history is shown as that run.
 */
export function groupRuns<R extends { data: RunData }>(runs: readonly R[]): RunTreeNode<R>[] {
  const nodes: RunTreeNode<R>[] = [];
  const batches = new Map<string, R[]>();
  for (const run of runs) {
    const batchId = run.data.batchId;
    if (batchId === undefined) {
      nodes.push({ kind: 'run', run });
      continue;
    }
    const members = batches.get(batchId);
    if (members) {
      members.push(run);
    } else {
      const created = [run];
      batches.set(batchId, created);
      nodes.push({ kind: 'batch', batchId, runs: created });
    }
  }
  return nodes.map((node) => (node.kind === 'batch' && node.runs.length === 1 ? { kind: 'run', run: node.runs[0] as R } : node));
}

/** The runs view's elements: plain data, so command handlers can read the run id from whatever a menu passes. */
export type RunsTreeElement = { kind: 'run'; runId: string } | { kind: 'batch'; batchId: string };

/** The run id a command was given: the id itself (CodeLens, status bar, tests) or a runs view element. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const element = arg as Partial<RunsTreeElement> | undefined;
  return element?.kind === 'run' && typeof element.runId === 'string' ? element.runId : undefined;
}

const markdownSpecials = /[\\`*_{}[\]()#+\-.!|<>~]/g;

function escapeMarkdown(text: string): string {
  return text.replace(markdownSpecials, (character) => `\\${character}`);
}

/** The review's link, only when the gateway's answer put it on the gateway's own origin (else the session page). */
function reviewLink(record: RunData): string | undefined {
  return record.reviewUrl ? gatewayLink(record.reviewUrl, record.gatewayUrl, record.sessionId) : undefined;
}

/** The runs view's hover, as Markdown: everything here is already free of secrets, and escaped. */
export function runTooltipMarkdown(record: RunData, now: number): string {
  const gateway = record.gatewayName ? `${record.gatewayName} (${record.gatewayUrl})` : record.gatewayUrl;
  const lines = [
    `**${escapeMarkdown(record.runbookName)}** on **${escapeMarkdown(record.connection)}** — ${escapeMarkdown(stateLabel(record))}`,
    escapeMarkdown(record.message),
    `Gateway: ${escapeMarkdown(gateway)}`,
    `Started: ${escapeMarkdown(formatTimestamp(record.startedAt))} (${escapeMarkdown(relativeTime(record.startedAt, now))}), ${escapeMarkdown(isEndState(record.state) ? 'took' : 'for')} ${escapeMarkdown(formatElapsed(runDuration(record, now)))}`,
  ];
  if (record.sessionId) {
    lines.push(`Session: [${escapeMarkdown(record.sessionId)}](${sessionUrl(record.gatewayUrl, record.sessionId)})`);
  }
  const review = reviewLink(record);
  if (review) {
    lines.push(`Review: [${escapeMarkdown(review)}](${review})${record.reviewedBy ? ` by ${escapeMarkdown(record.reviewedBy)}` : ''}`);
  }
  return lines.filter(Boolean).join('\n\n');
}

export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/**
 * The path of a run's document, which VS Code shows as the tab title: readable, unique enough
 * (the run id travels in the query), and ending in `.log` for the log colouring.
 */
export function runDocumentPath(record: RunData): string {
  const time = new Date(record.startedAt).toISOString().slice(11, 19);
  return `/${`${record.runbookName} on ${record.connection} ${time}`.replace(/[/\\?#]/g, '-')}.log`;
}

const rule = '─'.repeat(60);

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(14)}${value}`;
}

function headerLines(record: RunData): string[] {
  const summary = record.summary;
  const gateway = record.gatewayName ? `${record.gatewayName} — ${record.gatewayUrl}` : record.gatewayUrl;
  const lines = [`━━━ ${record.runbookName} on ${record.connection} ━━━`];
  if (summary) {
    lines.push(field('Runbook', summary.fileName));
  }
  lines.push(field('Connection', record.connection));
  lines.push(field('Gateway', summary ? `${gateway} (${summary.route === 'v2' ? 'POST /api/runbooks/exec' : 'legacy plugin route'})` : gateway));
  if (summary) {
    lines.push(field('Repository', `${summary.repository} @ ${summary.refHash.slice(0, 12)}${summary.branch ? ` (${summary.branch})` : ''}`));
  }
  lines.push(field('Started', formatTimestamp(record.startedAt)));
  if (record.batchId) {
    lines.push(field('Batch', record.batchId));
  }
  if (summary) {
    const parameters = Object.entries(summary.parameters);
    lines.push(field('Parameters', parameters.length ? parameters.map(([name, value]) => `${name} = ${value}`).join(', ') : 'none'));
    if (summary.clientArgs.length) {
      lines.push(field('Client args', summary.clientArgs.join(' ')));
    }
    lines.push(field('Environment', summary.envVarNames.length ? summary.envVarNames.join(', ') : 'none'));
    if (summary.metadataKeys.length) {
      lines.push(field('Metadata', summary.metadataKeys.join(', ')));
    }
  }
  return lines;
}

function outputLines(run: RunLike): string[] {
  const lines: string[] = [];
  if (run.outputCharsDropped > 0) {
    lines.push(`[${(run.outputCharsDropped / (1024 * 1024)).toFixed(1)} MB of earlier output not shown; the full output is in the session.]`);
  }
  if (run.output) {
    lines.push(run.output.endsWith('\n') ? run.output.slice(0, -1) : run.output);
  } else if (run.outputCharsDropped === 0) {
    // Output is not kept across restarts: for a run from history, the session is where it is.
    const ended = isEndState(run.data.state);
    lines.push(ended ? `(no output${run.data.sessionId ? ' here; the session keeps the full output' : ''})` : '(no output yet)');
  }
  return lines;
}

/** While the run goes on: one line saying what the document is waiting for. */
function progressLine(record: RunData): string {
  switch (record.state) {
    case 'preparing':
      return '… preparing the run';
    case 'sending':
      return '… sending the run to the gateway';
    case 'waitingForReview':
      return '… waiting for review: a reviewer approves or rejects it on the gateway';
    case 'approved':
      return `… approved${record.reviewedBy ? ` by ${record.reviewedBy}` : ''}: it runs when you execute it (Execute Now)`;
    default:
      return record.detached ? '… running at the gateway (not waiting; the output still follows)' : '… running: output appears here as the gateway sends it';
  }
}

function endLines(record: RunData): string[] {
  const lines = [field('Status', `${stateLabel(record)} — ${record.message}`)];
  if (record.exitCode !== undefined) {
    lines.push(field('Exit code', String(record.exitCode)));
  }
  lines.push(field('Duration', formatElapsed(runDuration(record, record.endedAt ?? record.startedAt))));
  return lines;
}

/** Where to look further: the session, the review, the AI analysis, the Jira issue, as far as they are known. */
function linkLines(record: RunData): string[] {
  const lines: string[] = [];
  if (record.sessionId) {
    lines.push(field('Session', `${record.sessionId}  ${sessionUrl(record.gatewayUrl, record.sessionId)}`));
  }
  const review = reviewLink(record);
  if (review) {
    lines.push(field('Review', `${review}${record.reviewedBy ? ` (reviewed by ${record.reviewedBy})` : ''}`));
  }
  const analysis = record.aiAnalysis;
  if (analysis) {
    const heading = [analysis.risk_level && `risk ${analysis.risk_level}`, analysis.title].filter(Boolean).join(' — ');
    lines.push(field('AI analysis', [heading, analysis.explanation ?? analysis.summary].filter(Boolean).join(': ') || 'no details given'));
  }
  if (record.jiraIssue) {
    lines.push(field('Jira issue', `${record.jiraIssue.key}${record.jiraIssue.url ? `  ${record.jiraIssue.url}` : ''}`));
  }
  return lines;
}

/** The whole text of a run's document: header, output so far, then its status (progress, or the end) and links. */
export function renderRunDocument(run: RunLike): string {
  const record = run.data;
  const status = isEndState(record.state) ? endLines(record) : [progressLine(record)];
  return [...headerLines(record), rule, ...outputLines(run), rule, ...status, ...linkLines(record), ''].join('\n');
}
