/** Reads the session, review and Jira template answers (hoop-gateway.md §1.5, §1.6, §1.8) into checked types. */
import type {
  AiAnalysis,
  GatewayReview,
  GatewaySession,
  JiraCmdbField,
  JiraIssueTemplate,
  JiraPromptField,
  ReviewGroupData,
  SessionReview,
  SessionStatus,
} from './gatewayTypes';
import { ShapeReader } from './http/shape';

const sessionStatuses: readonly SessionStatus[] = ['open', 'ready', 'done'];

export function parseSession(shape: ShapeReader, value: unknown, path = ''): GatewaySession {
  const body = shape.object(value, path);
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const status = shape.string(body.status, at('status'));
  if (!(sessionStatuses as readonly string[]).includes(status)) {
    shape.fail(at('status'), '"open", "ready" or "done"', status);
  }
  const eventStream = shape.list(body.event_stream, at('event_stream'), (entry) => entry);
  return {
    id: shape.string(body.id, at('id')),
    status: status as SessionStatus,
    exit_code: shape.optionalNumber(body.exit_code, at('exit_code')) ?? null,
    start_date: shape.optionalString(body.start_date, at('start_date')),
    end_date: shape.optionalString(body.end_date, at('end_date')) ?? null,
    review: body.review === null || body.review === undefined ? null : parseReviewFields(shape, body.review, at('review')),
    output: eventStream.length > 0 ? shape.string(eventStream[0], at('event_stream[0]')) : undefined,
    integrations_metadata: parseIntegrations(shape, body.integrations_metadata, at('integrations_metadata')),
    ai_analysis: parseAiAnalysis(shape, body.ai_analysis, at('ai_analysis')) ?? null,
    correlation_id: shape.optionalString(body.correlation_id, at('correlation_id')),
    session_batch_id: shape.optionalString(body.session_batch_id, at('session_batch_id')),
    connection: shape.optionalString(body.connection, at('connection')),
  };
}

export function parseReview(shape: ShapeReader, value: unknown): GatewayReview {
  const body = shape.object(value);
  return { ...parseReviewFields(shape, body, ''), session: shape.string(body.session, 'session'), type: shape.optionalString(body.type, 'type') };
}

export function parseAiAnalysis(shape: ShapeReader, value: unknown, path: string): AiAnalysis | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const body = shape.object(value, path);
  const text = (field: string) => shape.optionalString(body[field], `${path}.${field}`);
  return { risk_level: text('risk_level'), title: text('title'), explanation: text('explanation'), action: text('action'), summary: text('summary') };
}

function parseReviewFields(shape: ShapeReader, value: unknown, path: string): SessionReview {
  const body = shape.object(value, path);
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const timeWindow = body.time_window === null || body.time_window === undefined ? undefined : shape.object(body.time_window, at('time_window'));
  const configuration = timeWindow ? shape.object(timeWindow.configuration, at('time_window.configuration')) : {};
  return {
    id: shape.string(body.id, at('id')),
    status: shape.string(body.status, at('status')),
    review_groups_data: shape.list(body.review_groups_data, at('review_groups_data'), (entry, entryPath) => parseReviewGroup(shape, entry, entryPath)),
    rejection_reason: shape.optionalString(body.rejection_reason, at('rejection_reason')),
    time_window: timeWindow && {
      type: shape.string(timeWindow.type, at('time_window.type')),
      configuration: Object.fromEntries(Object.entries(configuration).map(([key, entry]) => [key, shape.string(entry, at(`time_window.configuration.${key}`))])),
    },
    access_request_rule_name: shape.optionalString(body.access_request_rule_name, at('access_request_rule_name')),
    min_approvals: shape.optionalNumber(body.min_approvals, at('min_approvals')),
  };
}

function parseReviewGroup(shape: ShapeReader, value: unknown, path: string): ReviewGroupData {
  const body = shape.object(value, path);
  const reviewer = body.reviewed_by === null || body.reviewed_by === undefined ? undefined : shape.object(body.reviewed_by, `${path}.reviewed_by`);
  return {
    group: shape.string(body.group, `${path}.group`),
    status: shape.optionalString(body.status, `${path}.status`) ?? '',
    reviewed_by: reviewer && { name: shape.optionalString(reviewer.name, `${path}.reviewed_by.name`), email: shape.optionalString(reviewer.email, `${path}.reviewed_by.email`) },
    review_date: shape.optionalString(body.review_date, `${path}.review_date`),
  };
}

function parseIntegrations(shape: ShapeReader, value: unknown, path: string): GatewaySession['integrations_metadata'] {
  if (value === null || value === undefined) {
    return null;
  }
  const body = shape.object(value, path);
  return { jira_issue_key: shape.optionalString(body.jira_issue_key, `${path}.jira_issue_key`), jira_issue_url: shape.optionalString(body.jira_issue_url, `${path}.jira_issue_url`) };
}

/** hoop reads template items with `fmt.Sprintf("%v")` and `required == "true"`; so does this. */
function goItem<T>(item: Record<string, unknown>, textFields: readonly string[]): T {
  const text = (entry: unknown) => (entry === null || entry === undefined ? '' : String(entry));
  const fields = Object.fromEntries(textFields.map((name) => [name, text(item[name])]));
  return { ...fields, required: item.required === true || item.required === 'true' } as T;
}

export function parseJiraTemplate(shape: ShapeReader, value: unknown): JiraIssueTemplate {
  const body = shape.object(value);
  const items = (field: string) => {
    const container = body[field] === null || body[field] === undefined ? {} : shape.object(body[field], field);
    return shape.list(container.items, `${field}.items`, (entry, entryPath) => shape.object(entry, entryPath));
  };
  const prompts = items('prompt_types').map((item) => goItem<JiraPromptField>(item, ['jira_field', 'label', 'description', 'field_type']));
  const cmdb = items('cmdb_types').map((item) => goItem<JiraCmdbField>(item, ['jira_field', 'jira_object_type', 'jira_object_schema_id', 'description', 'value']));
  return {
    id: shape.string(body.id, 'id'),
    name: shape.optionalString(body.name, 'name') ?? '',
    description: shape.optionalString(body.description, 'description') ?? '',
    project_key: shape.optionalString(body.project_key, 'project_key') ?? '',
    prompt_types: { items: prompts },
    cmdb_types: { items: cmdb },
  };
}
