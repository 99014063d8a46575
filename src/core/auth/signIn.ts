import { CancelledError, GatewayHttpError } from '../errors';
import type { CliLogin } from '../hoopCliConfig';
import { TokenRejectedError } from './authErrors';
import type { GatewayEntry } from './gatewayList';
import { waitForLoginCallback } from './loginCallback';

export type SignInMethod = 'browser' | 'password' | 'apiKey' | 'cliLogin';

/** Who a token belongs to, from `GET /api/userinfo` (§4.6). */
export interface SignedInUser {
  name: string;
  email: string;
  role: string;
}

/** The gateway calls signing in needs (hoop-gateway.md §4.2); the adapter maps them onto GatewayClient. */
export interface SignInGateway {
  /** `GET /api/publicserverinfo`, no token: `local`, `oidc` or `saml`. Throws when the gateway is unreachable. */
  authMethod(signal?: AbortSignal): Promise<string>;
  /** `GET /api/login` (oidc) or `/api/saml/login` (saml): the identity provider's URL. */
  browserLoginUrl(authMethod: 'oidc' | 'saml', signal?: AbortSignal): Promise<string>;
  /** `POST /api/localauth/login`: the token from the `Token` header. */
  passwordLogin(email: string, password: string, signal?: AbortSignal): Promise<string>;
  /** `GET /api/userinfo` with this token. */
  whoAmI(token: string, signal?: AbortSignal): Promise<SignedInUser>;
}

export interface SignInMethodChoice {
  method: SignInMethod;
  label: string;
  detail: string;
}

/** The questions signing in asks; VS Code answers them with quick picks, inputs and a progress notification. */
export interface SignInPrompts {
  pickMethod(gatewayName: string, choices: SignInMethodChoice[]): Promise<SignInMethod | undefined>;
  emailAndPassword(gatewayName: string): Promise<{ email: string; password: string } | undefined>;
  apiKey(gatewayName: string): Promise<string | undefined>;
  openBrowser(url: string): Promise<void>;
  /** Runs the browser wait with a cancellable progress; `wait` rejects with CancelledError on cancel. */
  waitForBrowser(gatewayName: string, wait: (signal: AbortSignal) => Promise<string>): Promise<string>;
}

export interface SignInRequest {
  gateway: GatewayEntry;
  api: SignInGateway;
  prompts: SignInPrompts;
  /** The hoop CLI's login for this gateway, offered when present. */
  cliLogin?: CliLogin;
  /** Skip the choice: `gateway` is the gateway's own method (Sign In Again after a 401). Default: ask. */
  method?: SignInMethod | 'gateway';
  /** Stores the verified token; never called for a rejected one. */
  storeToken(token: string, user: SignedInUser): Promise<void>;
  callbackPort?: number;
  callbackTimeoutMs?: number;
}

export interface SignInResult {
  user: SignedInUser;
  method: SignInMethod;
}

/**
 * Every way in ends the same: the gateway is reached before any prompt, the token is checked with
 * `GET /api/userinfo`, and only an accepted token is stored.
 */
export async function signIn(request: SignInRequest): Promise<SignInResult> {
  const { gateway, api, prompts } = request;
  const authMethod = await api.authMethod();
  const choices = signInChoices(authMethod, request.cliLogin);
  const method = request.method === 'gateway' ? choices[0].method : request.method ?? (await prompts.pickMethod(gateway.name, choices));
  if (!method) {
    throw new CancelledError();
  }
  const token = await obtainToken(method, authMethod, request);
  const user = await verifyToken(api, gateway.name, token);
  await request.storeToken(token, user);
  return { user, method };
}

/** The gateway's own method first, then an API key, then the CLI's login when one exists for this gateway. */
export function signInChoices(authMethod: string, cliLogin: CliLogin | undefined): SignInMethodChoice[] {
  const browser: SignInMethodChoice = {
    method: 'browser',
    label: `Sign in with your browser (${authMethod === 'saml' ? 'SAML' : 'single sign-on'})`,
    detail: "Opens your organisation's sign-in page, like `hoop login`.",
  };
  const password: SignInMethodChoice = { method: 'password', label: 'Sign in with email and password', detail: "The gateway's own user accounts." };
  const apiKey: SignInMethodChoice = { method: 'apiKey', label: 'Paste an API key', detail: 'An hpk_… key from Settings → API Keys, or a legacy key.' };
  const gatewayOwn = authMethod === 'local' ? password : browser;
  const choices = [gatewayOwn, apiKey];
  if (cliLogin) {
    choices.push({ method: 'cliLogin', label: "Use the hoop CLI's login", detail: `The token "hoop login" saved in ${cliLogin.source}.` });
  }
  return choices;
}

async function obtainToken(method: SignInMethod, authMethod: string, request: SignInRequest): Promise<string> {
  const { gateway, api, prompts } = request;
  switch (method) {
    case 'browser': {
      const idp = authMethod === 'saml' ? 'saml' : 'oidc';
      return prompts.waitForBrowser(gateway.name, (signal) =>
        waitForLoginCallback({
          port: request.callbackPort,
          timeoutMs: request.callbackTimeoutMs,
          signal,
          onListening: async () => prompts.openBrowser(await api.browserLoginUrl(idp, signal)),
        }),
      );
    }
    case 'password': {
      const credentials = await prompts.emailAndPassword(gateway.name);
      if (!credentials) {
        throw new CancelledError();
      }
      return api.passwordLogin(credentials.email, credentials.password);
    }
    case 'apiKey': {
      const key = await prompts.apiKey(gateway.name);
      if (key === undefined) {
        throw new CancelledError();
      }
      return key.trim();
    }
    case 'cliLogin': {
      if (!request.cliLogin) {
        throw new CancelledError();
      }
      return request.cliLogin.token;
    }
  }
}

async function verifyToken(api: SignInGateway, gatewayName: string, token: string): Promise<SignedInUser> {
  try {
    return await api.whoAmI(token);
  } catch (error) {
    if (error instanceof GatewayHttpError && (error.status === 401 || error.status === 403)) {
      throw new TokenRejectedError(gatewayName, error.status, error.gatewayMessage);
    }
    throw error;
  }
}

export function signedInMessage(gatewayName: string, user: SignedInUser): string {
  return `Signed in to ${gatewayName} as ${user.name} (${user.email}, ${user.role})`;
}
