import * as vscode from 'vscode';
import { commandIds, type CommandId } from './commandIds';
import { CancelledError, ConfigurationError } from './core/errors';
import { gatewayLink } from './core/run/links';
import type { Run } from './core/run/run';
import type { RunRegistry } from './core/run/runRegistry';
import { sessionUrl } from './core/runOutcome';
import type { ErrorReporter } from './errorReporter';
import { pickGateway, showGatewayMenu } from './auth/gatewayStatusBar';
import type { GatewayAccess } from './gatewayAccess';
import { untilSettled, type RunFlow, type RunOptions } from './run/runFlow';
import type { RunLifecycle } from './run/runLifecycle';
import type { RunMemory } from './runMemory';
import type { SecretStore } from './secretStore';
import type { TranscriptChannel } from './transcriptChannel';
import { openRunDocument } from './views/runDocuments';
import { runIdOf } from './views/runsView';

export interface CommandServices {
  flow: RunFlow;
  lifecycle: RunLifecycle;
  registry: RunRegistry;
  access: GatewayAccess;
  memory: RunMemory;
  secrets: SecretStore;
  transcript: TranscriptChannel;
  reporter: ErrorReporter;
}

type Handler = (...args: any[]) => Promise<unknown>;

/**
 * Every command in one table. Run handlers take the clicked Uri (Explorer, editor title, CodeLens)
 * or a path, plus optional RunOptions so tests, keybindings and tasks can drive them. Run actions
 * take a run id (or a runs-view item) and fall back to the run in front of the user.
 */
function commandTable(services: CommandServices): Record<CommandId, Handler> {
  const { flow, lifecycle, registry, access, memory, secrets, transcript } = services;
  const runFrom = (arg: unknown, pick: (run: Run) => boolean, what: string) => runArgument(registry, arg, pick, what);
  return {
    [commandIds.runRunbook]: (target?: unknown, options?: RunOptions) => flow.run(runbookTarget(target), options),
    [commandIds.runRunbookWithEnvironment]: (target?: unknown, options?: RunOptions) => flow.run(runbookTarget(target), { ...options, withEnvironment: true }),
    [commandIds.runOnSeveralConnections]: (target?: unknown, options?: RunOptions & { connections?: string[] }) => flow.runOnSeveralConnections(runbookTarget(target), options),
    [commandIds.rerunLast]: async () => {
      const last = registry.lastRerunnable;
      if (!last) {
        throw new ConfigurationError('Nothing to rerun yet: run a runbook first.');
      }
      return flow.rerun(last.data, false);
    },
    [commandIds.rerun]: async (arg?: unknown) => flow.rerun((await runFrom(arg, (run) => run.data.recipe !== undefined, 'rerun')).data, false),
    [commandIds.rerunWithChanges]: async (arg?: unknown) => {
      const run = arg === undefined ? registry.lastRerunnable : await runFrom(arg, (candidate) => candidate.data.recipe !== undefined, 'rerun');
      if (!run) {
        throw new ConfigurationError('Nothing to rerun yet: run a runbook first.');
      }
      return flow.rerun(run.data, true);
    },
    [commandIds.stopRun]: async (arg?: unknown, options?: { confirmed?: boolean }) => {
      const run = await runFrom(arg, (candidate) => candidate.state === 'running' || candidate.state === 'sending', 'stop');
      if (!options?.confirmed) {
        const choice = await vscode.window.showWarningMessage(
          `Kill ${run.data.runbookName} on ${run.data.connection} on the gateway?`,
          { modal: true, detail: 'The gateway kills the running process. To leave it running and stop only waiting for it, choose Stop Waiting.' },
          'Kill Run',
          'Stop Waiting',
        );
        if (choice === 'Stop Waiting') {
          lifecycle.stopWaiting(run);
          return 'detached';
        }
        if (choice !== 'Kill Run') {
          return undefined;
        }
      }
      const result = await lifecycle.kill(run);
      if (result === 'pending') {
        void vscode.window.showWarningMessage(run.data.message);
      }
      return result;
    },
    [commandIds.stopWaiting]: async (arg?: unknown) => {
      const run = await runFrom(arg, (candidate) => !candidate.ended, 'stop waiting for');
      lifecycle.stopWaiting(run);
      void vscode.window.showInformationMessage(`Stopped waiting for ${run.data.runbookName}: it goes on at the gateway, and the Runs view keeps following it.`);
    },
    [commandIds.executeApproved]: async (arg?: unknown) => {
      const run = await runFrom(arg, (candidate) => candidate.state === 'approved', 'execute');
      await lifecycle.executeApproved(run);
      await untilSettled(run);
      return { ...run.data, output: run.output };
    },
    [commandIds.openRunOutput]: async (arg?: unknown) => {
      // Show Output with nothing chosen: the run going on, else the newest one.
      const newest = arg === undefined && !registry.active.some((run) => run.state === 'running' || run.state === 'sending') ? registry.all[0] : undefined;
      return openRunDocument(newest ?? (await runFrom(arg, () => true, 'show')));
    },
    [commandIds.openSession]: async (arg?: unknown) => {
      const run = await runFrom(arg, (candidate) => candidate.data.sessionId !== undefined, 'open');
      const link = run.state === 'waitingForReview' ? gatewayLink(run.data.reviewUrl, run.data.gatewayUrl, run.data.sessionId) : sessionUrl(run.data.gatewayUrl, run.data.sessionId!);
      return link && vscode.env.openExternal(vscode.Uri.parse(link));
    },
    [commandIds.copySessionId]: async (arg?: unknown) => {
      const run = await runFrom(arg, (candidate) => candidate.data.sessionId !== undefined, 'copy the session of');
      await vscode.env.clipboard.writeText(run.data.sessionId!);
      return run.data.sessionId;
    },
    [commandIds.clearRunHistory]: async () => registry.clearEnded(),
    [commandIds.signIn]: async () => (await access.signIn()) !== undefined,
    [commandIds.gatewayMenu]: async () => showGatewayMenu(access),
    [commandIds.switchGateway]: async (name?: unknown) => (typeof name === 'string' ? access.switchGateway(name) : pickGateway(access)),
    // An API key (or token) as the argument skips the prompt; it is still checked before it is stored.
    [commandIds.setToken]: async (token?: unknown) => (await access.signIn({ apiKey: typeof token === 'string' ? token : undefined, method: 'apiKey' })) !== undefined,
    [commandIds.clearToken]: async () => {
      const gateway = access.activeGateway();
      await access.signOut(gateway);
      void vscode.window.showInformationMessage(`Hoop: signed out of ${gateway.name}; its token was removed.`);
    },
    [commandIds.showTranscript]: async () => transcript.show(),
    [commandIds.forgetRemembered]: async () => {
      await memory.forgetAll();
      await secrets.deleteAllSecrets();
      void vscode.window.showInformationMessage('Hoop: forgot the remembered connections, parameter values and stored secrets.');
    },
  };
}

