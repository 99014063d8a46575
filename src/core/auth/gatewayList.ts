import { normalizeGatewayUrl } from '../hoopCliConfig';

/** One entry of `hoop.gateways` (user settings only). */
export interface GatewayEntry {
  name: string;
  url: string;
  /** A PEM file with the CA that signed the gateway's certificate. */
  caFile?: string;
  /** Skips certificate verification: only by this explicit setting, and always shown as a warning. */
  skipTlsVerify?: boolean;
}

export interface GatewayList {
  gateways: GatewayEntry[];
  /** One line per entry that was left out, saying why. */
  problems: string[];
}

/**
 * `hoop.gateways` wins; without it, `hoop.gatewayUrl` is the one-gateway shorthand, named after its host.
 * Names are unique (tokens and history name the gateway); URLs must be http(s).
 */
export function parseGatewayList(raw: unknown, shorthandUrl: string): GatewayList {
  const entries = Array.isArray(raw) ? raw : [];
  const gateways: GatewayEntry[] = [];
  const problems: string[] = [];
  entries.forEach((entry: unknown, index) => {
    const problem = gatewayEntryProblem(entry, gateways);
    if (problem) {
      problems.push(`hoop.gateways[${index}]: ${problem}`);
      return;
    }
    const { name, url, caFile, skipTlsVerify } = entry as GatewayEntry;
    gateways.push({
      name: name.trim(),
      url: normalizeGatewayUrl(url),
      ...(typeof caFile === 'string' && caFile.trim() ? { caFile: caFile.trim() } : {}),
      ...(skipTlsVerify === true ? { skipTlsVerify: true } : {}),
    });
  });
  if (gateways.length === 0) {
    const url = normalizeGatewayUrl(shorthandUrl);
    gateways.push({ name: gatewayNameFromUrl(url), url });
  }
  return { gateways, problems };
}

function gatewayEntryProblem(entry: unknown, earlier: GatewayEntry[]): string | undefined {
  if (!entry || typeof entry !== 'object') {
    return 'each gateway is an object like {"name": "prod", "url": "https://hoop.example.com"}.';
  }
  const { name, url, caFile, skipTlsVerify } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    return '"name" is missing.';
  }
  if (earlier.some((gateway) => gateway.name === name.trim())) {
    return `the name "${name.trim()}" is used twice: give each gateway its own name.`;
  }
  if (typeof url !== 'string') {
    return `"url" is missing for "${name}".`;
  }
  const urlProblem = gatewayUrlProblem(url);
  if (urlProblem) {
    return urlProblem;
  }
  if (caFile !== undefined && typeof caFile !== 'string') {
    return '"caFile" must be a path to a PEM file.';
  }
  if (skipTlsVerify !== undefined && typeof skipTlsVerify !== 'boolean') {
    return '"skipTlsVerify" must be true or false.';
  }
  return undefined;
}

/** Validates a gateway URL typed by a user; undefined when fine. */
export function gatewayUrlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? undefined : `"${url}": use an http:// or https:// address.`;
  } catch {
    return `"${url}" is not a URL: use the gateway's address, like https://use.hoop.dev.`;
  }
}

export function gatewayNameFromUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The remembered active gateway if it is still configured, else the first one. */
export function pickActiveGateway(gateways: GatewayEntry[], rememberedName: string | undefined): GatewayEntry {
  return gateways.find((gateway) => gateway.name === rememberedName) ?? gateways[0];
}

/** Plain http:// to anything but this machine sends the token unencrypted. */
export function plainHttpWarning(gateway: GatewayEntry): string | undefined {
  const parsed = new URL(gateway.url);
  if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname)) {
    return undefined;
  }
  return `${gateway.name} uses plain http://: your token travels unencrypted to ${parsed.host}. Use its https:// address.`;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
