import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CancelledError } from '../errors';
import { SignInError } from './authErrors';

/** Where hoop's gateway sends the browser after the identity provider (hoop-gateway.md §4.2); fixed, like the CLI. */
export const loginCallbackHost = '127.0.0.1';
export const loginCallbackPort = 3587;
export const loginCallbackPath = '/callback';
/** The CLI gives up after 3 minutes too. */
export const loginTimeoutMs = 180_000;

export type CallbackResult = { token: string } | { error: string };

/** Reads `?token=` or `?error=` from a request to the callback path; undefined for anything else (favicon, probes). */
export function parseLoginCallback(requestUrl: string): CallbackResult | undefined {
  const url = new URL(requestUrl, `http://${loginCallbackHost}`);
  if (url.pathname !== loginCallbackPath) {
    return undefined;
  }
  const token = url.searchParams.get('token');
  if (token) {
    return { token };
  }
  return { error: url.searchParams.get('error') || 'the gateway sent no token' };
}

export interface LoginCallbackOptions {
  port?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called once the port is ours: only then may the browser be opened. */
  onListening: () => void | Promise<void>;
}

/**
 * Listens on 127.0.0.1:3587 for the one browser redirect that ends a hoop browser login, answers it with
 * a page saying the tab can be closed, stops listening and resolves with the token.
 */
export function waitForLoginCallback(options: LoginCallbackOptions): Promise<string> {
  const port = options.port ?? loginCallbackPort;
  return new Promise<string>((resolve, reject) => {
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const result = parseLoginCallback(request.url ?? '/');
      if (!result) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      const failed = 'error' in result;
      response
        .writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
        .end(resultPage(failed ? `Sign-in failed: ${result.error}. Go back to VS Code to try again.` : 'Signed in to hoop. You can close this tab and go back to VS Code.'));
      finish(() => (failed ? reject(new SignInError(`The browser sign-in failed: the gateway answered "${result.error}". Try again, or ask a hoop admin to check the identity provider.`)) : resolve(result.token)));
    });
    let finished = false;
    const finish = (settle: () => void) => {
      if (finished) {
        return;
      }
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeAllConnections?.();
      settle();
    };
    const timer = setTimeout(
      () => finish(() => reject(new SignInError(`Timed out (${Math.round((options.timeoutMs ?? loginTimeoutMs) / 60_000)} min) waiting for the browser sign-in. Run "Hoop: Sign In" again.`))),
      options.timeoutMs ?? loginTimeoutMs,
    );
    const onAbort = () => finish(() => reject(new CancelledError('Browser sign-in cancelled.')));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort);
    server.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${loginCallbackHost} is in use, so the browser sign-in cannot receive its token. A "hoop login" is probably waiting there: finish or stop it (Ctrl+C), then run "Hoop: Sign In" again.`
          : `Could not listen on ${loginCallbackHost}:${port} for the browser sign-in (${error.code ?? error.message}).`;
      finish(() => reject(new SignInError(message)));
    });
    server.listen(port, loginCallbackHost, () => {
      Promise.resolve(options.onListening()).catch((error: unknown) => finish(() => reject(error)));
    });
  });
}

function resultPage(text: string): string {
  const escaped = text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Hoop sign-in</title></head><body style="font-family:sans-serif;margin:3em"><p>${escaped}</p></body></html>`;
}
