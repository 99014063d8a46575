import type { ServerResponse } from 'http';
import { isAdmin } from '../auth';
import { message, reply, type JsonReply, type Reply } from '../httpKit';
import { reviewJson, sessionJson, type LiveEvent, type Session } from '../sessions';
import type { HandlerContext } from './common';
import { canReadOutput, findSessionFor } from './sessions';

/** models.MaxSessionListLimit; also the default page size here. */
const MAX_LIST_LIMIT = 100;

type SessionFilter = (session: Session) => boolean;

/** parseSessionListOptions (list_options.go): a bad value is a 422 naming the option. */
function parseListOptions(query: URLSearchParams): { filters: SessionFilter[]; limit: number; offset: number } | { error: string } {
  const invalid = (option: string, reason: string) => ({ error: `failed listing sessions, invalid "${option}" option: ${reason}` });
  const filters: SessionFilter[] = [];
  const equals = (option: string, pick: (s: Session) => string | null | undefined) => {
    const value = query.get(option);
    if (value !== null && value !== '') {
      filters.push((s) => pick(s) === value);
    }
  };
  equals('connection', (s) => s.connection);
  equals('type', (s) => s.connectionType);
  equals('review.status', (s) => s.review?.status);
  equals('batch_id', (s) => s.sessionBatchId);
  equals('correlation_id', (s) => s.correlationId);
  const approver = query.get('review.approver');
  if (approver !== null) {
    filters.push((s) => s.review?.groups.some((g) => g.reviewedBy?.email === approver) ?? false);
  }
  const jiraKeys = query.get('jira_issue_key');
  if (jiraKeys !== null) {
    const keys = jiraKeys.split(',').map((k) => k.trim().toLowerCase());
    filters.push((s) => keys.includes((s.integrationsMetadata?.jira_issue_key ?? '').toLowerCase()));
  }
  for (const option of ['start_date', 'end_date'] as const) {
    const value = query.get(option);
    if (value === null) {
      continue;
    }
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) {
      return invalid(option, 'start_date or end_date in wrong format');
    }
    filters.push(option === 'start_date' ? (s) => s.startDate.getTime() >= time : (s) => s.startDate.getTime() <= time);
  }
  const integer = (option: string, fallback: number): number | { error: string } => {
    const value = query.get(option);
    if (value === null) {
      return fallback;
    }
    return /^[+-]?\d+$/.test(value) ? Number(value) : invalid(option, `"${value}" is not a number`);
  };
  const limit = integer('limit', MAX_LIST_LIMIT);
  if (typeof limit !== 'number') {
    return limit;
  }
  if (limit < 1) {
    return invalid('limit', `must be at least 1, got ${limit}`);
  }
  const offset = integer('offset', 0);
  if (typeof offset !== 'number') {
    return offset;
  }
  if (offset < 0) {
    return invalid('offset', `must not be negative, got ${offset}`);
  }
  return { filters, limit: Math.min(limit, MAX_LIST_LIMIT), offset };
}

/**
 * GET /api/sessions — session.go List (§1.9): `{data, total, has_next_page}`, newest first, without
 * script or output. Non-admins only see their own sessions; only admins may filter by `user`.
 */
export function listSessions(ctx: HandlerContext): JsonReply {
  const options = parseListOptions(ctx.query);
  if ('error' in options) {
    return message(422, options.error);
  }
  const { principal } = ctx;
  const user = isAdmin(principal) ? ctx.query.get('user') : principal.userId;
  const matches = [...ctx.state.sessions.sessions.values()]
    .filter((s) => !user || s.owner.userId === user || s.owner.email === user)
    .filter((s) => options.filters.every((f) => f(s)))
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  const page = matches.slice(options.offset, options.offset + options.limit);
  return reply(200, {
    data: page.map((s) => sessionJson(s, { includeScript: false })),
    total: matches.length,
    has_next_page: options.offset + page.length < matches.length,
  });
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros. */
function rfc3339Nano(time: Date): string {
  return time.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };
const SESSION_END = 'event: session_end\ndata: {}\n\n';

/**
 * GET /api/sessions/:session_id/stream — stream.go StreamSession (§1.6): SSE of the events that happen
 * from now on (no catch-up), keepalive comments, then `session_end`; at once when already done.
 */
export function streamSession(ctx: HandlerContext): Reply {
  const { state } = ctx;
  const found = findSessionFor(state.sessions.get(ctx.params.session_id), ctx.principal, 'session not found');
  if ('refusal' in found) {
    return found.refusal;
  }
  const { session } = found;
  return {
    stream: (_req, res: ServerResponse) => {
      res.writeHead(200, SSE_HEADERS);
      if (session.status === 'done') {
        res.end(SESSION_END);
        return;
      }
      res.write(': connected\n\n');
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), state.config.sseKeepaliveMs);
      const stop = () => {
        clearInterval(keepalive);
        unsubscribe();
      };
      const unsubscribe = state.sessions.subscribe(session.id, {
        onEvent: (event: LiveEvent) => {
          const data = JSON.stringify({ time: rfc3339Nano(event.time), type: event.type, payload: event.payload.toString('base64') });
          res.write(`event: event\ndata: ${data}\n\n`);
        },
        onEnd: () => {
          stop();
          res.end(SESSION_END);
        },
      });
      res.on('close', stop);
    },
  };
}

/**
 * GET /api/sessions/:session_id/result/stream — the stored output as text/plain (parseBlobStream):
 * `events` (default `o,e`), `newline=1` after each event, `event-time=1` prefixes `<RFC3339> `.
 */
export function sessionResultStream(ctx: HandlerContext): Reply {
  const found = findSessionFor(ctx.state.sessions.get(ctx.params.session_id), ctx.principal, 'session not found', canReadOutput);
  if ('refusal' in found) {
    return found.refusal;
  }
  const { session } = found;
  const requested = (ctx.query.get('events') ?? '').split(',').filter((e) => e === 'i' || e === 'o' || e === 'e');
  const types = requested.length > 0 ? requested : ['o', 'e'];
  const withNewline = ctx.query.get('newline') === '1';
  const withTime = ctx.query.get('event-time') === '1';
  const parts: Buffer[] = [];
  for (const [seconds, type, b64] of session.events) {
    if (!types.includes(type)) {
      continue;
    }
    if (withTime) {
      // Go converts the float seconds to a Duration before scaling: whole seconds.
      const time = new Date(session.startDate.getTime() + Math.trunc(seconds) * 1000);
      parts.push(Buffer.from(`${time.toISOString().replace(/\.\d+Z$/, 'Z')} `));
    }
    parts.push(Buffer.from(b64, 'base64'));
    if (withNewline) {
      parts.push(Buffer.from('\n'));
    }
  }
  const body = Buffer.concat(parts);
  return {
    stream: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
      res.end(body);
    },
  };
}

/** GET /api/reviews/:id — the review by its id or its session id (openapi.Review). */
export function getReview(ctx: HandlerContext): JsonReply {
  const found = findSessionFor(ctx.state.sessions.findByReview(ctx.params.id), ctx.principal, 'review not found');
  return 'refusal' in found ? found.refusal : reply(200, reviewJson(found.session, true));
}
