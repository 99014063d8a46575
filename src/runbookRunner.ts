import * as vscode from 'vscode';
import { CancelledError, GatewayHttpError, HoopError, NoTokenError, RepositoryKeyError, TemplateParseError, UntrustedWorkspaceError } from './core/errors';
import type { EnvVarValue } from './core/envVars';
import { secretsForRunbook } from './core/envVars';
import type { ApiRoute, ExecResult, GatewayClient } from './core/gatewayClient';
import type { GatewayConnection, RunbookListResponse } from './core/gatewayTypes';
import { compareWithGatewayCommit, describeGatewayCopyWarning, describeGitWarnings, readRunbookGitInfo, type RunbookGitInfo } from './core/git';
import { isRememberable, parameterSpecs, type ParameterSpec } from './core/parameters';
import { connectionsForRunbook, findRunbook, gatewayCommitFor, listedRepositories, type CatalogEntry } from './core/runbookCatalog';
import { describeOutcome, interpretExecResponse, isSuccessful, sessionUrl, type RunOutcome } from './core/runOutcome';
import { buildExecBody, secretValuesOf, type RunRequest } from './core/runRequest';
import { parseRunbookTemplate, type RunbookTemplate } from './core/template';
import { transcriptFooter, transcriptHeader, transcriptOutput } from './core/transcript';
import type { GatewayAccess } from './gatewayAccess';
import { resolveRunbookUri } from './runbookPicker';
import { collectRunInputs } from './runInputFlow';
import { RunMemory, runbookKey } from './runMemory';
import type { RunStatusBar } from './runStatusBar';
import type { SecretStore } from './secretStore';
import { readSettings, type HoopSettings } from './settings';
import type { TranscriptChannel } from './transcriptChannel';
import { runbookDisplayName } from './workspaceRunbooks';

/** Arguments a test, keybinding or task may pass; each one given skips its prompt. */
export interface RunOptions {
  connection?: string;
  parameters?: Record<string, string>;
  metadata?: Record<string, string>;
  envVars?: EnvVarValue[];
  /** Run even when the file is uncommitted or not pushed, without the modal warning. */
  skipGitWarnings?: boolean;
  /** Also offer ad hoc environment variables, file secrets and metadata. */
  withEnvironment?: boolean;
}

interface Preparation {
  specs: ParameterSpec[];
  repository: string;
  /** The commit the gateway serves for the repository, when its listing names one. */
  gatewayCommit?: string;
  connections: GatewayConnection[];
  connectionsProblem?: string;
}

export interface RunnerServices {
  access: GatewayAccess;
  secrets: SecretStore;
  memory: RunMemory;
  transcript: TranscriptChannel;
  statusBar: RunStatusBar;
  logger: vscode.LogOutputChannel;
}

/** One run from click to result: git, prompts, exec, transcript, status bar. */
export class RunbookRunner {
  private active?: { name: string; controller: AbortController };

  constructor(private readonly services: RunnerServices) {}

  cancel(): void {
    this.active?.controller.abort();
  }

