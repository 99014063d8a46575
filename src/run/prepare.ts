import * as vscode from 'vscode';
import { CancelledError, GatewayHttpError, NoTokenError, RepositoryKeyError, TemplateParseError } from '../core/errors';
import type { ApiRoute, GatewayClient } from '../core/gatewayClient';
import type { GatewayConnection, RunbookListResponse } from '../core/gatewayTypes';
import { compareWithGatewayCommit, describeGatewayCopyWarning, describeGitWarnings, readRunbookGitInfo, type RunbookGitInfo } from '../core/git';
import { parameterSpecs, type ParameterSpec } from '../core/parameters';
import { connectionsForRunbook, findRunbook, gatewayCommitFor, listedRepositories, type CatalogEntry } from '../core/runbookCatalog';
import { parseRunbookTemplate, type RunbookTemplate } from '../core/template';
import type { GatewayAccess } from '../gatewayAccess';
import { resolveRunbookUri } from '../runbookPicker';
import { readSettings, type HoopSettings } from '../settings';
import { runbookDisplayName } from '../workspaceRunbooks';

/** What the prompts and the request need, read from git, the settings and the gateway before asking anything. */
export interface PreparedRun {
  uri: vscode.Uri;
  name: string;
  git: RunbookGitInfo;
  settings: HoopSettings;
  client: GatewayClient;
  route: ApiRoute;
  specs: ParameterSpec[];
  repository: string;
  connections: GatewayConnection[];
  connectionsProblem?: string;
}

export interface PrepareOptions {
  /** Run even when the file is uncommitted or not pushed, without the modal warning. */
  skipGitWarnings?: boolean;
}

/**
 * The prepare phase: the runbook, its git state (warning when the gateway will run something else),
 * the API route, the listing and the connections. A 401 here ran nothing: sign in again once.
 */
