import * as vscode from 'vscode';
import { parseSecretDeclarations, type SecretDeclaration } from './core/envVars';
import type { ApiRoute } from './core/gatewayClient';

export interface HoopSettings {
  gatewayUrl: string;
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
 * `hoop.gatewayUrl` is application-scoped in the manifest, and read here from user settings only,
 * so a cloned repository's .vscode/settings.json can never redirect the token.
 */
function userGatewayUrl(configuration: vscode.WorkspaceConfiguration): string {
  const inspected = configuration.inspect<string>('gatewayUrl');
  const url = inspected?.globalValue ?? inspected?.defaultValue ?? defaultGatewayUrl;
  return url.trim().replace(/\/+$/, '');
}

export function readSettings(): HoopSettings {
  const configuration = vscode.workspace.getConfiguration('hoop');
  const { declarations, problems } = parseSecretDeclarations(configuration.get('secrets'));
  const metadata = configuration.get<Record<string, unknown>>('metadata') ?? {};
  const apiRoute = configuration.get<string>('apiRoute');
  const defaultConnection = configuration.get<string>('defaultConnection')?.trim();
  return {
    gatewayUrl: userGatewayUrl(configuration),
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

/** Validates a gateway URL typed by a user; undefined when fine. */
export function gatewayUrlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? undefined : 'Use an http:// or https:// address.';
  } catch {
    return `"${url}" is not a URL: use the gateway's address, like https://use.hoop.dev.`;
  }
}
