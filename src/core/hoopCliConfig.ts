import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * What `hoop login` left behind (hoop-gateway.md §4.3): ~/.hoop/config.toml, or the HOOP_* environment
 * (all of HOOP_APIURL, HOOP_GRPCURL and HOOP_TOKEN, as the CLI requires). A token is only ever offered
 * to the gateway it was issued for.
 */
export interface CliLogin {
  apiUrl: string;
  token: string;
  /** PEM text of the CA the CLI trusts for this gateway (decoded from `tls_ca`/HOOP_TLSCA). */
  tlsCa?: string;
  skipTlsVerify: boolean;
  /** Where it came from, for the log: a file path or "the HOOP_* environment". */
  source: string;
}

export const cliEnvironmentSource = 'the HOOP_APIURL/HOOP_GRPCURL/HOOP_TOKEN environment';

export function cliLoginFromEnvironment(env: Record<string, string | undefined>): CliLogin | undefined {
  const { HOOP_APIURL: apiUrl, HOOP_GRPCURL: grpcUrl, HOOP_TOKEN: token } = env;
  if (!apiUrl || !grpcUrl || !token) {
    return undefined;
  }
  return {
    apiUrl: normalizeGatewayUrl(apiUrl),
    token,
    tlsCa: decodeCa(env.HOOP_TLSCA),
    skipTlsVerify: env.HOOP_TLS_SKIP_VERIFY === 'true',
    source: cliEnvironmentSource,
  };
}

/**
 * Parses the CLI's config.toml. Undefined when it has no `api_url` and `token`;
 * a file that is not TOML throws, naming the file, so the user learns why it was ignored.
 */
export async function cliLoginFromConfigToml(text: string, source: string): Promise<CliLogin | undefined> {
  // Loaded here, not at activation: most users have no CLI config.
  const { parse: parseToml } = await import('smol-toml');
  let table: Record<string, unknown>;
  try {
    table = parseToml(text);
  } catch (error) {
    throw new Error(`${source} is not valid TOML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run "hoop login" again to rewrite it.`);
  }
  const apiUrl = stringValue(table.api_url);
  const token = stringValue(table.token);
  if (!apiUrl || !token) {
    return undefined;
  }
  return { apiUrl: normalizeGatewayUrl(apiUrl), token, tlsCa: decodeCa(stringValue(table.tls_ca)), skipTlsVerify: table.skip_tls_verify === true, source };
}

export function cliLoginForGateway(gatewayUrl: string, login: CliLogin | undefined): CliLogin | undefined {
  return login && login.apiUrl === normalizeGatewayUrl(gatewayUrl) ? login : undefined;
}

/** One spelling per gateway: trimmed, without trailing slashes (tokens are keyed by it). */
export function normalizeGatewayUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The CLI stores `tls_ca` base64-encoded; plain PEM is accepted too. */
function decodeCa(value: string | undefined): string | undefined {
  if (!value) {
    return undefined;
  }
  return value.includes('-----BEGIN') ? value : Buffer.from(value, 'base64').toString('utf8');
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export interface CliLogins {
  /** ~/.hoop/config.toml, with when it was last written (a newer `hoop login` wins, see tokenChoice.ts). */
  file?: CliLogin & { modifiedAt: number };
  environment?: CliLogin;
  /** Why the file was ignored, for the log. */
  problem?: string;
}

/** Reads the CLI's login fresh each time: `hoop login` may run again while VS Code is open. */
export async function readCliLogins(homeDir: string, env: Record<string, string | undefined>): Promise<CliLogins> {
  const environment = cliLoginFromEnvironment(env);
  const configFile = path.join(homeDir, '.hoop', 'config.toml');
  const [text, stats] = await Promise.all([fs.readFile(configFile, 'utf8').catch(() => undefined), fs.stat(configFile).catch(() => undefined)]);
  if (text === undefined || !stats) {
    return { environment };
  }
  try {
    const login = await cliLoginFromConfigToml(text, configFile);
    return { environment, ...(login ? { file: { ...login, modifiedAt: stats.mtimeMs } } : {}) };
  } catch (error) {
    return { environment, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The CLI's login for this gateway, in the CLI's own order: the environment over the file. */
export function cliLoginFor(gatewayUrl: string, logins: CliLogins): CliLogin | undefined {
  return cliLoginForGateway(gatewayUrl, logins.environment) ?? cliLoginForGateway(gatewayUrl, logins.file);
}
