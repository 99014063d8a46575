import { isAdmin, isAuditorOrAdmin, type Principal } from '../auth';
import { runSession } from '../execFlow';
import { bindJson, type GoStruct } from '../goJson';
import { message, reply, type JsonReply } from '../httpKit';
import { reviewJson, sessionJson, type EventStreamFormat, type Review, type ReviewStatus, type Session } from '../sessions';
import type { HandlerContext } from './common';

const isOwner = (session: Session, p: Principal) => session.owner.userId === p.userId;

/** canAccessSession: the owner, admins, auditors and the session's reviewers. */
function canAccessSession(session: Session, p: Principal): boolean {
  const reviewerGroups = session.review?.groups.map((g) => g.group) ?? [];
  return isOwner(session, p) || isAuditorOrAdmin(p) || p.groups.some((g) => reviewerGroups.includes(g));
}

/** Who may read a session's output. */
export const canReadOutput = (session: Session, p: Principal) => isOwner(session, p) || isAuditorOrAdmin(p);

const NOT_ALLOWED = 'user is not allowed to access this session';

/** The session a route names, or its refusal: 404 with `notFound`, 403 when `allowed` says no. */
export function findSessionFor(
  session: Session | undefined,
  principal: Principal,
  notFound: string,
  allowed: (session: Session, p: Principal) => boolean = canAccessSession,
): { session: Session } | { refusal: JsonReply } {
  if (!session) {
    return { refusal: message(404, notFound) };
  }
  return allowed(session, principal) ? { session } : { refusal: message(403, NOT_ALLOWED) };
}

/** GET /api/sessions/:session_id — session.go Get (§1.6). */
export function getSession(ctx: HandlerContext): JsonReply {
  const found = findSessionFor(ctx.state.sessions.get(ctx.params.session_id), ctx.principal, 'not found');
  if ('refusal' in found) {
    return found.refusal;
  }
  const { session } = found;
  const expand = ctx.query.get('expand') ?? '';
  const expanded = expand.split(',');
  // The stored output: what the audit WAL flushed so far (every flushIntervalMs, and at the end).
  const hasStream = expanded.includes('event_stream') && canReadOutput(session, ctx.principal);
  let eventStream: EventStreamFormat | undefined = hasStream ? 'raw' : undefined;
  const format = ctx.query.get('event_stream') ?? '';
  if (hasStream && format !== '') {
    if (format === 'utf8' || format === 'base64') {
      eventStream = format;
    } else if (format !== 'raw-queries') {
      return message(422, 'event_stream attribute has an unknown type format');
    }
  }
  return reply(200, sessionJson(session, { includeScript: expand === '' || expanded.includes('session_input'), eventStream }));
}

/** POST /api/sessions/:session_id/kill — kills the process tree; others' sessions are "not found" unless admin. */
export function killSession(ctx: HandlerContext): JsonReply {
  const session = ctx.state.sessions.get(ctx.params.session_id);
  if (!session || (!isOwner(session, ctx.principal) && !isAdmin(ctx.principal))) {
    return message(404, 'session not found');
  }
  // transportsystem.KillSession: only a stream still in memory can be closed.
  if (!ctx.state.sessions.kill(session.id)) {
    return message(400, 'session not found in memory');
  }
  return reply(204);
}

const REVIEW_REQUEST: GoStruct = {
  typeName: 'openapi.ReviewRequest',
  fields: { status: 'string', rejection_reason: 'string' },
  required: { status: 'Status' },
};

/** PUT /api/reviews/:id and PUT /api/sessions/:session_id/review — review.go ReviewByIdOrSid (one-time reviews, no forced review). */
export function updateReview(ctx: HandlerContext): JsonReply {
  const bound = bindJson(ctx.body, REVIEW_REQUEST);
  if (!bound.ok) {
    return message(400, bound.message);
  }
  const status = String(bound.value.status).toUpperCase();
  const session = ctx.state.sessions.findByReview(ctx.params.id ?? ctx.params.session_id);
  const review = session?.review;
  if (!session || !review) {
    return message(500, 'failed updating review status: review not found');
  }
  if (status !== 'APPROVED' && status !== 'REJECTED' && status !== 'REVOKED') {
    return message(500, 'failed updating review status: unknown status');
  }
  if (review.status !== 'PENDING' && review.status !== 'APPROVED') {
    return message(400, 'review is in wrong state');
  }
  const { principal } = ctx;
  if (status === 'APPROVED' && isOwner(session, principal) && !isAdmin(principal)) {
    return message(400, 'unable to self approve review');
  }
  if (status === 'REVOKED') {
    // Only jit reviews can be revoked; these are all one-time.
    return review.status === 'APPROVED' ? message(500, 'failed updating review status: review not found') : message(400, 'review is in wrong state');
  }

  const now = new Date();
  const mine = review.groups.filter((g) => principal.groups.includes(g.group));
  if (mine.length === 0 && !isOwner(session, principal) && !isAdmin(principal)) {
    return message(400, 'not eligible for review');
  }
  for (const group of mine) {
    Object.assign(group, { status: status as ReviewStatus, reviewedBy: { id: principal.userId, name: principal.name, email: principal.email }, reviewDate: now });
  }
  if (status === 'REJECTED') {
    review.status = 'REJECTED';
    review.rejectionReason = typeof bound.value.rejection_reason === 'string' && bound.value.rejection_reason !== '' ? bound.value.rejection_reason : null;
    ctx.state.sessions.end(session, null);
  } else if (review.groups.every((g) => g.status === 'APPROVED')) {
    review.status = 'APPROVED';
    session.status = 'ready';
  }
  return reply(200, reviewJson(session, true));
}

/** POST /api/sessions/:session_id/exec — run-exec.go RunReviewedExec: runs the stored script and env vars once approved. */
export async function runReviewedExec(ctx: HandlerContext): Promise<JsonReply> {
  const { state } = ctx;
  const sid = ctx.params.session_id;
  const session = state.sessions.findByReview(sid);
  const review = session?.review;
  if (!session || !review) {
    return message(404, 'reviewed session not found');
  }
  if (state.sessions.execLocks.has(sid)) {
    return message(409, `the session ${sid} is already being processed`);
  }
  state.sessions.execLocks.add(sid);
  try {
    return await execApproved(ctx, session, review);
  } finally {
    state.sessions.execLocks.delete(sid);
  }
}

async function execApproved({ state, principal }: HandlerContext, session: Session, review: Review): Promise<JsonReply> {
  if (session.owner.email !== principal.email && !isAuditorOrAdmin(principal)) {
    return message(403, 'unable to execute session');
  }
  if (review.status !== 'APPROVED') {
    return message(403, 'review not approved or already executed');
  }
  const connection = state.config.connections.find((c) => c.name === session.connection);
  if (!connection) {
    return message(404, 'session not found');
  }
  review.status = 'PROCESSING';
  const answer = await runSession(state, connection, session);
  // Stays PROCESSING while a 202 run continues; EXECUTED once the session ends.
  void state.sessions.finished(session.id).then(() => {
    review.status = 'EXECUTED';
  });
  return answer;
}
