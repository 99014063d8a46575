import * as vscode from 'vscode';
import { AccountStore } from './auth/accountStore';
import { HoopAuthenticationProvider } from './auth/authenticationProvider';
import { GatewayStatusBar } from './auth/gatewayStatusBar';
import { registerCommands } from './commands';
import { ErrorReporter } from './errorReporter';
import { GatewayAccess } from './gatewayAccess';
import { createLogger } from './logger';
import { registerRunbookCodeLens } from './runbookCodeLens';
import { RunbookRunner } from './runbookRunner';
import { RunMemory } from './runMemory';
import { RunStatusBar } from './runStatusBar';
import { SecretStore } from './secretStore';
import { readSettings } from './settings';
import { TranscriptChannel } from './transcriptChannel';

/** Wires the services together; nothing else happens here. */
export function activate(context: vscode.ExtensionContext): void {
  const logger = createLogger();
  const secrets = new SecretStore(context.secrets);
  const accounts = new AccountStore(secrets, context.globalState);
  const access = new GatewayAccess(accounts, context.globalState, logger, String(context.extension.packageJSON.version));
  const memory = new RunMemory(context.workspaceState);
  const transcript = new TranscriptChannel();
  const statusBar = new RunStatusBar();
  const reporter = new ErrorReporter(logger);
  const runner = new RunbookRunner({ access, secrets, memory, transcript, statusBar, logger });
  context.subscriptions.push(
    logger,
    access,
    new HoopAuthenticationProvider(access, accounts),
    new GatewayStatusBar(access),
    transcript,
    statusBar,
    registerCommands({ runner, access, memory, secrets, transcript, reporter }),
    registerRunbookCodeLens(() => readSettings().codeLensEnabled),
  );
}

export function deactivate(): void {}
