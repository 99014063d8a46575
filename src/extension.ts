import * as vscode from 'vscode';
import { AccountStore } from './auth/accountStore';
import { HoopAuthenticationProvider } from './auth/authenticationProvider';
import { GatewayStatusBar } from './auth/gatewayStatusBar';
import { registerCommands } from './commands';
import { RunRegistry } from './core/run/runRegistry';
import { ErrorReporter } from './errorReporter';
import { GatewayAccess } from './gatewayAccess';
import { createLogger } from './logger';
import { RunReporter } from './run/report';
import { RunFlow } from './run/runFlow';
import { RunLifecycle } from './run/runLifecycle';
import { registerRunbookCodeLens } from './runbookCodeLens';
import { RunMemory } from './runMemory';
import { SecretStore } from './secretStore';
import { readSettings } from './settings';
import { TranscriptChannel } from './transcriptChannel';
import { globalStateHistory } from './views/historyStore';
import { registerRunDocuments } from './views/runDocuments';
import { RunStatusBar } from './views/runStatusBar';
import { RunsView } from './views/runsView';

/** Wires the services together; nothing else happens here. */
export function activate(context: vscode.ExtensionContext): void {
  const logger = createLogger();
  const secrets = new SecretStore(context.secrets);
  const accounts = new AccountStore(secrets, context.globalState);
  const access = new GatewayAccess(accounts, context.globalState, logger, String(context.extension.packageJSON.version));
  const memory = new RunMemory(context.globalState);
  const registry = new RunRegistry(globalStateHistory(context.globalState));
  const transcript = new TranscriptChannel();
  const lifecycle = new RunLifecycle(registry, access, logger);
  const flow = new RunFlow({ access, secrets, memory, registry, lifecycle, logger });
  const reporter = new ErrorReporter(logger);
  context.subscriptions.push(
    logger,
    access,
    new HoopAuthenticationProvider(access, accounts),
    new GatewayStatusBar(access),
    transcript,
    lifecycle,
    new RunReporter(registry, transcript),
    new RunStatusBar(registry),
    new RunsView(registry),
    registerRunDocuments(registry),
    registerCommands({ flow, lifecycle, registry, access, memory, secrets, transcript, reporter }),
    registerRunbookCodeLens(() => readSettings().codeLensEnabled),
  );
  lifecycle.resume();
}

export function deactivate(): void {}
