import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigurationError, NoTokenError } from './core/errors';
import { credentialsFromConfigToml, credentialsFromEnvironment, tokenForGateway } from './core/hoopCliConfig';
import { GatewayClient, type ApiRoute } from './core/gatewayClient';
import type { SecretStore } from './secretStore';
import { gatewayUrlProblem, readSettings } from './settings';

/**
 * Builds gateway clients from the user's settings and a token: the one in SecretStorage, else the
 * hoop CLI's for the same gateway. Remembers each gateway's API route.
 */
export class GatewayAccess {
  private readonly detectedRoutes = new Map<string, ApiRoute>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: vscode.LogOutputChannel,
    private readonly extensionVersion: string,
  ) {}

  async client(): Promise<GatewayClient> {
    const settings = readSettings();
    const problem = gatewayUrlProblem(settings.gatewayUrl);
    if (problem) {
      throw new ConfigurationError(`The "hoop.gatewayUrl" setting is not usable: ${problem}`);
    }
    const token = (await this.secrets.getToken(settings.gatewayUrl)) ?? (await this.cliToken(settings.gatewayUrl));
    if (!token) {
      throw new NoTokenError(settings.gatewayUrl);
    }
    return new GatewayClient({
      gatewayUrl: settings.gatewayUrl,
      token,
      execTimeoutMs: settings.execTimeoutSeconds * 1000,
      userAgent: `hoop-runbooks-vscode/${this.extensionVersion}`,
      onNewToken: (newToken) => {
        this.logger.info(`The gateway at ${settings.gatewayUrl} rotated the access token; the new one is stored.`);
        void this.secrets.setToken(settings.gatewayUrl, newToken);
      },
    });
  }

  /** The hoop CLI's token for this gateway, read fresh each time (the CLI may log in again meanwhile). */
  private async cliToken(gatewayUrl: string): Promise<string | undefined> {
    const configFile = path.join(os.homedir(), '.hoop', 'config.toml');
    const fileText = await fs.readFile(configFile, 'utf8').catch(() => undefined);
    const credentials = tokenForGateway(gatewayUrl, [
      credentialsFromEnvironment(process.env),
      fileText === undefined ? undefined : credentialsFromConfigToml(fileText, configFile),
    ]);
    if (credentials) {
      this.logger.info(`Using the hoop CLI's token for ${gatewayUrl} from ${credentials.source}.`);
    }
    return credentials?.token;
  }

  /** `hoop.apiRoute` wins; `auto` asks the gateway once per session (hoop-gateway.md §0.2). */
  async apiRoute(client: GatewayClient, signal?: AbortSignal): Promise<ApiRoute> {
    const configured = readSettings().apiRoute;
    if (configured !== 'auto') {
      return configured;
    }
    const known = this.detectedRoutes.get(client.gatewayUrl);
    if (known) {
      return known;
    }
    const { route, version, note } = await client.detectApiRoute(signal);
    if (note) {
      this.logger.warn(note);
    }
    this.logger.info(`${client.gatewayUrl} (version ${version}) uses the ${route === 'v2' ? 'V2 runbooks API (POST /api/runbooks/exec)' : 'legacy plugin runbooks API'}.`);
    this.detectedRoutes.set(client.gatewayUrl, route);
    return route;
  }

  /**
   * Asks for a token with masked input and stores it. `token` (a command argument) skips the prompt;
   * `reason` tells the user why they are asked (e.g. the gateway rejected the stored one).
   */
  async promptForToken(options: { token?: string; reason?: string } = {}): Promise<boolean> {
    const { gatewayUrl } = readSettings();
    const value =
      options.token ??
      (await vscode.window.showInputBox({
        title: `Hoop: API key or token for ${gatewayUrl}`,
        prompt: `${options.reason ? `${options.reason} ` : ''}An API key (hpk_…), a legacy key, or the access token from "hoop login". It is kept in VS Code's secret storage only.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() === '' ? 'Paste the key or token.' : /\s/.test(text.trim()) ? 'A token has no spaces.' : undefined),
      }));
    if (value === undefined) {
      return false;
    }
    await this.secrets.setToken(gatewayUrl, value.trim());
    this.logger.info(`Stored a token for ${gatewayUrl}.`);
    return true;
  }

  async clearToken(): Promise<void> {
    const { gatewayUrl } = readSettings();
    await this.secrets.deleteToken(gatewayUrl);
    this.logger.info(`Removed the token for ${gatewayUrl}.`);
  }
}
