import * as os from 'node:os';
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import { explainCertificateError } from './core/auth/authErrors';
import { pickActiveGateway, plainHttpWarning, type GatewayEntry } from './core/auth/gatewayList';
import { createDispatcher, describeNetwork, networkOptionsFor, planNetwork, type NetworkPlan } from './core/auth/network';
import { signIn, signedInMessage, type SignInMethod, type SignInResult } from './core/auth/signIn';
import { signInGatewayFor } from './core/auth/signInGateway';
import { chooseToken, tokenCandidatesFor, type TokenChoice, type TokenSourceKind } from './core/auth/tokenChoice';
import { CancelledError, ConfigurationError, NoTokenError } from './core/errors';
import type { ApiRoute, GatewayClient } from './core/gatewayClient';
import { cliLoginFor, readCliLogins, type CliLogins } from './core/hoopCliConfig';
import type { AccountRecord, AccountStore } from './auth/accountStore';
import { vscodeSignInPrompts } from './auth/signInPrompts';
import { readGatewayList, readProxySettings, readSettings } from './settings';

const activeGatewayKey = 'hoop.activeGateway';

export interface SignInOptions {
  /** No choice: `gateway` (Sign In Again after a 401) is the gateway's own method. Default: ask. */
  method?: SignInMethod | 'gateway';
  /** An API key given as a command argument (tests, scripts): no prompt, still checked before it is stored. */
  apiKey?: string;
}

/**
 * The active gateway, its token and its network: builds gateway clients, signs in and out, and
 * remembers each gateway's API route. `client()` and `renewAfterUnauthorized()` are what the run flow calls.
 */
export class GatewayAccess implements vscode.Disposable {
  private readonly detectedRoutes = new Map<string, ApiRoute>();
  private readonly dispatchers = new Map<string, Promise<Dispatcher | undefined>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the active gateway, its account or the gateway settings change. */
  readonly onDidChange = this.changed.event;
  private readonly configurationListener: vscode.Disposable;

