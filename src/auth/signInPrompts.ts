import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { loginCallbackHost, loginCallbackPath, loginCallbackPort } from '../core/auth/loginCallback';
import type { SignInMethod, SignInPrompts } from '../core/auth/signIn';

/** VS Code's answers to signing in's questions: quick picks, masked inputs, the browser and a progress notification. */
export function vscodeSignInPrompts(presetApiKey?: string): SignInPrompts {
  return {
    async pickMethod(gatewayName, choices) {
      const picked = await vscode.window.showQuickPick(
        choices.map((choice) => ({ label: choice.label, detail: choice.detail, method: choice.method })),
        { title: `Hoop: sign in to ${gatewayName}`, ignoreFocusOut: true },
      );
      return picked?.method as SignInMethod | undefined;
    },

    async emailAndPassword(gatewayName) {
      const email = await vscode.window.showInputBox({
        title: `Hoop: email for ${gatewayName}`,
        ignoreFocusOut: true,
        validateInput: (text) => (/^\S+@\S+$/.test(text.trim()) ? undefined : 'Enter the email address of your hoop user.'),
      });
      if (email === undefined) {
        return undefined;
      }
      const password = await vscode.window.showInputBox({ title: `Hoop: password for ${email.trim()}`, password: true, ignoreFocusOut: true });
      return password === undefined ? undefined : { email: email.trim(), password };
    },

    async apiKey(gatewayName) {
      if (presetApiKey !== undefined) {
        return presetApiKey;
      }
      return vscode.window.showInputBox({
        title: `Hoop: API key or token for ${gatewayName}`,
        prompt: 'An API key (hpk_…), a legacy key, or an access token. It is checked with the gateway, then kept in VS Code\'s secret storage only.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() === '' ? 'Paste the key or token.' : /\s/.test(text.trim()) ? 'A token has no spaces.' : undefined),
      });
    },

    async openBrowser(url) {
      const caveat = await remoteCallbackCaveat();
      if (caveat) {
        void vscode.window.showWarningMessage(`Hoop: ${caveat}`);
      }
      if (!(await vscode.env.openExternal(vscode.Uri.parse(url, true)))) {
        throw new CancelledError('The browser was not opened, so the sign-in was cancelled.');
      }
    },

    waitForBrowser(gatewayName, wait) {
      return Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Hoop: finish signing in to ${gatewayName} in your browser…`, cancellable: true },
          (_progress, cancellation) => {
            const controller = new AbortController();
            cancellation.onCancellationRequested(() => controller.abort());
            return wait(controller.signal);
          },
        ),
      );
    },
  };
}

/**
 * The extension runs where the workspace is (extensionKind "workspace": it reads the runbooks' git
 * repository), but the gateway always sends the browser to 127.0.0.1:3587 on the machine with the browser.
 * In a remote window VS Code forwards the port; when it cannot keep that address (the port is taken
 * locally, or a web-based remote), only a browser on the remote machine itself can finish: say so.
 */
async function remoteCallbackCaveat(): Promise<string | undefined> {
  if (!vscode.env.remoteName) {
    return undefined;
  }
  const callback = vscode.Uri.parse(`http://${loginCallbackHost}:${loginCallbackPort}${loginCallbackPath}`);
  const external = await vscode.env.asExternalUri(callback);
  const sameAddress = external.scheme === 'http' && [`${loginCallbackHost}:${loginCallbackPort}`, `localhost:${loginCallbackPort}`].includes(external.authority);
  return sameAddress
    ? undefined
    : `This window is remote (${vscode.env.remoteName}) and port ${loginCallbackPort} could not be forwarded as-is, so only a browser on that machine can finish. If it does not, cancel and use an API key or email and password.`;
}
