import { describeOutcome, outcomeLabel, sessionUrl, type RunOutcome } from './runOutcome';
import type { RunRequest } from './runRequest';
import { redactSecrets } from './redact';

const rule = '─'.repeat(60);

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(14)}${value}`;
}

function describeParameter(run: RunRequest, name: string): string {
  const spec = run.parameterSpecs.find((candidate) => candidate.name === name);
  const value = run.parameters[name] ?? '';
  if (spec?.type === 'password') {
    return `${name} (hidden)`;
  }
  return `${name} (${[...value].length} ${[...value].length === 1 ? 'char' : 'chars'})`;
}

/** The transcript's header: what ran where, with parameter names and lengths but never values of secrets. */
export function transcriptHeader(run: RunRequest, runbookLabel: string, startedAt: Date): string {
  const parameterNames = Object.keys(run.parameters).sort();
  const lines = [
    `${'━'.repeat(3)} ${runbookLabel} — ${startedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} ${'━'.repeat(3)}`,
    field('Runbook', run.fileName),
    field('Connection', run.connection),
    field('Repository', `${run.repository} @ ${run.refHash.slice(0, 12)}${run.branch ? ` (${run.branch})` : ''}`),
    field('Gateway', `${run.gatewayUrl} (${run.route === 'v2' ? 'POST /api/runbooks/exec' : 'legacy plugin route'})`),
    field('Parameters', parameterNames.length ? parameterNames.map((name) => describeParameter(run, name)).join(', ') : 'none'),
    field('Environment', run.envVars.length ? run.envVars.map((envVar) => `${envVar.kind}:${envVar.name}`).join(', ') : 'none'),
  ];
  const metadataKeys = Object.keys(run.metadata);
  if (metadataKeys.length) {
    lines.push(field('Metadata', metadataKeys.join(', ')));
  }
  lines.push(rule);
  return lines.join('\n');
}

/** The output as received, with secret values masked (a runbook may echo them). */
export function transcriptOutput(outcome: RunOutcome, secretValues: string[]): string {
  const text = outcome.kind === 'succeeded' || outcome.kind === 'failed' ? outcome.output : '';
  return redactSecrets(text, secretValues);
}

export function transcriptFooter(outcome: RunOutcome, runbookLabel: string, gatewayUrl: string, secretValues: string[]): string {
  const lines = [rule, field('Status', `${outcomeLabel(outcome)} — ${redactSecrets(describeOutcome(outcome, runbookLabel), secretValues)}`)];
  if (outcome.kind === 'succeeded' || outcome.kind === 'failed') {
    lines.push(field('Exit code', String(outcome.exitCode)));
    if (outcome.executionTimeMs !== undefined) {
      lines.push(field('Time', formatDuration(outcome.executionTimeMs)));
    }
    if (outcome.truncated) {
      lines.push('Note:         the gateway truncated the output (over 110 MiB); the full output is in the session.');
    }
  }
  if (outcome.kind === 'gatewayFailed' || outcome.kind === 'blocked') {
    lines.push(field('Reason', redactSecrets(outcome.reason.trim(), secretValues) || 'none given'));
  }
  if ((outcome.kind === 'review' || outcome.kind === 'aiReview') && outcome.reviewUrl) {
    lines.push(field('Review', outcome.reviewUrl));
  }
  if (outcome.sessionId) {
    lines.push(field('Session', `${outcome.sessionId}  ${sessionUrl(gatewayUrl, outcome.sessionId)}`));
  }
  return lines.join('\n');
}

export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}
