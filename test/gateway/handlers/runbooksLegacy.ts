import type { RepositoryConfig } from '../config';
import { execRunbookSession, newSession } from '../execFlow';
import type { GatewayState } from '../state';
import { GitSourceError, type RepositoryTip } from '../gitSource';
import { bindJson, marshalStringMap } from '../goJson';
import { message, reply, type JsonReply } from '../httpKit';
import { listRunbookItems, loadRunbook, RunbookRequestError, type LoadedRunbook } from '../runbookFiles';
import { coerceMetadata, findConnection, RUNBOOK_REQUEST, type HandlerContext } from './common';

/**
 * The pre-V2 runbooks plugin routes (runbooks.go). In legacy mode the plugin is configured with the
 * first repository and enabled for every connection; in v2 mode it was migrated away, so these routes
 * answer `plugin not found` like a gateway ≥ 1.46 (§0.2).
 */


interface RunbookRequestBody {
  file_name: string;
  parameters?: Record<string, string>;
  env_vars?: Record<string, string>;
  client_args?: string[];
  metadata?: Record<string, unknown>;
  session_batch_id?: string;
  jira_fields?: Record<string, string>;
}

function pluginRepository(state: GatewayState): RepositoryConfig | undefined {
  return state.config.api === 'legacy' ? state.config.repositories[0] : undefined;
}

/** POST /api/plugins/runbooks/connections/:name/exec — RunExec: no rules, no AI, no correlation_id, git errors are 400. */
export async function legacyExec(ctx: HandlerContext): Promise<JsonReply> {
  const { state, principal } = ctx;
  const bound = bindJson(ctx.body, RUNBOOK_REQUEST);
  if (!bound.ok) {
    return message(400, bound.message);
  }
  const req = bound.value as unknown as RunbookRequestBody;
  const metadata = coerceMetadata(req.metadata);
  if ('error' in metadata) {
    return metadata.error;
  }
  const connection = findConnection(state, ctx.params.name);
  if (!connection) {
    return message(404, 'connection not found');
  }
  const repo = pluginRepository(state);
  if (!repo) {
    return message(404, 'plugin not found');
  }
  const prefix = connection.legacyPathPrefix ?? '';
  if (prefix !== '' && !req.file_name.startsWith(prefix)) {
    return message(404, `runbook file ${req.file_name} not found`);
  }
  let runbook: LoadedRunbook | undefined;
  try {
    runbook = await loadRunbook(await state.git.tip(repo), req.file_name, req.parameters ?? null);
  } catch (err) {
    // FetchRepository and template errors alike are 400 with the raw text here.
    if (err instanceof RunbookRequestError || err instanceof GitSourceError) {
      return message(400, err.message);
    }
    throw err;
  }
  if (!runbook) {
    return message(404, `runbook file ${req.file_name} not found on git repo`);
  }

  const session = newSession(state, principal, connection, {
    labels: { runbookFile: req.file_name, runbookParameters: marshalStringMap(req.parameters ?? null) },
    metadata: metadata.metadata,
    script: runbook.script,
    envVars: { ...(req.env_vars ?? {}), ...runbook.envVars },
    clientArgs: req.client_args ?? [],
    sessionBatchId: req.session_batch_id ?? null,
    correlationId: null,
  });
  return execRunbookSession(state, connection, session, { withAiAnalyzer: false, jiraFields: req.jira_fields ?? {} });
}

/** GET /api/plugins/runbooks/templates — List: every runbook with the plugin connections whose prefix matches. */
export async function legacyList(ctx: HandlerContext): Promise<JsonReply> {
  const { state } = ctx;
  const repo = pluginRepository(state);
  if (!repo) {
    return message(404, 'plugin runbooks not found');
  }
  return listTip(state, repo, (name) =>
    state.config.connections
      .filter((c) => c.legacyPathPrefix === undefined || (c.legacyPathPrefix !== '' && name.startsWith(c.legacyPathPrefix)))
      .map((c) => c.name),
  );
}

/** GET /api/plugins/runbooks/connections/:name/templates — ListByConnection: the runbooks under that connection's prefix. */
export async function legacyListByConnection(ctx: HandlerContext): Promise<JsonReply> {
  const { state } = ctx;
  const repo = pluginRepository(state);
  if (!repo) {
    return message(400, 'plugin runbooks not found');
  }
  const connection = state.config.connections.find((c) => c.name === ctx.params.name);
  if (!connection) {
    return message(404, 'runbooks plugin does not have this connection');
  }
  const prefix = connection.legacyPathPrefix ?? '';
  return listTip(state, repo, (name) => (prefix === '' || name.startsWith(prefix) ? [] : null));
}

async function listTip(state: GatewayState, repo: RepositoryConfig, connectionsFor: (name: string) => string[] | null): Promise<JsonReply> {
  let tip: RepositoryTip;
  try {
    tip = await state.git.tip(repo);
  } catch (err) {
    if (err instanceof GitSourceError) {
      return message(422, `failed listing runbooks, reason=${err.message}`);
    }
    throw err;
  }
  const items = await listRunbookItems(tip, connectionsFor);
  return reply(200, { items, commit: tip.commit, commit_author: tip.author, commit_message: tip.message });
}
