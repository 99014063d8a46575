import { principalOf } from '../auth';
import { escapeHtml, htmlPage, redirect, type Reply } from '../httpKit';
import type { Session } from '../sessions';
import type { PublicHandlerContext } from './common';
import { updateReview } from './sessions';

// Stand-ins for hoop's web UI and Jira, served without sign-in so a newcomer can follow links from
// VS Code: `{API_URL}/sessions/{id}` (status, output, and for a pending review Approve/Reject as the
// configured `pageReviewer`) and the Jira issue links of `integrations_metadata`.

const NOTE = '<p class="note">Served by the local hoop gateway (a stand-in for hoop\'s web UI, without sign-in).</p>';

function sessionOutput(session: Session): string {
  return Buffer.concat(session.events.map(([, , b64]) => Buffer.from(b64, 'base64'))).toString('utf8');
}

function reviewSection(state: PublicHandlerContext['state'], session: Session): string {
  const review = session.review;
  if (!review) {
    return '';
  }
  const decided = review.groups
    .filter((g) => g.reviewedBy)
    .map((g) => `<li>${escapeHtml(g.group)}: ${escapeHtml(g.status)} by ${escapeHtml(g.reviewedBy?.name ?? '')}</li>`)
    .join('');
  const reason = review.rejectionReason ? `<p>Rejection reason: <q>${escapeHtml(review.rejectionReason)}</q></p>` : '';
  let actions = '';
  if (review.status === 'PENDING' && state.config.pageReviewer) {
    const reviewer = state.config.users[state.config.pageReviewer];
    actions = `<form method="post" action="/sessions/${escapeHtml(session.id)}/review">
<p>Review as <strong>${escapeHtml(reviewer.name ?? reviewer.email)}</strong> (${escapeHtml(reviewer.email)}):</p>
<button name="decision" value="approve">Approve</button>
<p><label>Reason for rejecting <textarea name="reason" rows="2" cols="50"></textarea></label></p>
<button name="decision" value="reject">Reject</button>
</form>`;
  } else if (review.status === 'PENDING') {
    actions = '<p class="note">No pageReviewer is configured: review through PUT /api/reviews/{id}.</p>';
  }
  return `<h2>Review: ${escapeHtml(review.status)}</h2><ul>${decided}</ul>${reason}${actions}`;
}

/** GET /sessions/:session_id — the link hoop's exec answers for reviews. */
export function sessionPage({ state, params, query }: PublicHandlerContext): Reply {
  const session = state.sessions.get(params.session_id);
  if (!session) {
    return htmlPage(404, 'Session not found', `<h1>Session not found</h1><p>No session ${escapeHtml(params.session_id)} on this gateway.</p>${NOTE}`);
  }
  const jira = session.integrationsMetadata;
  const error = query.get('error');
  const body = `<h1>Session ${escapeHtml(session.id)}</h1>${NOTE}
${error ? `<p role="alert"><strong>${escapeHtml(error)}</strong></p>` : ''}
<dl>
<dt>Runbook</dt><dd>${escapeHtml(session.labels.runbookFile ?? '')}</dd>
<dt>Connection</dt><dd>${escapeHtml(session.connection)}</dd>
<dt>User</dt><dd>${escapeHtml(session.owner.email)}</dd>
<dt>Status</dt><dd id="status">${escapeHtml(session.status)}</dd>
<dt>Exit code</dt><dd id="exit-code">${session.exitCode === null ? '—' : session.exitCode}</dd>
${jira ? `<dt>Jira issue</dt><dd><a href="${escapeHtml(jira.jira_issue_url)}">${escapeHtml(jira.jira_issue_key)}</a></dd>` : ''}
</dl>
${reviewSection(state, session)}
<h2>Output</h2><pre id="output">${escapeHtml(sessionOutput(session))}</pre>
${session.status === 'done' ? '' : '<p class="note">The session is not done yet.</p>'}`;
  // Follow a running session; never while a reviewer may be typing a reason.
  const refresh = session.status !== 'done' && session.review?.status !== 'PENDING' ? 2 : undefined;
  return htmlPage(200, `Session ${session.id}`, body, refresh);
}

/** POST /sessions/:session_id/review — the page's buttons: PUT /api/reviews/{sid} as the configured reviewer. */
export function sessionPageReview(ctx: PublicHandlerContext): Reply {
  const { state, params } = ctx;
  const back = (error?: string) => redirect(303, `/sessions/${encodeURIComponent(params.session_id)}${error ? `?error=${encodeURIComponent(error)}` : ''}`);
  if (!state.config.pageReviewer) {
    return back('No pageReviewer is configured on this gateway.');
  }
  const form = new URLSearchParams(ctx.body.toString('utf8'));
  const decision = form.get('decision');
  if (decision !== 'approve' && decision !== 'reject') {
    return back('Choose Approve or Reject.');
  }
  const answer = updateReview({
    ...ctx,
    principal: principalOf(state.config.users[state.config.pageReviewer]),
    params: { id: params.session_id },
    body: Buffer.from(JSON.stringify({ status: decision === 'approve' ? 'APPROVED' : 'REJECTED', rejection_reason: form.get('reason') ?? '' })),
  });
  return back(answer.status === 200 ? undefined : `The gateway refused: ${(answer.body as { message?: string }).message ?? answer.status}`);
}

/** GET /jira/browse/:key — the stand-in Jira issue behind `jira_issue_url`. */
export function jiraIssuePage({ state, params }: PublicHandlerContext): Reply {
  const issue = state.jiraIssues.find((i) => i.key === params.key);
  if (!issue) {
    return htmlPage(404, 'Issue not found', `<h1>Issue ${escapeHtml(params.key)} not found</h1>`);
  }
  const labels = new Map((issue.template.promptFields ?? []).map((f) => [f.jiraField, f.label]));
  const fields = Object.entries(issue.fields)
    .map(([k, v]) => `<dt>${escapeHtml(labels.get(k) ?? k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return htmlPage(
    200,
    issue.key,
    `<h1>${escapeHtml(issue.key)}</h1><p class="note">A stand-in Jira issue created by the local hoop gateway (template ${escapeHtml(issue.template.name)}).</p>
<dl>${fields}<dt>Session</dt><dd><a href="/sessions/${escapeHtml(issue.sessionId)}">${escapeHtml(issue.sessionId)}</a></dd></dl>`,
  );
}
