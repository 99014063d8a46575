import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import { CancelledError, ConfigurationError, UntrustedWorkspaceError } from '../core/errors';
import type { JiraIssueTemplate } from '../core/gatewayTypes';
import { isRememberable } from '../core/parameters';
import { isEndState, Run, type RunRecord, type RunSummary } from '../core/run/run';
import type { RunRegistry } from '../core/run/runRegistry';
import type { RunRequest } from '../core/runRequest';
import type { GatewayAccess } from '../gatewayAccess';
import type { RunMemory } from '../runMemory';
import type { JiraFieldPrompt, RunInputs } from '../runInputFlow';
import type { SecretStore } from '../secretStore';
import { askRunInputs, recipeOf, type GivenInputs } from './ask';
import { prepareRun, type PreparedRun } from './prepare';
import type { RunLifecycle } from './runLifecycle';

/** Arguments a test, keybinding, task or rerun may pass; each one given skips its prompt. */
export interface RunOptions extends GivenInputs {
  /** Run even when the file is uncommitted or not pushed, without the modal warning. */
  skipGitWarnings?: boolean;
  /** Use this correlation id instead of a fresh one (V2). */
  correlationId?: string;
}

/** What a run command returns: the run's record when the caller stops waiting, with its output. */
export type RunResult = RunRecord & { output: string };

export interface RunFlowServices {
  access: GatewayAccess;
  secrets: SecretStore;
  memory: RunMemory;
  registry: RunRegistry;
  lifecycle: RunLifecycle;
  logger: vscode.LogOutputChannel;
}

/** A run from click to result, as its phases: prepare, ask, send (and follow), then the report observes the Run. */
export class RunFlow {
  constructor(private readonly services: RunFlowServices) {}

  async run(target: unknown, options: RunOptions = {}): Promise<RunResult> {
    requireTrust();
    const prepared = await prepareRun(this.services.access, this.services.logger, target, options);
    const inputs = await askRunInputs(this.askServices(), prepared, options);
    const run = this.newRun(prepared, inputs);
    await this.sendAndWait(run, prepared, this.request(prepared, inputs, { correlationId: options.correlationId }));
    return resultOf(run);
  }

  /** The parameters once, then one exec per connection with a shared `session_batch_id` (hoop's parallel mode). */
  async runOnSeveralConnections(target: unknown, options: RunOptions & { connections?: string[] } = {}): Promise<RunResult[]> {
    requireTrust();
    const prepared = await prepareRun(this.services.access, this.services.logger, target, options);
    const connections = options.connections ?? (await pickConnections(prepared));
    const inputs = await askRunInputs(this.askServices(), prepared, { ...options, connection: connections[0] });
    const batchId = randomUUID();
    const runs = connections.map((connection) => this.newRun(prepared, { ...inputs, connection }, batchId));
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hoop: running ${prepared.name} on ${connections.length} connections`, cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => runs.forEach((run) => this.services.lifecycle.stopWaiting(run)));
        await Promise.all(
          runs.map((run) => this.services.lifecycle.send(run, prepared.client, this.request(prepared, { ...inputs, connection: run.data.connection }, { batchId })).then(() => untilSettled(run))),
        );
      },
    );
    return runs.map(resultOf);
  }

  /** Rerun: the same runbook, connection and remembered values; only secrets, passwords and files are asked again. */
  async rerun(record: RunRecord, withChanges: boolean): Promise<RunResult> {
    const recipe = record.recipe;
    if (!recipe) {
      throw new ConfigurationError(`${record.runbookName} cannot be rerun from here: open the runbook and run it.`);
    }
    if (withChanges) {
      return this.run(vscode.Uri.parse(recipe.uri), { prefill: { connection: recipe.connection, parameters: recipe.parameters }, metadata: recipe.metadata });
    }
    return this.run(vscode.Uri.parse(recipe.uri), { connection: recipe.connection, parameters: recipe.parameters, metadata: recipe.metadata, skipConfirm: true });
  }

  private askServices() {
    return { memory: this.services.memory, secrets: this.services.secrets, jiraFields: jiraPromptFields };
  }

  private newRun(prepared: PreparedRun, inputs: RunInputs, batchId?: string): Run {
    const shown = new Set(prepared.specs.filter(isRememberable).map((spec) => spec.name));
    const summary: RunSummary = {
      fileName: prepared.git.fileName,
      repository: prepared.repository,
      refHash: prepared.git.refHash,
      branch: prepared.git.branch,
      route: prepared.route,
      parameters: Object.fromEntries(Object.entries(inputs.parameters).map(([name, value]) => [name, shown.has(name) ? value : '(hidden)'])),
      envVarNames: inputs.envVars.map((envVar) => `${envVar.kind}:${envVar.name}`),
      metadataKeys: Object.keys({ ...prepared.settings.metadata, ...inputs.metadata }),
      clientArgs: [...prepared.settings.clientArgs],
    };
    return this.services.registry.add(
      new Run({
        id: randomUUID(),
        runbookName: prepared.name,
        connection: inputs.connection,
        gatewayUrl: prepared.client.gatewayUrl,
        gatewayName: this.services.access.activeGatewayName,
        state: 'preparing',
        message: `Preparing ${prepared.name} on ${inputs.connection}…`,
        startedAt: Date.now(),
        batchId,
        jiraIssueExpected: Boolean(prepared.connections.find((connection) => connection.name === inputs.connection)?.jira_issue_template_id) || undefined,
        summary,
        recipe: recipeOf(prepared, inputs),
      }),
    );
  }

  private request(prepared: PreparedRun, inputs: RunInputs, extra: { correlationId?: string; batchId?: string }): RunRequest {
    return {
      gatewayUrl: prepared.client.gatewayUrl,
      route: prepared.route,
      connection: inputs.connection,
      repository: prepared.repository,
      fileName: prepared.git.fileName,
      refHash: prepared.git.refHash,
      branch: prepared.git.branch,
      parameters: inputs.parameters,
      parameterSpecs: prepared.specs,
      envVars: inputs.envVars,
      clientArgs: prepared.settings.clientArgs,
      metadata: { ...prepared.settings.metadata, ...inputs.metadata },
      jiraFields: Object.keys(inputs.jiraFields).length ? inputs.jiraFields : undefined,
      correlationId: extra.correlationId,
      sessionBatchId: extra.batchId,
    };
  }

  /** The progress notification lasts while the caller waits; its Cancel is Stop Waiting, never a kill. */
  private async sendAndWait(run: Run, prepared: PreparedRun, request: RunRequest): Promise<void> {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hoop: running ${prepared.name} on ${request.connection} (Cancel stops waiting; the run goes on)`, cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => {
          this.services.lifecycle.stopWaiting(run);
          void vscode.window
            .showInformationMessage(`Stopped waiting for ${prepared.name}: it goes on at the gateway, and the Runs view keeps following it.`, 'Show Output', 'Stop Run')
            .then((picked) => picked && vscode.commands.executeCommand(picked === 'Stop Run' ? commandIds.stopRun : commandIds.openRunOutput, run.id));
        });
        await Promise.race([this.services.lifecycle.send(run, prepared.client, request).then(() => untilSettled(run)), untilSettled(run)]);
      },
    );
  }
}

