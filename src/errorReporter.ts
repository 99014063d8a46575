import * as vscode from 'vscode';
import { GatewayCertificateError, TokenRejectedError } from './core/auth/authErrors';
import { CancelledError, ConfigurationError, GatewayHttpError, GatewayUnreachableError, HoopError, NoTokenError, RejectedTokenError, UntrustedWorkspaceError } from './core/errors';
import { commandIds } from './commandIds';

interface ErrorAction {
  title: string;
  run: () => Thenable<unknown>;
}

const signIn: ErrorAction = { title: 'Sign In', run: () => vscode.commands.executeCommand(commandIds.signIn) };
const manageTrust: ErrorAction = { title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') };
const openSettings: ErrorAction = { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'hoop.') };

function actionsFor(error: unknown, showLog: ErrorAction): ErrorAction[] {
  if (error instanceof NoTokenError || error instanceof TokenRejectedError || error instanceof RejectedTokenError || (error instanceof GatewayHttpError && error.status === 401)) {
    return [signIn];
  }
  if (error instanceof GatewayCertificateError) {
    return [openSettings, showLog];
  }
  if (error instanceof UntrustedWorkspaceError) {
    return [manageTrust];
  }
  if (error instanceof GatewayUnreachableError || error instanceof ConfigurationError) {
    return [openSettings, showLog];
  }
  return [showLog];
}

/**
 * The command boundary: every failure becomes one notification with useful actions,
 * and its details go to the log. Escape in a prompt is silent.
 */
export class ErrorReporter {
  constructor(private readonly logger: vscode.LogOutputChannel) {}

  wrap<A extends unknown[], R>(commandId: string, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
    return async (...args: A) => {
      try {
        return await handler(...args);
      } catch (error) {
        this.report(commandId, error);
        return undefined;
      }
    };
  }

  report(context: string, error: unknown): void {
    if (error instanceof CancelledError) {
      this.logger.info(`${context}: ${error.message}`);
      if (!error.silent) {
        void vscode.window.showWarningMessage(error.message);
      }
      return;
    }
    const showLog: ErrorAction = { title: 'Show Log', run: async () => this.logger.show(true) };
    const message = error instanceof HoopError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    this.logger.error(`${context}: ${message}${error instanceof HoopError && error.detail ? ` (${error.detail})` : ''}`);
    if (!(error instanceof HoopError) && error instanceof Error && error.stack) {
      this.logger.error(error.stack);
    }
    const actions = actionsFor(error, showLog);
    void vscode.window.showErrorMessage(message, ...actions.map((action) => action.title)).then((picked) => actions.find((action) => action.title === picked)?.run());
  }
}