  constructor(
    private readonly accounts: AccountStore,
    private readonly globalState: vscode.Memento,
    private readonly logger: vscode.LogOutputChannel,
    private readonly extensionVersion: string,
  ) {
    this.configurationListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('hoop.gateways') || event.affectsConfiguration('hoop.gatewayUrl') || event.affectsConfiguration('http')) {
        this.changed.fire();
      }
    });
  }

  dispose(): void {
    this.configurationListener.dispose();
    this.changed.dispose();
  }

  gateways(): GatewayEntry[] {
    const { gateways, problems } = readGatewayList();
    problems.forEach((problem) => this.logger.warn(`Ignored ${problem}`));
    return gateways;
  }

  activeGateway(): GatewayEntry {
    return pickActiveGateway(this.gateways(), this.globalState.get<string>(activeGatewayKey));
  }

  /** For transcripts and history: the name of the gateway runs go to. */
  get activeGatewayName(): string {
    return this.activeGateway().name;
  }

  async switchGateway(name: string): Promise<void> {
    if (!this.gateways().some((gateway) => gateway.name === name)) {
      throw new ConfigurationError(`There is no gateway named "${name}" in "hoop.gateways".`);
    }
    await this.globalState.update(activeGatewayKey, name);
    this.logger.info(`Active gateway: ${name}.`);
    this.changed.fire();
  }

  account(gateway: GatewayEntry = this.activeGateway()): AccountRecord {
    return this.accounts.record(gateway.url);
  }

  /** Where this gateway's token would come from now (for the status bar); never the token. */
  async tokenSource(gateway: GatewayEntry = this.activeGateway()): Promise<TokenSourceKind | undefined> {
    return (await this.tokenChoice(gateway, await readCliLogins(os.homedir(), process.env)))?.kind;
  }

  /** Shown in the status bar item and logged: skipped TLS verification and plain http. */
  async networkWarnings(gateway: GatewayEntry = this.activeGateway()): Promise<string[]> {
    const plan = await this.networkPlan(gateway, await readCliLogins(os.homedir(), process.env));
    return [
      ...(plan.tls.rejectUnauthorized ? [] : [`TLS certificate verification is skipped for ${gateway.name}: anyone on the network path can read your token.`]),
      ...[plainHttpWarning(gateway)].filter((warning): warning is string => warning !== undefined),
    ];
  }

  async client(): Promise<GatewayClient> {
    const gateway = this.activeGateway();
    const cli = await readCliLogins(os.homedir(), process.env);
    const choice = await this.tokenChoice(gateway, cli);
    if (!choice) {
      throw new NoTokenError(gateway.url);
    }
    this.logger.info(`Requests to ${gateway.name} use ${choice.description}.`);
    return (await this.clientFactory(gateway, cli))(choice.token, choice);
  }

  /**
   * After a 401 (expired or revoked token; nothing ran): offers "Sign In Again" with the gateway's own method.
   * True once signed in, so the caller goes on, once; false when the user declined.
   */
  async renewAfterUnauthorized(reason: string): Promise<boolean> {
    const gateway = this.activeGateway();
    const again = 'Sign In Again';
    const picked = await vscode.window.showWarningMessage(`${reason} Sign in to ${gateway.name} again to go on.`, again);
    if (picked !== again) {
      return false;
    }
    return (await this.signIn({ method: 'gateway' })) !== undefined;
  }

  /** Undefined when the user cancelled. Throws when the gateway is unreachable (before any prompt) or rejects the token. */
  async signIn(options: SignInOptions = {}): Promise<SignInResult | undefined> {
    const gateway = this.activeGateway();
    const cli = await readCliLogins(os.homedir(), process.env);
    const cliLogin = cliLoginFor(gateway.url, cli);
    try {
      const result = await signIn({
        gateway,
        api: signInGatewayFor(await this.clientFactory(gateway, cli)),
        prompts: vscodeSignInPrompts(options.apiKey),
        cliLogin,
        method: options.method,
        storeToken: (token, user) => this.accounts.signedIn(gateway.url, token, user),
      });
      this.logger.info(`Signed in to ${gateway.name} (${result.method}); the token is stored in VS Code's secret storage.`);
      this.changed.fire();
      void vscode.window.showInformationMessage(signedInMessage(gateway.name, result.user));
      return result;
    } catch (error) {
      if (error instanceof CancelledError && error.silent) {
        return undefined;
      }
      throw explainCertificateError(error, gateway.name);
    }
  }

  async signOut(gateway: GatewayEntry = this.activeGateway()): Promise<void> {
    await this.accounts.signedOut(gateway.url);
    this.detectedRoutes.delete(gateway.url);
    this.logger.info(`Signed out of ${gateway.name}: its token was removed from VS Code's secret storage.`);
    this.changed.fire();
  }

  /** `hoop.apiRoute` wins; `auto` asks the gateway's version once per session (hoop-gateway.md §0.2, §4.6). */
  async apiRoute(client: GatewayClient, signal?: AbortSignal): Promise<ApiRoute> {
    const configured = readSettings().apiRoute;
    if (configured !== 'auto') {
      return configured;
    }
    const known = this.detectedRoutes.get(client.gatewayUrl);
    if (known) {
      return known;
    }
    const detection = await client.detectApiRoute(signal);
    const api = detection.route === 'v2' ? 'V2 runbooks API (POST /api/runbooks/exec)' : 'legacy plugin runbooks API';
    this.logger.info(`${client.gatewayUrl} (version ${detection.version}) uses the ${api}.${detection.note ? ` ${detection.note}` : ''}`);
    this.detectedRoutes.set(client.gatewayUrl, detection.route);
    return detection.route;
  }

  private async tokenChoice(gateway: GatewayEntry, cli: CliLogins): Promise<TokenChoice | undefined> {
    if (cli.problem) {
      this.logger.warn(cli.problem);
    }
    const record = this.accounts.record(gateway.url);
    return chooseToken(tokenCandidatesFor(gateway.url, { token: await this.accounts.token(gateway.url), ...record }, cli));
  }

  /** Clients for this gateway, all sharing its dispatcher; `choice` says where the token came from. */
  private async clientFactory(gateway: GatewayEntry, cli: CliLogins): Promise<(token?: string, choice?: TokenChoice) => GatewayClient> {
    // The client (and its HTTP stack) loads on the first request, not at activation.
    const [dispatcher, { GatewayClient }] = await Promise.all([this.dispatcher(gateway, cli), import('./core/gatewayClient')]);
    const { execTimeoutSeconds } = readSettings();
    return (token, choice) =>
      new GatewayClient({
        gatewayUrl: gateway.url,
        token,
        execTimeoutMs: execTimeoutSeconds * 1000,
        userAgent: `hoop-runbooks-vscode/${this.extensionVersion}`,
        dispatcher,
        onNewToken: (newToken) => {
          // A rotated CLI or environment token is the CLI's to rewrite; a stored one is replaced here.
          if (choice?.kind === 'stored') {
            this.logger.info(`${gateway.name} rotated the access token (X-New-Access-Token); the new one is stored.`);
            void this.accounts.rotated(gateway.url, newToken);
          }
        },
      });
  }

  private async networkPlan(gateway: GatewayEntry, cli: CliLogins): Promise<NetworkPlan> {
    return planNetwork(await networkOptionsFor(gateway, cliLoginFor(gateway.url, cli), readProxySettings()));
  }

  /** One dispatcher per distinct network plan, so connections are pooled and settings changes take effect. */
  private async dispatcher(gateway: GatewayEntry, cli: CliLogins): Promise<Dispatcher | undefined> {
    const plan = await this.networkPlan(gateway, cli);
    const key = JSON.stringify(plan);
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      this.logger.info(`Network for ${gateway.name}: ${describeNetwork(plan)}.`);
      dispatcher = createDispatcher(plan);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }
}