/** Resolves once the run needs nothing more from whoever started it: ended, in review, approved, or detached. */
export function untilSettled(run: Run): Promise<void> {
  const settled = () => isEndState(run.state) || run.state === 'waitingForReview' || run.state === 'approved' || run.data.detached === true;
  if (settled()) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const subscription = run.onDidChange(() => {
      if (settled()) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

function resultOf(run: Run): RunResult {
  return { ...run.data, output: run.output };
}

function requireTrust(): void {
  if (!vscode.workspace.isTrusted) {
    throw new UntrustedWorkspaceError();
  }
}

async function jiraPromptFields(prepared: PreparedRun, connectionName: string): Promise<JiraFieldPrompt[]> {
  const templateId = prepared.connections.find((connection) => connection.name === connectionName)?.jira_issue_template_id;
  if (!templateId) {
    return [];
  }
  const template: JiraIssueTemplate = await prepared.client.jiraIssueTemplate(templateId);
  return (template.prompt_types?.items ?? []).map((item) => ({
    id: item.jira_field,
    label: item.label || item.jira_field,
    description: item.description || undefined,
    required: item.required === true,
    type: item.field_type === 'datetime-local' ? 'datetime-local' : 'text',
  }));
}

async function pickConnections(prepared: PreparedRun): Promise<string[]> {
  if (prepared.connections.length === 0) {
    const typed = await vscode.window.showInputBox({
      title: `Run ${prepared.name} on several connections`,
      prompt: prepared.connectionsProblem ?? 'The gateway lists no connection for this runbook: type two or more names, separated by commas.',
      ignoreFocusOut: true,
      validateInput: (text) => (text.split(',').filter((name) => name.trim()).length < 2 ? 'Type two or more connection names, separated by commas.' : undefined),
    });
    if (typed === undefined) {
      throw new CancelledError();
    }
    return typed.split(',').map((name) => name.trim()).filter(Boolean);
  }
  const picked = await vscode.window.showQuickPick(
    prepared.connections.map((connection) => ({ label: connection.name, description: connection.subtype || connection.type })),
    { canPickMany: true, title: `Run ${prepared.name} on several connections`, placeHolder: 'Pick two or more connections', ignoreFocusOut: true },
  );
  if (!picked || picked.length === 0) {
    throw new CancelledError();
  }
  if (picked.length === 1) {
    void vscode.window.showInformationMessage(`Running ${prepared.name} on one connection only; pick two or more next time to compare them.`);
  }
  return picked.map((item) => item.label);
}
