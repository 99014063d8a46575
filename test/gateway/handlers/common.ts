import type { GoStruct } from '../goJson';
import type { Principal } from '../auth';
import { connectionId, type ConnectionConfig } from '../config';
import type { GatewayState } from '../state';
import { message, type JsonReply, type Reply } from '../httpKit';

/** What a route without auth middleware receives. */
export interface PublicHandlerContext {
  state: GatewayState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
}

/** What a route handler receives once auth passed. */
export interface HandlerContext extends PublicHandlerContext {
  principal: Principal;
}

export type Handler = (ctx: HandlerContext) => Promise<Reply> | Reply;
export type PublicHandler = (ctx: PublicHandlerContext) => Promise<Reply> | Reply;

/** models.GetConnectionByNameOrID: access-controlled, so hidden connections are "not found". */
export function findConnection(state: GatewayState, nameOrId: string): ConnectionConfig | undefined {
  return state.config.connections.find((c) => !c.hidden && (c.name === nameOrId || connectionId(c) === nameOrId));
}

/** sessionapi.CoerceMetadataFields: ≤ 20 keys, every value stringified with %v, key/value < 2500 chars. */
export function coerceMetadata(metadata: Record<string, unknown> | undefined): { metadata: Record<string, string> | null } | { error: JsonReply } {
  if (!metadata) {
    return { metadata: null };
  }
  if (Object.keys(metadata).length > 20) {
    return { error: message(422, 'metadata field must have less than 10 fields') };
  }
  const coerced: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const text = goSprintV(value);
    if (key.length >= 2500 || text.length >= 2500) {
      return { error: message(422, 'metadata key or value must not contain more than 2500 characteres') };
    }
    coerced[key] = text;
  }
  return { metadata: coerced };
}

/** fmt's %v for decoded JSON values. */
function goSprintV(value: unknown): string {
  if (value === null || value === undefined) {
    return '<nil>';
  }
  if (Array.isArray(value)) {
    return `[${value.map(goSprintV).join(' ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goSprintV(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** openapi.RunbookRequest (types.go). */
export const RUNBOOK_REQUEST: GoStruct = {
  typeName: 'openapi.RunbookRequest',
  fields: {
    file_name: 'string',
    ref_hash: 'string',
    parameters: 'map[string]string',
    env_vars: 'map[string]string',
    client_args: '[]string',
    metadata: 'map[string]interface {}',
    jira_fields: 'map[string]string',
    session_batch_id: '*string',
  },
  required: { file_name: 'FileName' },
};
