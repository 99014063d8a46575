import { connectionId, type ConnectionConfig } from '../config';
import { message, reply, type JsonReply } from '../httpKit';
import type { HandlerContext } from './common';

/** GET /api/serverinfo — the fields clients read (version picks V2 vs legacy, §4.6). */
export function serverInfo(ctx: HandlerContext): JsonReply {
  const { config } = ctx.state;
  return reply(200, {
    version: config.version,
    commit_sha: '0000000000000000000000000000000000000000',
    log_level: 'INFO',
    go_debug: '',
    auth_method: config.authMethod,
    redact_provider: '',
    has_redact_credentials: false,
    has_webhook_app_key: false,
    has_idp_audience: false,
    has_idp_custom_scopes: false,
    has_ask_ai_credentials: false,
    has_ssh_client_host_key: false,
    postgres_proxy_enabled: false,
    api_url: ctx.state.apiUrl(),
    grpc_url: '127.0.0.1:8010',
    tenancy_type: 'selfhosted',
    license_info: null,
    idp_provider_name: '',
    disable_sessions_download: false,
    disable_clipboard_copy_cut: false,
    analytics_tracking: 'disabled',
    analytics_mode: 'disabled',
  });
}

/** GET /api/userinfo — openapi.UserInfo for the caller. */
export function userInfo(ctx: HandlerContext): JsonReply {
  const { principal } = ctx;
  return reply(200, {
    id: principal.userId,
    name: principal.name,
    email: principal.email,
    status: 'active',
    verified: true,
    role: principal.role,
    slack_id: '',
    picture: '',
    groups: principal.groups,
    is_admin: principal.role === 'admin',
    is_multitenant: false,
    tenancy_type: 'selfhosted',
    org_id: ctx.state.config.orgId,
    org_name: 'default',
    org_license: 'oss',
    feature_ask_ai: 'unavailable',
    webapp_users_management: 'on',
    intercom_hmac_digest: '',
    default_protection_profile: null,
    show_origin_survey: false,
    show_setup_checklist: false,
  });
}

/**
 * GET /api/connections — connections.go List (§4.5): a plain array, or `{pages, data}` when `page` or
 * `page_size` is given. Hidden connections are omitted; `secret` is blanked; sorted by name.
 */
export function listConnections(ctx: HandlerContext): JsonReply {
  const q = ctx.query;
  const search = (q.get('search') ?? '').trim().toLowerCase();
  const matches = (c: ConnectionConfig) =>
    !c.hidden &&
    (!q.get('type') || (c.type ?? 'custom') === q.get('type')) &&
    (!q.get('subtype') || (c.subtype ?? '') === q.get('subtype')) &&
    (!search || [c.name, c.subtype ?? '', c.type ?? 'custom', '', c.status ?? 'online'].some((v) => v.toLowerCase().includes(search)));
  const list = ctx.state.config.connections
    .filter(matches)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(connectionJson);

  const pageStr = q.get('page') ?? '';
  const sizeStr = q.get('page_size') ?? '';
  if (pageStr === '' && sizeStr === '') {
    return reply(200, list);
  }
  const page = pageStr === '' ? 1 : Number(pageStr);
  if (!/^\d+$/.test(pageStr || '1') || page < 1) {
    return message(422, 'page must be >= 1');
  }
  const size = sizeStr === '' ? 50 : Number(sizeStr);
  if (!/^\d+$/.test(sizeStr || '50') || size < 1 || size > 100) {
    return message(422, 'page_size must be between 1 and 100');
  }
  return reply(200, { pages: { total: list.length, page, size }, data: list.slice((page - 1) * size, page * size) });
}

/** GET /api/connections/:nameOrID. */
export function getConnection(ctx: HandlerContext): JsonReply {
  const found = ctx.state.config.connections.find((c) => !c.hidden && (c.name === ctx.params.nameOrID || connectionId(c) === ctx.params.nameOrID));
  return found ? reply(200, connectionJson(found)) : message(404, 'not found');
}

/** openapi.Connection; unset lists are Go nil slices (null). */
function connectionJson(c: ConnectionConfig): Record<string, unknown> {
  return {
    id: connectionId(c),
    name: c.name,
    command: c.command,
    resource_name: '',
    type: c.type ?? 'custom',
    subtype: c.subtype ?? '',
    secret: {},
    default_database: '',
    agent_id: '',
    status: c.status ?? 'online',
    reviewers: c.review ? (c.reviewers ?? ['admin']) : null,
    redact_enabled: false,
    redact_types: null,
    managed_by: null,
    tags: null,
    connection_tags: null,
    access_mode_runbooks: c.accessModeRunbooks ?? 'enabled',
    access_mode_exec: 'enabled',
    access_mode_connect: 'enabled',
    access_schema: 'disabled',
    guardrail_rules: null,
    jira_issue_template_id: '',
    force_approve_groups: null,
    access_max_duration: null,
    min_review_approvals: null,
    mandatory_metadata_fields: c.mandatoryMetadataFields ?? null,
    attributes: null,
    effective_features: null,
  };
}
