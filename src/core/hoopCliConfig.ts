/**
 * The token the hoop CLI already has, so people signed in with `hoop login` need nothing more
 * (hoop-gateway.md §4.3): the environment (all of HOOP_APIURL, HOOP_GRPCURL and HOOP_TOKEN, as the
 * CLI requires) wins over ~/.hoop/config.toml. A token is only offered for the gateway it belongs to.
 */
export interface CliCredentials {
  apiUrl: string;
  token: string;
  source: string;
}

export function credentialsFromEnvironment(env: Record<string, string | undefined>): CliCredentials | undefined {
  const { HOOP_APIURL: apiUrl, HOOP_GRPCURL: grpcUrl, HOOP_TOKEN: token } = env;
  return apiUrl && grpcUrl && token ? { apiUrl: trimUrl(apiUrl), token, source: 'the HOOP_APIURL/HOOP_TOKEN environment' } : undefined;
}

/** Reads the two keys we need from the CLI's flat TOML file (`key = "value"` lines). */
export function credentialsFromConfigToml(text: string, source: string): CliCredentials | undefined {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:#.*)?$/.exec(line);
    if (match) {
      values.set(match[1], match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]);
    }
  }
  const apiUrl = values.get('api_url');
  const token = values.get('token');
  return apiUrl && token ? { apiUrl: trimUrl(apiUrl), token, source } : undefined;
}

export function tokenForGateway(gatewayUrl: string, candidates: Array<CliCredentials | undefined>): CliCredentials | undefined {
  return candidates.find((candidate) => candidate !== undefined && candidate.apiUrl === trimUrl(gatewayUrl));
}

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