export async function prepareRun(access: GatewayAccess, logger: vscode.LogOutputChannel, target: unknown, options: PrepareOptions): Promise<PreparedRun> {
  const uri = await resolveRunbookUri(target);
  const name = runbookDisplayName(uri);
  const git = await readRunbookGitInfo(uri.fsPath);
  const warned = await confirmLocalGitState(uri, git, options);
  const settings = readSettings();
  for (const problem of settings.secretProblems) {
    logger.warn(problem);
  }
  const read = async (client: GatewayClient) => {
    const route = await access.apiRoute(client);
    const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Hoop: reading ${name} from the gateway` }, () =>
      readGateway(logger, client, route, uri, git),
    );
    return { client, route, ...listed };
  };
  let gateway: Awaited<ReturnType<typeof read>>;
  try {
    gateway = await read(await clientWithToken(access));
  } catch (error) {
    gateway = await read(await clientAfterRejectedToken(access, error, (reason) => logger.warn(reason)));
  }
  if (!warned && !options.skipGitWarnings && gateway.gatewayCommit) {
    await confirmGatewayCopy(logger, git, gateway.gatewayCommit);
  }
  return { uri, name, git, settings, ...gateway };
}

/**
 * A 401 means the gateway ran nothing: ask once for a new token and return a client with it.
 * Anything else, or the user declining, rethrows the error.
 */
export async function clientAfterRejectedToken(access: GatewayAccess, error: unknown, onRejected: (reason: string) => void): Promise<GatewayClient> {
  if (!isUnauthorized(error)) {
    throw error;
  }
  const rejected = `The gateway rejected the token (401 "${error.gatewayMessage}"); nothing ran.`;
  onRejected(rejected);
  if (!(await access.renewAfterUnauthorized(rejected))) {
    throw error;
  }
  return access.client();
}

async function clientWithToken(access: GatewayAccess): Promise<GatewayClient> {
  try {
    return await access.client();
  } catch (error) {
    if (!(error instanceof NoTokenError) || !(await access.signIn())) {
      throw error;
    }
    return access.client();
  }
}

/** Warns before anything is sent when git shows the gateway will not run what the editor shows; true when it warned. */
async function confirmLocalGitState(uri: vscode.Uri, git: RunbookGitInfo, options: PrepareOptions): Promise<boolean> {
  const unsaved = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.isDirty;
  const warnings = [...(unsaved ? [`${git.fileName} has unsaved changes in the editor.`] : []), ...describeGitWarnings(git)];
  if (warnings.length === 0 || options.skipGitWarnings) {
    return false;
  }
  await confirmRunAnyway(warnings);
  return true;
}

/** A clean, pushed file may still differ from the commit the gateway serves (another branch, its 5-minute cache). */
async function confirmGatewayCopy(logger: vscode.LogOutputChannel, git: RunbookGitInfo, gatewayCommit: string): Promise<void> {
  const copy = await compareWithGatewayCommit(git, gatewayCommit);
  logger.info(`The gateway serves ${git.fileName} from commit ${gatewayCommit}; compared with HEAD ${git.refHash}: ${copy}.`);
  const warning = describeGatewayCopyWarning(git, gatewayCommit, copy);
  if (warning) {
    await confirmRunAnyway([warning]);
  }
}

/** The modal that says the gateway will run something else; Cancel ends the run silently. */
async function confirmRunAnyway(warnings: string[]): Promise<void> {
  const choice = await vscode.window.showWarningMessage('The gateway will not run what you see in the editor.', { modal: true, detail: warnings.join('\n\n') }, 'Run Anyway');
  if (choice !== 'Run Anyway') {
    throw new CancelledError();
  }
}

/** Lists the runbook and connections (in parallel) and settles parameters, repository key and connection choices. */
async function readGateway(logger: vscode.LogOutputChannel, client: GatewayClient, route: ApiRoute, uri: vscode.Uri, git: RunbookGitInfo) {
  const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));
  const [listing, connections, local] = await Promise.all([settle(client.listRunbooks(route)), settle(client.listConnections()), parseLocally(uri)]);
  for (const failed of [listing, connections]) {
    if ('error' in failed) {
      if (isUnauthorized(failed.error)) {
        throw failed.error;
      }
      logger.warn(errorText(failed.error));
    }
  }
  const catalog = 'value' in listing ? listing.value : undefined;
  const entry = catalog ? findRunbook(catalog, git.repository, git.fileName) : undefined;
  const repository = resolveRepository(git, catalog, entry, route);
  return {
    specs: specsFor(logger, git.fileName, entry, local),
    repository,
    gatewayCommit: catalog ? gatewayCommitFor(catalog, repository) : undefined,
    connections: 'value' in connections ? connectionsForRunbook(connections.value, entry?.item.connections ?? undefined) : [],
    connectionsProblem: 'error' in connections ? `Could not list connections (${errorText(connections.error)}). Type the connection name instead.` : undefined,
  };
}

/** The gateway's metadata when it lists the runbook; else our own parse, which agrees with hoop's. */
function specsFor(logger: vscode.LogOutputChannel, fileName: string, entry: CatalogEntry | undefined, local: RunbookTemplate | TemplateParseError): ParameterSpec[] {
  const checks = local instanceof TemplateParseError ? {} : local;
  if (entry?.item.error) {
    throw new TemplateParseError(`The gateway cannot parse its copy of ${fileName}: ${entry.item.error}. Fix the template, commit and push it.`);
  }
  if (entry) {
    logger.info(`Parameters of ${fileName} come from the gateway's listing.`);
    return parameterSpecs(entry.item.metadata ?? {}, checks);
  }
  if (local instanceof TemplateParseError) {
    throw new TemplateParseError(`${fileName} is not a valid runbook template: ${local.message}`);
  }
  logger.info(`The gateway does not list ${fileName}; its parameters come from the local file.`);
  return parameterSpecs(local.attributes, local);
}

async function parseLocally(uri: vscode.Uri): Promise<RunbookTemplate | TemplateParseError> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  const text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  try {
    return parseRunbookTemplate(text);
  } catch (error) {
    if (error instanceof TemplateParseError) {
      return error;
    }
    throw error;
  }
}

function resolveRepository(git: RunbookGitInfo, catalog: RunbookListResponse | undefined, entry: CatalogEntry | undefined, route: ApiRoute): string {
  if (entry?.repository) {
    return entry.repository;
  }
  if (git.repository) {
    return git.repository;
  }
  if (route === 'legacy') {
    return git.originUrl ?? '';
  }
  const listed = catalog ? listedRepositories(catalog) : [];
  throw new RepositoryKeyError(
    `Cannot tell which gateway repository ${git.fileName} belongs to: ${git.originUrl ? `the origin remote "${git.originUrl}" is not a git URL` : 'the git repository has no "origin" remote'}${
      listed.length ? `, and the gateway does not list this file in ${listed.join(', ')}` : ''
    }. Set origin to the repository the gateway is configured with.`,
  );
}

export function isUnauthorized(error: unknown): error is GatewayHttpError {
  return error instanceof GatewayHttpError && error.status === 401;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