/** The Explorer passes (clicked, selected[]); a keybinding passes nothing. */
function runbookTarget(target: unknown): unknown {
  return target instanceof vscode.Uri || typeof target === 'string' ? target : undefined;
}

/**
 * The run an action is for: the given id or runs-view item; else, among the runs it applies to,
 * the only one going on, or the only one at all; else the user's pick.
 */
async function runArgument(registry: RunRegistry, arg: unknown, applies: (run: Run) => boolean, what: string): Promise<Run> {
  const id = runIdOf(arg);
  if (id !== undefined) {
    const run = registry.get(id);
    if (!run) {
      throw new ConfigurationError('That run is no longer in the Runs view\'s history.');
    }
    return run;
  }
  const candidates = registry.all.filter(applies);
  // Runs waiting for a reviewer are not "going on" here: Stop and Show Output mean the one running.
  const going = candidates.filter((run) => run.state === 'running' || run.state === 'sending');
  const obvious = going.length === 1 ? going[0] : going.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
  if (obvious) {
    return obvious;
  }
  if (candidates.length === 0) {
    throw new ConfigurationError(`There is no run to ${what}.`);
  }
  const picked = await vscode.window.showQuickPick(
    (going.length ? going : candidates).map((run) => ({ label: run.data.runbookName, description: `${run.data.connection} · ${run.data.message}`, run })),
    { title: `Which run do you want to ${what}?` },
  );
  if (!picked) {
    throw new CancelledError();
  }
  return picked.run;
}

export function registerCommands(services: CommandServices): vscode.Disposable {
  const table = commandTable(services);
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, services.reporter.wrap(id, handler))),
  );
}
