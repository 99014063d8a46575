import { TemplateExecError, TemplateParseError } from '../../src/core/errors';
import { isRunbookFile, parseRunbookTemplate } from '../../src/core/template';
import type { RepositoryTip } from './gitSource';

/** common/runbooks maxTemplateSize. */
const MAX_TEMPLATE_BYTES = 1_000_000;

export interface LoadedRunbook {
  script: string;
  /** asenv output: `envvar:NAME` → base64. */
  envVars: Record<string, string>;
  attributes: Record<string, unknown>;
}

/** A 400 the handlers answer with hoop's text (template and size errors). */
export class RunbookRequestError extends Error {}

/** Repository.ReadFile (common/runbooks/git.go): undefined when the file is not in the tree. */
export async function loadRunbook(tip: RepositoryTip, fileName: string, parameters: Record<string, string> | null): Promise<LoadedRunbook | undefined> {
  const file = tip.files.get(fileName);
  if (!file) {
    return undefined;
  }
  if (file.size > MAX_TEMPLATE_BYTES) {
    throw new RunbookRequestError(`max template size [${MAX_TEMPLATE_BYTES / 1000} KB] reached for ${fileName}`);
  }
  try {
    const template = parseRunbookTemplate(await tip.readFile(fileName));
    const rendered = template.render(parameters);
    return { script: rendered.output, envVars: { ...rendered.envVars }, attributes: template.attributes };
  } catch (err) {
    if (err instanceof TemplateParseError || err instanceof TemplateExecError) {
      throw new RunbookRequestError(err.message);
    }
    throw err;
  }
}

/** One `openapi.Runbook` list item; `connections` is omitted when undefined or empty. */
export interface RunbookItem {
  name: string;
  metadata: Record<string, unknown>;
  connections?: string[];
  error: string | null;
}

/**
 * The runbook files of a tip as list items (helpers.go listRunbookFilesV2 and friends).
 * `connectionsFor` returns the item's allowed connections, or null to drop the file.
 */
export async function listRunbookItems(tip: RepositoryTip, connectionsFor: (name: string) => string[] | null): Promise<RunbookItem[]> {
  const items: RunbookItem[] = [];
  for (const [name, file] of tip.files) {
    if (!isRunbookFile(name)) {
      continue;
    }
    const connections = connectionsFor(name);
    if (connections === null) {
      continue;
    }
    const item: RunbookItem = { name, metadata: {}, ...(connections.length > 0 ? { connections } : {}), error: null };
    if (file.size > MAX_TEMPLATE_BYTES) {
      item.error = `max template size [${MAX_TEMPLATE_BYTES / 1000} KB] reached`;
    } else {
      try {
        item.metadata = parseRunbookTemplate(await tip.readFile(name)).attributes;
      } catch (err) {
        if (!(err instanceof TemplateParseError)) {
          throw err;
        }
        item.error = `template parse error: ${err.message}`;
      }
    }
    items.push(item);
  }
  return items;
}