  async run(target: unknown, options: RunOptions = {}): Promise<RunOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      throw new UntrustedWorkspaceError();
    }
    if (this.active) {
      const choice = await vscode.window.showWarningMessage(`${this.active.name} is still running. Wait for it, or cancel it first.`, 'Cancel It');
      if (choice === 'Cancel It') {
        this.cancel();
      }
      return undefined;
    }
    const uri = await resolveRunbookUri(target);
    const name = runbookDisplayName(uri);
    const git = await readRunbookGitInfo(uri.fsPath);
    const warned = await this.confirmLocalGitState(uri, git, options);
    const settings = readSettings();
    for (const problem of settings.secretProblems) {
      this.services.logger.warn(problem);
    }
    const { client, route, preparation } = await this.readFromGateway(uri, name, git);
    if (!warned && !options.skipGitWarnings && preparation.gatewayCommit) {
      await this.confirmGatewayCopy(git, preparation.gatewayCommit);
    }

    const key = runbookKey(preparation.repository, git.fileName);
    const secretDeclarations = secretsForRunbook(settings.secrets, git.fileName).filter(
      (declaration) => !options.envVars?.some((envVar) => envVar.name === declaration.name && envVar.kind === declaration.kind),
    );
    const inputs = await collectRunInputs({
      runbookName: name,
      connections: preparation.connections,
      connectionsProblem: preparation.connectionsProblem,
      lastConnection: this.services.memory.lastConnection(key),
      defaultConnection: settings.defaultConnection,
      specs: preparation.specs,
      rememberedValues: (connection) => this.services.memory.lastValues(key, connection),
      missingMetadataFields: (connection) => missingMetadata(preparation.connections, connection, settings),
      secrets: secretDeclarations,
      storedSecret: (declaration) => Promise.resolve(this.services.secrets.getSecret(client.gatewayUrl, declaration.kind, declaration.name)),
      askAdHocEnvironment: options.withEnvironment === true,
      given: { connection: options.connection, parameters: options.parameters, metadata: options.metadata, envVars: options.envVars },
    });
    await Promise.all(inputs.secretsToRemember.map((envVar) => this.services.secrets.setSecret(client.gatewayUrl, envVar.kind, envVar.name, envVar.value)));
    const rememberable = preparation.specs.filter(isRememberable).map((spec) => spec.name);
    await this.services.memory.remember(
      key,
      inputs.connection,
      Object.fromEntries(Object.entries(inputs.parameters).filter(([parameter]) => rememberable.includes(parameter))),
    );

    const request: RunRequest = {
      gatewayUrl: client.gatewayUrl,
      route,
      connection: inputs.connection,
      repository: preparation.repository,
      fileName: git.fileName,
      refHash: git.refHash,
      branch: git.branch,
      parameters: inputs.parameters,
      parameterSpecs: preparation.specs,
      envVars: inputs.envVars,
      clientArgs: settings.clientArgs,
      metadata: { ...settings.metadata, ...inputs.metadata },
    };
    return this.execute(client, request, name);
  }

  /** Warns before anything is sent when git shows the gateway will not run what the editor shows; true when it warned. */
  private async confirmLocalGitState(uri: vscode.Uri, git: RunbookGitInfo, options: RunOptions): Promise<boolean> {
    const unsaved = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.isDirty;
    const warnings = [...(unsaved ? [`${git.fileName} has unsaved changes in the editor.`] : []), ...describeGitWarnings(git)];
    if (warnings.length === 0 || options.skipGitWarnings) {
      return false;
    }
    await confirmRunAnyway(warnings);
    return true;
  }

  /** A clean, pushed file may still differ from the commit the gateway serves (another branch, its 5-minute cache). */
  private async confirmGatewayCopy(git: RunbookGitInfo, gatewayCommit: string): Promise<void> {
    const copy = await compareWithGatewayCommit(git, gatewayCommit);
    this.services.logger.info(`The gateway serves ${git.fileName} from commit ${gatewayCommit}; compared with HEAD ${git.refHash}: ${copy}.`);
    const warning = describeGatewayCopyWarning(git, gatewayCommit, copy);
    if (warning) {
      await confirmRunAnyway([warning]);
    }
  }

  /**
   * What the prompts need from the gateway: its API route, the runbook's listing and the connections.
   * A 401 here ran nothing, so the user is asked for a new token once and the reads are repeated with it.
   */
  private async readFromGateway(uri: vscode.Uri, name: string, git: RunbookGitInfo): Promise<{ client: GatewayClient; route: ApiRoute; preparation: Preparation }> {
    const read = async (client: GatewayClient) => {
      const route = await this.services.access.apiRoute(client);
      const preparation = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Hoop: reading ${name} from the gateway` },
        () => this.prepare(client, route, uri, git),
      );
      return { client, route, preparation };
    };
    try {
      return await read(await this.clientWithToken());
    } catch (error) {
      return read(await this.clientAfterRejectedToken(error, (reason) => this.services.logger.warn(reason)));
    }
  }

  /**
   * A 401 means the gateway ran nothing: ask once for a new token and return a client with it.
   * Anything else, or the user declining, rethrows the error.
   */
  private async clientAfterRejectedToken(error: unknown, onRejected: (reason: string) => void): Promise<GatewayClient> {
    if (!isUnauthorized(error)) {
      throw error;
    }
    const rejected = `The gateway rejected the token (401 "${error.gatewayMessage}"); nothing ran.`;
    onRejected(rejected);
    if (!(await this.services.access.promptForToken({ reason: rejected }))) {
      throw error;
    }
    return this.services.access.client();
  }

  private async clientWithToken(): Promise<GatewayClient> {
    try {
      return await this.services.access.client();
    } catch (error) {
      if (!(error instanceof NoTokenError) || !(await this.services.access.promptForToken())) {
        throw error;
      }
      return this.services.access.client();
    }
  }

  /** Lists the runbook and connections (in parallel) and settles parameters, repository key and connection choices. */
  private async prepare(client: GatewayClient, route: ApiRoute, uri: vscode.Uri, git: RunbookGitInfo): Promise<Preparation> {
    const [listing, connections, local] = await Promise.all([
      client.listRunbooks(route).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      client.listConnections().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      this.parseLocally(uri),
    ]);
    for (const failed of [listing, connections]) {
      if ('error' in failed) {
        if (isUnauthorized(failed.error)) {
          throw failed.error;
        }
        this.services.logger.warn(failed.error instanceof Error ? failed.error.message : String(failed.error));
      }
    }
    const catalog = 'value' in listing ? listing.value : undefined;
    const entry = catalog ? findRunbook(catalog, git.repository, git.fileName) : undefined;
    const repository = resolveRepository(git, catalog, entry, route);
    return {
      specs: this.specsFor(git.fileName, entry, local),
      repository,
      gatewayCommit: catalog ? gatewayCommitFor(catalog, repository) : undefined,
      connections: 'value' in connections ? connectionsForRunbook(connections.value, entry?.item.connections ?? undefined) : [],
      connectionsProblem: 'error' in connections ? `Could not list connections (${errorText(connections.error)}). Type the connection name instead.` : undefined,
    };
  }

  /** The gateway's metadata when it lists the runbook; else our own parse, which agrees with hoop's. */
  private specsFor(fileName: string, entry: CatalogEntry | undefined, local: RunbookTemplate | TemplateParseError): ParameterSpec[] {
    const patterns = local instanceof TemplateParseError ? {} : local.patterns;
    if (entry?.item.error) {
      throw new TemplateParseError(`The gateway cannot parse its copy of ${fileName}: ${entry.item.error}. Fix the template, commit and push it.`);
    }
    if (entry) {
      this.services.logger.info(`Parameters of ${fileName} come from the gateway's listing.`);
      return parameterSpecs(entry.item.metadata ?? {}, patterns);
    }
    if (local instanceof TemplateParseError) {
      throw new TemplateParseError(`${fileName} is not a valid runbook template: ${local.message}`);
    }
    this.services.logger.info(`The gateway does not list ${fileName}; its parameters come from the local file.`);
    return parameterSpecs(local.attributes, local.patterns);
  }

  private async parseLocally(uri: vscode.Uri): Promise<RunbookTemplate | TemplateParseError> {
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

  private async execute(client: GatewayClient, request: RunRequest, name: string): Promise<RunOutcome> {
    const { transcript, statusBar } = this.services;
    const secretValues = secretValuesOf(request);
    const controller = new AbortController();
    this.active = { name, controller };
    void vscode.commands.executeCommand('setContext', 'hoop.running', true);
    statusBar.showRunning(name);
    transcript.begin(transcriptHeader(request, name, new Date()));
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Hoop: running ${name} on ${request.connection}`, cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return this.execOnceRetryingUnauthorized(client, request, controller.signal);
        },
      );
      const outcome = interpretExecResponse(result.status, result.body, result.text);
      transcript.append(transcriptOutput(outcome, secretValues));
      transcript.append(transcriptFooter(outcome, name, request.gatewayUrl, secretValues));
      statusBar.showOutcome(name, outcome);
      this.notify(outcome, name, request.gatewayUrl);
      return outcome;
    } catch (error) {
      const message = error instanceof HoopError ? error.message : String(error);
      if (error instanceof CancelledError) {
        // The request was sent: the gateway may still run it, so this is not "not run".
        transcript.append(`${'─'.repeat(60)}\nCancelled: ${message}`);
        statusBar.showStoppedWaiting(name, message);
      } else {
        transcript.append(`${'─'.repeat(60)}\n${provesNothingRan(error) ? 'Not run' : 'Error'}: ${message}`);
        statusBar.showError(name, message);
      }
      throw error;
    } finally {
      this.active = undefined;
      void vscode.commands.executeCommand('setContext', 'hoop.running', false);
    }
  }

  /** Exec is never retried, except once after a 401: the gateway ran nothing, and the user supplied a new token. */
  private async execOnceRetryingUnauthorized(client: GatewayClient, request: RunRequest, signal: AbortSignal): Promise<ExecResult> {
    try {
      return await client.exec(request.route, buildExecBody(request), signal);
    } catch (error) {
      const renewed = await this.clientAfterRejectedToken(error, (reason) => this.services.transcript.append(reason));
      this.services.transcript.append('Sending again with the new token.');
      return renewed.exec(request.route, buildExecBody(request), signal);
    }
  }

  private notify(outcome: RunOutcome, name: string, gatewayUrl: string): void {
    const message = describeOutcome(outcome, name);
    const link = outcome.kind === 'review' || outcome.kind === 'aiReview' ? outcome.reviewUrl : outcome.sessionId ? sessionUrl(gatewayUrl, outcome.sessionId) : undefined;
    const linkTitle = outcome.kind === 'review' || outcome.kind === 'aiReview' ? 'Open Review' : 'Open Session';
    const actions = ['Show Output', ...(link ? [linkTitle] : [])];
    const show = isSuccessful(outcome)
      ? vscode.window.showInformationMessage
      : outcome.kind === 'review' || outcome.kind === 'aiReview' || outcome.kind === 'running'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
    void show(message, ...actions).then((picked) => {
      if (picked === 'Show Output') {
        this.services.transcript.show();
      } else if (picked && link) {
        void vscode.env.openExternal(vscode.Uri.parse(link));
      }
    });
  }
}

/** The modal that says the gateway will run something else; Cancel ends the run silently. */
async function confirmRunAnyway(warnings: string[]): Promise<void> {
  const choice = await vscode.window.showWarningMessage('The gateway will not run what you see in the editor.', { modal: true, detail: warnings.join('\n\n') }, 'Run Anyway');
  if (choice !== 'Run Anyway') {
    throw new CancelledError();
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

function missingMetadata(connections: GatewayConnection[], connectionName: string, settings: HoopSettings): string[] {
  const fields = connections.find((connection) => connection.name === connectionName)?.mandatory_metadata_fields ?? [];
  return fields.filter((field) => settings.metadata[field] === undefined);
}

/** An error status from the gateway means it ran nothing; a lost or timed-out answer leaves that unknown. */
function provesNothingRan(error: unknown): boolean {
  return error instanceof GatewayHttpError && error.status >= 400;
}

function isUnauthorized(error: unknown): error is GatewayHttpError {
  return error instanceof GatewayHttpError && error.status === 401;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
