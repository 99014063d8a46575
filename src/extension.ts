import * as vscode from 'vscode';
import { AccountStore } from './auth/accountStore';
import { HoopAuthenticationProvider } from './auth/authenticationProvider';
import { GatewayStatusBar } from './auth/gatewayStatusBar';
import { commandIds } from './commandIds';
import { RunRegistry } from './core/run/runRegistry';
import { ErrorReporter } from './errorReporter';
import { GatewayAccess } from './gatewayAccess';
import { createLogger } from './logger';
import { RunReporter } from './run/report';
import { registerRunbookCodeLens } from './runbookCodeLens';
import { RunMemory } from './runMemory';
import { SecretStore } from './secretStore';
import { readSettings } from './settings';
import { TranscriptChannel } from './transcriptChannel';
import { globalStateHistory } from './views/historyStore';
import { registerRunDocuments } from './views/runDocuments';
import { RunStatusBar } from './views/runStatusBar';
import { RunsView } from './views/runsView';

/**
 * Wires the services together; nothing else happens here. What a run needs (the commands, the run flow,
 * the template engine, git, the HTTP client) loads on the first command, or at once when a run is to be resumed:
 * loading it is most of what activation would cost (see `npm run bench`).
 */
export function activate(context: vscode.ExtensionContext): void {
  const logger = createLogger();
  const secrets = new SecretStore(context.secrets);
  const accounts = new AccountStore(secrets, context.globalState);
  const access = new GatewayAccess(accounts, context.globalState, logger, String(context.extension.packageJSON.version));
  const memory = new RunMemory(context.globalState);
  const registry = new RunRegistry(globalStateHistory(context.globalState));
  const transcript = new TranscriptChannel();
  const reporter = new ErrorReporter(logger);
  context.subscriptions.push(
    logger,
    access,
    new HoopAuthenticationProvider(access, accounts),
    new GatewayStatusBar(access),
    transcript,
    new RunReporter(registry, transcript),
    new RunStatusBar(registry),
    new RunsView(registry),
    registerRunDocuments(registry),
    registerRunbookCodeLens(() => readSettings().codeLensEnabled),
  );

  const loadRunCommands = async (): Promise<{ resume(): void }> => {
    const [{ registerCommands }, { RunFlow }, { RunLifecycle }] = await Promise.all([import('./commands'), import('./run/runFlow'), import('./run/runLifecycle')]);
    const lifecycle = new RunLifecycle(registry, access, logger);
    const flow = new RunFlow({ access, secrets, memory, registry, lifecycle, logger });
    // Same tick: no command call can fall between the placeholders going and the real handlers coming.
    placeholders.dispose();
    context.subscriptions.push(lifecycle, registerCommands({ flow, lifecycle, registry, access, memory, secrets, transcript, reporter }));
    return lifecycle;
  };
  let loaded: Promise<{ resume(): void }> | undefined;
  const load = () => (loaded ??= loadRunCommands());
  // Each placeholder loads the real handlers once, then hands its call (arguments and result) on to them.
  const placeholders = vscode.Disposable.from(
    ...Object.values(commandIds).map((id) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await load();
        return vscode.commands.executeCommand(id, ...args);
      }),
    ),
  );
  context.subscriptions.push(placeholders);

  if (registry.unfinishedFromHistory().length > 0) {
    load().then(
      (lifecycle) => lifecycle.resume(),
      (error: unknown) => logger.error(`Could not resume the runs going on: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

export function deactivate(): void {}
