import { normalizeGitUrl } from '../../../src/core/gitUrl';
import { newSession, execRunbookSession } from '../execFlow';
import { GitSourceError, type RepositoryTip } from '../gitSource';
import { bindJson, marshalStringMap, type GoStruct } from '../goJson';
import { message, reply, type JsonReply } from '../httpKit';
import { listRunbookItems, loadRunbook, RunbookRequestError, type LoadedRunbook, type RunbookItem } from '../runbookFiles';
import { allowedConnections, isAllowedToRun } from '../rules';
import { coerceMetadata, findConnection, RUNBOOK_REQUEST, type HandlerContext } from './common';

/** openapi.RunbookExec (types.go). */
const RUNBOOK_EXEC: GoStruct = {
  typeName: 'openapi.RunbookExec',
  fields: {
    connection_name: 'string',
    repository: 'string',
    ...RUNBOOK_REQUEST.fields,
    correlation_id: '*string',
  },
  required: { connection_name: 'ConnectionName', repository: 'Repository', file_name: 'FileName' },
};

interface RunbookExecBody {
  connection_name: string;
  repository: string;
  file_name: string;
  parameters?: Record<string, string>;
  env_vars?: Record<string, string>;
  client_args?: string[];
  metadata?: Record<string, unknown>;
  session_batch_id?: string;
  jira_fields?: Record<string, string>;
  correlation_id?: string;
}

/** POST /api/runbooks/exec — RunbookExec (runbooksV2.go), in hoop's order (§1.3). `ref_hash` is ignored. */
export async function runbookExec(ctx: HandlerContext): Promise<JsonReply> {
  const { state, principal } = ctx;
  const bound = bindJson(ctx.body, RUNBOOK_EXEC);
  if (!bound.ok) {
    return message(400, bound.message);
  }
  const req = bound.value as unknown as RunbookExecBody;
  if (!isAllowedToRun(state.config.rules, principal.groups, req.connection_name, req.repository, req.file_name)) {
    return message(403, 'user is not allowed to run this runbook on this connection');
  }
  const metadata = coerceMetadata(req.metadata);
  if ('error' in metadata) {
    return metadata.error;
  }
  const correlationError = validateCorrelationId(req.correlation_id);
  if (correlationError) {
    return message(422, correlationError);
  }
  const connection = findConnection(state, req.connection_name);
  if (!connection) {
    return message(404, 'connection not found');
  }
  if (state.config.repositories.length === 0) {
    return message(404, 'runbook configuration not found');
  }
  const repo = state.config.repositories.find((r) => normalizeGitUrl(r.gitUrl) === req.repository);
  if (!repo) {
    return message(400, `runbook repository config ${req.repository} not found`);
  }
  let runbook: LoadedRunbook | undefined;
  try {
    runbook = await loadRunbook(await state.git.tip(repo), req.file_name, req.parameters ?? null);
  } catch (err) {
    if (err instanceof GitSourceError) {
      return message(500, `failed cloning runbook repository: ${err.message}`);
    }
    if (err instanceof RunbookRequestError) {
      return message(400, err.message);
    }
    throw err;
  }
  if (!runbook) {
    return message(404, `runbook file ${req.file_name} not found on git repo`);
  }

  const session = newSession(state, principal, connection, {
    labels: {
      runbookRepository: req.repository,
      runbookFile: req.file_name,
      runbookParameters: marshalStringMap(redactFileParams(req.parameters ?? {}, runbook.attributes)),
    },
    metadata: metadata.metadata,
    script: runbook.script,
    // asenv values win over request env_vars with the same key (§1.7).
    envVars: { ...(req.env_vars ?? {}), ...runbook.envVars },
    clientArgs: req.client_args ?? [],
    sessionBatchId: req.session_batch_id ?? null,
    correlationId: req.correlation_id ?? null,
  });
  return execRunbookSession(state, connection, session, { withAiAnalyzer: true, jiraFields: req.jira_fields ?? {} });
}

/** sessionapi.ValidateCorrelationID. */
function validateCorrelationId(value: string | undefined): string | undefined {
  if (!value) {
    return undefined;
  }
  if (Buffer.byteLength(value) > 255) {
    return 'correlation_id must not exceed 255 characters';
  }
  if ([...value].some((c) => c.codePointAt(0)! < 0x20 || c.codePointAt(0)! > 0x7e)) {
    return 'correlation_id must contain only printable ASCII characters';
  }
  return undefined;
}

/** encodeRequestParams: `type "file"` values are replaced by their size in the session labels. */
function redactFileParams(params: Record<string, string>, attributes: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const type = (attributes[key] as { type?: unknown } | undefined)?.type;
    out[key] = type === 'file' ? `[param redacted. type = file, size = ${Buffer.byteLength(value)} byte(s)]` : value;
  }
  return out;
}

/** GET /api/runbooks — ListRunbooksV2 (§2.6). A failing repository lands in `errors[]`. */
export async function listRunbooks(ctx: HandlerContext): Promise<JsonReply> {
  const { state, principal, query } = ctx;
  if (state.config.repositories.length === 0) {
    return message(404, 'runbook configuration not found');
  }
  const connectionName = query.get('connection_name') || query.get('connection') || '';
  const listConnections = query.get('list_connections') === 'true';
  const removeEmpty = query.get('remove_empty_connections') !== 'false';
  // Without a name: every connection with runbooks enabled, not filtered by access control.
  const candidates = connectionName
    ? [connectionName]
    : state.config.connections.filter((c) => (c.accessModeRunbooks ?? 'enabled') === 'enabled').map((c) => c.name);

  const errors: string[] = [];
  const repositories: Record<string, unknown>[] = [];
  for (const repo of state.config.repositories) {
    const key = normalizeGitUrl(repo.gitUrl) ?? repo.gitUrl;
    let tip: RepositoryTip;
    try {
      tip = await state.git.tip(repo);
    } catch (err) {
      if (!(err instanceof GitSourceError)) {
        throw err;
      }
      errors.push(`failed listing runbooks for repo ${repo.gitUrl}, err=${err.message}`);
      continue;
    }
    const items = await listRunbookItems(tip, (name) => {
      const allowed = allowedConnections(state.config.rules, candidates, key, name, principal.groups);
      if (removeEmpty && allowed.length === 0) {
        return null;
      }
      return listConnections ? allowed : [];
    });
    repositories.push({ items, repository: key, commit: tip.commit, commit_author: tip.author, commit_message: tip.message });
  }

  // Deprecated top-level copies for older clients; each is omitempty.
  const items = repositories.flatMap((r) => r.items as RunbookItem[]);
  const first = repositories[0];
  return reply(200, {
    errors,
    repositories,
    ...(items.length > 0 ? { items } : {}),
    ...(first ? { commit: first.commit, commit_author: first.commit_author, commit_message: first.commit_message } : {}),
  });
}
