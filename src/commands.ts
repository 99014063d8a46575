import * as vscode from 'vscode';
import { commandIds, type CommandId } from './commandIds';
import type { ErrorReporter } from './errorReporter';
import { pickGateway, showGatewayMenu } from './auth/gatewayStatusBar';
import type { GatewayAccess } from './gatewayAccess';
import type { RunbookRunner, RunOptions } from './runbookRunner';
import type { RunMemory } from './runMemory';
import type { SecretStore } from './secretStore';
import type { TranscriptChannel } from './transcriptChannel';
import { readSettings } from './settings';

export interface CommandServices {
  runner: RunbookRunner;
  access: GatewayAccess;
  memory: RunMemory;
  secrets: SecretStore;
  transcript: TranscriptChannel;
  reporter: ErrorReporter;
}

type Handler = (...args: any[]) => Promise<unknown>;

/**
 * Every command in one table. Run handlers take the clicked Uri (Explorer, editor title, CodeLens)
 * or a path, plus optional RunOptions so tests, keybindings and tasks can drive them.
 */
function commandTable(services: CommandServices): Record<CommandId, Handler> {
  const { runner, access, memory, secrets, transcript } = services;
  return {
    [commandIds.runRunbook]: (target?: unknown, options?: RunOptions) => runner.run(runbookTarget(target), options),
    [commandIds.runRunbookWithEnvironment]: (target?: unknown, options?: RunOptions) => runner.run(runbookTarget(target), { ...options, withEnvironment: true }),
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
    [commandIds.cancelRun]: async () => runner.cancel(),
    [commandIds.forgetRemembered]: async () => {
      const { secrets: declarations } = readSettings();
      const gatewayUrl = access.activeGateway().url;
      await memory.forgetAll();
      await Promise.all(declarations.map((declaration) => secrets.deleteSecret(gatewayUrl, declaration.kind, declaration.name)));
      void vscode.window.showInformationMessage('Hoop: forgot the remembered connections, parameter values and stored secrets.');
    },
  };
}

/** The Explorer passes (clicked, selected[]); a keybinding passes nothing. */
function runbookTarget(target: unknown): unknown {
  return target instanceof vscode.Uri || typeof target === 'string' ? target : undefined;
}

export function registerCommands(services: CommandServices): vscode.Disposable {
  const table = commandTable(services);
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, services.reporter.wrap(id, handler))),
  );
}
