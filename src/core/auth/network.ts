import { promises as fs } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { ConfigurationError } from '../errors';
import { cliLoginForGateway, type CliLogin } from '../hoopCliConfig';
import type { GatewayEntry } from './gatewayList';

/** How gateway requests leave this machine: TLS trust and proxy. Built from settings by the adapter. */
export interface NetworkOptions {
  /** Extra CA certificates (PEM) trusted for the gateway, in addition to the system's. */
  ca?: string[];
  skipTlsVerify?: boolean;
  /** VS Code's `http.proxy`; when empty, HTTPS_PROXY/HTTP_PROXY from the environment. */
  proxyUrl?: string;
  /** VS Code's `http.proxyStrictSSL`: false stops verifying the proxy's own certificate. */
  proxyStrictSSL?: boolean;
  /** VS Code's `http.noProxy`; when empty, NO_PROXY from the environment. */
  noProxy?: string[];
  env: Record<string, string | undefined>;
}

/** What the dispatcher does, as data: unit-tested, and logged (never holds a secret but the proxy URL's password is masked). */
export interface NetworkPlan {
  tls: { ca?: string[]; rejectUnauthorized: boolean };
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string; proxyRejectUnauthorized: boolean };
}

export function planNetwork(options: NetworkOptions): NetworkPlan {
  const { env } = options;
  const tls = { ...(options.ca && options.ca.length > 0 ? { ca: options.ca } : {}), rejectUnauthorized: !options.skipTlsVerify };
  const httpsProxy = options.proxyUrl || env.HTTPS_PROXY || env.https_proxy || undefined;
  const httpProxy = options.proxyUrl || env.HTTP_PROXY || env.http_proxy || undefined;
  if (!httpsProxy && !httpProxy) {
    return { tls };
  }
  const noProxy = options.noProxy && options.noProxy.length > 0 ? options.noProxy.join(',') : env.NO_PROXY || env.no_proxy || undefined;
  return { tls, proxy: { httpProxy, httpsProxy, noProxy, proxyRejectUnauthorized: options.proxyStrictSSL !== false } };
}

/** Undefined when nothing differs from undici's defaults, so the client keeps its global dispatcher. */
export async function createDispatcher(plan: NetworkPlan): Promise<Dispatcher | undefined> {
  if (!plan.proxy && !plan.tls.ca && plan.tls.rejectUnauthorized) {
    return undefined;
  }
  // Loaded on first use, like the client, and narrowly: undici's entry point would bundle fetch, WebSocket and more.
  const connect = { ...plan.tls, ...(plan.tls.ca ? { ca: withSystemCas(plan.tls.ca) } : {}) };
  if (!plan.proxy) {
    const { default: Agent } = await import('undici/lib/dispatcher/agent.js');
    return new Agent({ connect });
  }
  const { default: EnvHttpProxyAgent } = await import('undici/lib/dispatcher/env-http-proxy-agent.js');
  const { httpProxy, httpsProxy, noProxy, proxyRejectUnauthorized } = plan.proxy;
  // EnvHttpProxyAgent applies NO_PROXY; `connect` serves direct hosts, `requestTls` the tunnelled ones.
  return new EnvHttpProxyAgent({
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? '',
    noProxy: noProxy ?? '',
    connect,
    requestTls: connect,
    proxyTls: { rejectUnauthorized: proxyRejectUnauthorized },
  });
}

/** A custom `ca` replaces Node's list, so the public roots are added back (a proxy or redirect may need them). */
function withSystemCas(extra: string[]): string[] {
  return [...rootCertificates, ...extra];
}

/** For the log: the proxy without any user:password. */
export function describeNetwork(plan: NetworkPlan): string {
  const parts: string[] = [];
  if (plan.tls.ca) {
    parts.push(`${plan.tls.ca.length} extra CA certificate(s)`);
  }
  if (!plan.tls.rejectUnauthorized) {
    parts.push('TLS verification SKIPPED');
  }
  if (plan.proxy) {
    parts.push(`proxy ${maskProxy(plan.proxy.httpsProxy ?? plan.proxy.httpProxy ?? '')}${plan.proxy.noProxy ? ` (not for ${plan.proxy.noProxy})` : ''}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'direct, system CAs';
}

function maskProxy(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable proxy URL';
  }
}

/**
 * TLS for one gateway: its `caFile`, else the hoop CLI's `tls_ca` when the CLI's login is for this same
 * gateway; verification is skipped only when the gateway's setting (or that CLI login) says so explicitly.
 */
export async function networkOptionsFor(
  gateway: GatewayEntry,
  cliLogin: CliLogin | undefined,
  proxy: Omit<NetworkOptions, 'ca' | 'skipTlsVerify'>,
): Promise<NetworkOptions> {
  const sameGatewayCli = cliLoginForGateway(gateway.url, cliLogin);
  const ca = gateway.caFile ? [await readCaFile(gateway)] : sameGatewayCli?.tlsCa ? [sameGatewayCli.tlsCa] : undefined;
  return { ...proxy, ...(ca ? { ca } : {}), skipTlsVerify: gateway.skipTlsVerify === true || sameGatewayCli?.skipTlsVerify === true };
}

async function readCaFile(gateway: GatewayEntry): Promise<string> {
  const caFile = gateway.caFile ?? '';
  const text = await fs.readFile(caFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigurationError(`The "caFile" of gateway "${gateway.name}" in "hoop.gateways" cannot be read (${error.code ?? error.message}): ${caFile}. Point it at your organisation's CA certificate (PEM).`);
  });
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigurationError(`The "caFile" of gateway "${gateway.name}" (${caFile}) holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`);
  }
  return text;
}
