import type * as vscode from 'vscode';
import type { Dispatcher } from 'undici';
import { AccountStore } from '../../src/auth/accountStore';
import type { GatewayEntry } from '../../src/core/auth/gatewayList';
import { signIn, type SignInMethod, type SignInPrompts, type SignInResult } from '../../src/core/auth/signIn';
import { signInGatewayFor } from '../../src/core/auth/signInGateway';
import { GatewayClient } from '../../src/core/gatewayClient';
import type { CliLogin } from '../../src/core/hoopCliConfig';
import { SecretStore } from '../../src/secretStore';

/** VS Code's SecretStorage and Memento, in memory, so the real AccountStore/SecretStore code runs outside VS Code. */
export class MemoryStorage {
  readonly secrets = new Map<string, string>();
  readonly state = new Map<string, unknown>();

  accountStore(): AccountStore {
    const secretStorage = {
      get: async (key: string) => this.secrets.get(key),
      store: async (key: string, value: string) => void this.secrets.set(key, value),
      delete: async (key: string) => void this.secrets.delete(key),
    };
    const memento = {
      get: <T>(key: string) => this.state.get(key) as T | undefined,
      update: async (key: string, value: unknown) => void (value === undefined ? this.state.delete(key) : this.state.set(key, value)),
      keys: () => [...this.state.keys()],
    };
    return new AccountStore(new SecretStore(secretStorage as unknown as vscode.SecretStorage), memento as unknown as vscode.Memento);
  }

  /** Everything stored, as text: a test searches it for a token. */
  dump(): string {
    return JSON.stringify({ secrets: [...this.secrets], state: [...this.state] });
  }
}

export interface ScriptedAnswers {
  method?: SignInMethod;
  credentials?: { email: string; password: string };
  apiKey?: string;
  /** Called with the login URL instead of a browser. Default: follow every redirect, like a browser does. */
  browser?: (url: string) => Promise<string>;
  /** Cancels the browser wait once the login URL is known. */
  cancelBrowser?: boolean;
}

/** Answers signing in's questions from a script and records what was asked, in order. */
export class ScriptedPrompts implements SignInPrompts {
  readonly asked: string[] = [];
  /** What the "browser" showed at the end of the redirects. */
  browserPage?: Promise<string>;
  choices: SignInMethod[] = [];

  constructor(private readonly answers: ScriptedAnswers, private readonly dispatcher?: Dispatcher) {}

  async pickMethod(_gatewayName: string, choices: Array<{ method: SignInMethod }>): Promise<SignInMethod | undefined> {
    this.asked.push('pickMethod');
    this.choices = choices.map((choice) => choice.method);
    return this.answers.method;
  }

  async emailAndPassword(): Promise<{ email: string; password: string } | undefined> {
    this.asked.push('emailAndPassword');
    return this.answers.credentials;
  }

  async apiKey(): Promise<string | undefined> {
    this.asked.push('apiKey');
    return this.answers.apiKey;
  }

  async openBrowser(url: string): Promise<void> {
    this.asked.push('openBrowser');
    // Like vscode.env.openExternal: returns once the browser has the URL, not when the login ends.
    this.browserPage = (this.answers.browser ?? ((loginUrl) => followRedirects(loginUrl, this.dispatcher)))(url);
    this.browserPage.catch(() => undefined);
  }

  async waitForBrowser(_gatewayName: string, wait: (signal: AbortSignal) => Promise<string>): Promise<string> {
    this.asked.push('waitForBrowser');
    const controller = new AbortController();
    const waiting = wait(controller.signal);
    if (this.answers.cancelBrowser) {
      setTimeout(() => controller.abort(), 200);
    }
    return waiting;
  }
}

/** A script standing in for the browser: GET and follow redirects (the IdP, the gateway, then our callback). */
export async function followRedirects(url: string, dispatcher?: Dispatcher): Promise<string> {
  const { request } = await import('undici');
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await request(current, { dispatcher });
    const location = response.headers.location;
    const body = await response.body.text();
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') {
      return body;
    }
    current = new URL(location, current).toString();
  }
  throw new Error(`too many redirects from ${url}`);
}

export interface HarnessSignIn {
  gateway: GatewayEntry;
  prompts: ScriptedPrompts;
  accounts: AccountStore;
  dispatcher?: Dispatcher;
  cliLogin?: CliLogin;
  method?: SignInMethod | 'gateway';
}

/** The same wiring as GatewayAccess.signIn: the core flow, the real client, the real account store. */
export function signInWith(options: HarnessSignIn): Promise<SignInResult> {
  const clientFor = (token?: string) => new GatewayClient({ gatewayUrl: options.gateway.url, token, dispatcher: options.dispatcher });
  return signIn({
    gateway: options.gateway,
    api: signInGatewayFor(clientFor),
    prompts: options.prompts,
    cliLogin: options.cliLogin,
    method: options.method,
    storeToken: (token, user) => options.accounts.signedIn(options.gateway.url, token, user),
    callbackTimeoutMs: 10_000,
  });
}
