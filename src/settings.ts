import * as vscode from 'vscode';
import { parseSecretDeclarations, type SecretDeclaration } from './core/envVars';
import type { ApiRoute } from './core/gatewayClient';
import { parseGatewayList, type GatewayList } from './core/auth/gatewayList';
import type { NetworkOptions } from './core/auth/network';

export interface HoopSettings {
  apiRoute: ApiRoute | 'auto';
  defaultConnection?: string;
  codeLensEnabled: boolean;
  secrets: SecretDeclaration[];
  secretProblems: string[];
  clientArgs: string[];
  metadata: Record<string, string>;
  execTimeoutSeconds: number;
  /** Show the summary step before sending a run. */
  confirmBeforeRun: boolean;
}

export const defaultGatewayUrl = 'https://use.hoop.dev';

/**
 * `hoop.gateways` and `hoop.gatewayUrl` are application-scoped in the manifest, and read here from user
 * settings only, so a cloned repository's .vscode/settings.json can never redirect the token.
 */
function userValue<T>(configuration: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = configuration.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

function userGatewayUrl(configuration: vscode.WorkspaceConfiguration): string {
  return (userValue<string>(configuration, 'gatewayUrl') ?? defaultGatewayUrl).trim().replace(/\/+$/, '');
}

/** The configured gateways (`hoop.gateways`, else the `hoop.gatewayUrl` shorthand). */
export function readGatewayList(): GatewayList {
  const configuration = vscode.workspace.getConfiguration('hoop');
  return parseGatewayList(userValue<unknown>(configuration, 'gateways'), userGatewayUrl(configuration));
}

/** VS Code's proxy settings plus the environment, for gateway requests. */
export function readProxySettings(): Omit<NetworkOptions, 'ca' | 'skipTlsVerify'> {
  const http = vscode.workspace.getConfiguration('http');
  return {
    proxyUrl: http.get<string>('proxy')?.trim() || undefined,
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL') !== false,
    noProxy: http.get<string[]>('noProxy') ?? [],
    env: process.env,
  };
}

export function readSettings(): HoopSettings {
  const configuration = vscode.workspace.getConfiguration('hoop');
  const { declarations, problems } = parseSecretDeclarations(configuration.get('secrets'));
  const metadata = configuration.get<Record<string, unknown>>('metadata') ?? {};
  const apiRoute = configuration.get<string>('apiRoute');
  const defaultConnection = configuration.get<string>('defaultConnection')?.trim();
  return {
    apiRoute: apiRoute === 'v2' || apiRoute === 'legacy' ? apiRoute : 'auto',
    defaultConnection: defaultConnection || undefined,
    codeLensEnabled: configuration.get<boolean>('codeLens.enabled') !== false,
    secrets: declarations,
    secretProblems: problems,
    clientArgs: (configuration.get<unknown[]>('clientArgs') ?? []).map(String),
    metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)])),
    execTimeoutSeconds: Math.max(120, configuration.get<number>('execTimeoutSeconds') ?? 120),
    confirmBeforeRun: configuration.get<boolean>('confirmBeforeRun') !== false,
  };
}
