/** Wire types of the hoop gateway API (hoop-gateway.md §1.2, §1.4, §2.6, §4.5). */
import type { ParameterMetadata } from './template';

export interface ExecRequestBody {
  connection_name?: string; // V2 only; legacy takes it from the path
  repository?: string; // V2 only: the normalised repository key
  file_name: string;
  ref_hash: string;
  parameters: Record<string, string>;
  env_vars: Record<string, string>;
  client_args: string[];
  metadata: Record<string, string>;
  /** V2 only (§1.2): lets the client find the run's session before the exec answer (§1.9). */
  correlation_id?: string;
  /** Groups parallel runs of one runbook (§1.2). */
  session_batch_id?: string;
  /** Answers to the connection's Jira issue template prompts, keyed by `jira_field` (§1.8). */
  jira_fields?: Record<string, string>;
}

export interface AiAnalysis {
  risk_level?: string;
  title?: string;
  explanation?: string;
  action?: string;
  summary?: string;
}

export interface ExecResponseBody {
  has_review?: boolean;
  session_id?: string;
  output?: string;
  output_status?: string;
  truncated?: boolean;
  execution_time?: number;
  exit_code?: number;
  ai_analysis?: AiAnalysis | null;
}

export interface GatewayConnection {
  id?: string;
  name: string;
  type?: string;
  subtype?: string;
  status?: string;
  access_mode_runbooks?: string;
  reviewers?: string[] | null;
  mandatory_metadata_fields?: string[] | null;
  /** Set when exec on this connection creates a Jira issue (§1.8). */
  jira_issue_template_id?: string;
}

/** As listed by the gateway; `type` may name a type newer than this extension knows. */
export type GatewayParameterMetadata = Partial<Omit<ParameterMetadata, 'type'>> & { type?: string };

export interface GatewayRunbookItem {
  name: string;
  metadata?: Record<string, GatewayParameterMetadata> | null;
  connections?: string[] | null;
  error?: string | null;
}

export interface GatewayRepositoryListing {
  repository: string;
  commit?: string;
  items?: GatewayRunbookItem[] | null;
}

export interface RunbookListResponse {
  errors?: string[] | null;
  repositories?: GatewayRepositoryListing[] | null;
  /** Legacy plugin routes answer a flat list. */
  items?: GatewayRunbookItem[] | null;
  /** Legacy: the commit of the one repository. */
  commit?: string;
}

/** `GET /api/publicserverinfo` (no auth, §4.2). */
export interface PublicServerInfo {
  auth_method: 'local' | 'oidc' | 'saml' | (string & {});
  setup_required?: boolean;
}

/** `GET /api/serverinfo`: the fields this extension reads (§4.6). */
export interface ServerInfo {
  version: string;
  commit_sha?: string;
  api_url?: string;
  grpc_url?: string;
  auth_method?: string;
  tenancy_type?: string;
}

/** `GET /api/userinfo`: the fields this extension reads (§4.6). */
export interface UserInfo {
  id: string;
  email: string;
  name?: string;
  status?: string;
  role?: 'admin' | 'standard' | 'auditor' | 'unregistered' | (string & {});
  groups: string[];
  org_id?: string;
  org_name?: string;
  tenancy_type?: string;
}

export type SessionStatus = 'open' | 'ready' | 'done';

/** `PENDING` → `APPROVED`/`REJECTED`/`REVOKED`; `PROCESSING`/`EXECUTED` after an approved exec (§1.5). */
export type ReviewStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED' | 'PROCESSING' | 'EXECUTED' | (string & {});

export interface ReviewGroupData {
  group: string;
  status: string;
  reviewed_by?: { name?: string; email?: string };
  review_date?: string;
}

/** `openapi.SessionReview`: the review as `GET /api/sessions/{id}` embeds it. */
export interface SessionReview {
  id: string;
  status: ReviewStatus;
  review_groups_data: ReviewGroupData[];
  rejection_reason?: string;
  /** `{type: "time_range", configuration: {start_time: "09:00", end_time: "18:00"}}` (UTC) when the approval only allows that window. */
  time_window?: { type: string; configuration: Record<string, string> };
  access_request_rule_name?: string;
  min_approvals?: number;
}

/** `openapi.Review` from `GET /api/reviews/{id or session id}`. */
export interface GatewayReview extends SessionReview {
  session: string;
  type?: string;
}

/** `openapi.Session`: the fields a client follows a run with (§1.6). */
export interface GatewaySession {
  id: string;
  status: SessionStatus;
  /** null until the session is done. */
  exit_code: number | null;
  start_date?: string;
  end_date: string | null;
  review: SessionReview | null;
  /** The decoded output, only when asked for (`expand=event_stream`) and the gateway has it. */
  output?: string;
  integrations_metadata: { jira_issue_key?: string; jira_issue_url?: string } | null;
  ai_analysis: AiAnalysis | null;
  correlation_id?: string;
  session_batch_id?: string;
  connection?: string;
}

/** One event of `GET /api/sessions/{id}/stream` (SSE, §1.6). */
export type SessionStreamEvent = { kind: 'output'; stream: 'o' | 'e' | 'i'; text: string } | { kind: 'end' };

export interface JiraPromptField {
  jira_field: string;
  label: string;
  description: string;
  required: boolean;
  field_type: 'text' | 'select' | 'datetime-local' | (string & {});
}

export interface JiraCmdbField {
  jira_field: string;
  jira_object_type: string;
  jira_object_schema_id: string;
  required: boolean;
  description: string;
  value: string;
}

/** `GET /api/integrations/jira/issuetemplates/{id}` (§1.8): what exec's `jira_fields` must answer. */
export interface JiraIssueTemplate {
  id: string;
  name: string;
  description: string;
  project_key: string;
  prompt_types: { items: JiraPromptField[] };
  cmdb_types: { items: JiraCmdbField[] };
}
