import * as vscode from 'vscode';

/** The extension's diagnostic log (Output → "Hoop Runbooks Log"); never given a token or secret value. */
export function createLogger(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Hoop Runbooks Log', { log: true });
}
