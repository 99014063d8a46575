import { createHash } from 'crypto';

/**
 * Configuration of the local gateway. Everything is optional; defaults are listed per field.
 * Field semantics follow /work/shared/hoop-gateway.md (section numbers in brackets).
 */
export interface LocalGatewayConfig {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; only loopback is accepted. Default 127.0.0.1. */
  host?: string;
  /** 'v2' (default): a current gateway. 'legacy': one without `/api/runbooks*`, with the runbooks plugin (§0.1–0.2). */
  api?: 'v2' | 'legacy';
  /** `GET /api/serverinfo` version. Default '1.148.0' (v2) or '1.42.0' (legacy). */
  version?: string;
  /** Bearer token → user (§4.1). Default: none, so every request is 401. */
  users?: Record<string, GatewayUser>;
  /**
   * `auth_method` of `GET /api/publicserverinfo` and `/api/serverinfo` (§4.2). Default 'local', hoop's own
   * default without an identity provider. 'oidc' enables `/api/login` + `/api/callback`, 'saml' enables
   * `/api/saml/login` + `/api/saml/callback`; both through the stand-in identity provider under `/idp/`.
   */
  authMethod?: 'local' | 'oidc' | 'saml';
  /** The stand-in identity provider's sign-in (browser login). */
  identityProvider?: IdentityProviderConfig;
  /** Lifetime of tokens issued by sign-in or rotation. Default 12 h (hoop's local-auth tokens). */
  tokenLifetimeMs?: number;
  /**
   * Serve HTTPS with a certificate for 127.0.0.1/localhost/::1 signed by a test CA generated at start
   * (`LocalGateway.ca`). Default false: plain HTTP.
   */
  tls?: boolean;
  /** The legacy static `Api-Key` header value; it acts as admin. Default: unset (the header is refused). */
  apiKey?: string;
  /** Runbook repositories (§3). None → `404 runbook configuration not found` (v2) / `plugin not found` (legacy). */
  repositories?: RepositoryConfig[];
  /** Connections, i.e. agents that really execute runbooks with a local interpreter. */
  connections?: ConnectionConfig[];
  /** Runbook rules (§2.7). None → everyone may run everything. */
  rules?: RunbookRuleConfig[];
  /** How long exec waits before answering 202 running. Default 50000 (the real 50 s). */
  execWaitMs?: number;
  /** How long a repository tip is cached. Default 0: re-read on every request (the real gateway caches 5 min). */
  cacheMs?: number;
  /** Base of the `{API_URL}/sessions/<sid>` review links and `api_url`. Default: the server's own URL. */
  publicUrl?: string;
  /**
   * Fault injection: `"GET /api/connections"` → the `{"message"}` error that route answers instead,
   * as hoop does on a database error. Default: none.
   */
  faults?: Record<string, { status: number; message: string }>;
}

export interface GatewayUser {
  email: string;
  name?: string;
  /** admin and auditor are hoop's reserved groups; standard is everyone else. */
  role: 'admin' | 'standard' | 'auditor';
  /** Extra groups, used by rules, reviews and connection access control. */
  groups?: string[];
  /** Inactive users get 401 like unknown ones. Default 'active'. */
  status?: 'active' | 'inactive';
  /** Enables `POST /api/localauth/login` for this user's email. Default: none (401 invalid credentials). */
  password?: string;
  /**
   * This configured token is expired, and the gateway holds a refresh token: requests are served and
   * answered with `X-New-Access-Token` (§4.1). Default false.
   */
  tokenExpired?: boolean;
}

export interface IdentityProviderConfig {
  /** The `users` key (configured token) of the user who signs in. Default: the first configured user. */
  user?: string;
  /**
   * 'success' (default), or 'error': the identity provider's answer fails verification, so the gateway's
   * callback redirects with `?error=unexpected_error` (OIDC) / `?error=<reason>` (SAML).
   */
  outcome?: 'success' | 'error';
}

export interface RepositoryConfig {
  /** The URL the gateway is configured with; its normalised form is the repository key (§3.3). */
  gitUrl: string;
  /** A git directory (bare, or a work tree containing `.git`) whose branch tip is served. */
  path: string;
  /** Branch to serve. Default: `master`, else `main` (§3.2). */
  branch?: string;
}

export interface ConnectionConfig {
  name: string;
  /** Default: uuid v5 of the name. */
  id?: string;
  /** Default 'custom'. */
  type?: string;
  /** Default ''. */
  subtype?: string;
  /** The interpreter, e.g. ['bash'], ['python3', '-'], ['node']. The rendered runbook goes on stdin; client_args are appended. */
  command: string[];
  /** Agent connectivity. Default 'online'. */
  status?: 'online' | 'offline';
  /** Default 'enabled'. */
  accessModeRunbooks?: 'enabled' | 'disabled';
  /** Review gate: exec answers has_review and runs only after approval (§1.5). Default false. */
  review?: boolean;
  /** Groups that must approve a review. Default ['admin']. */
  reviewers?: string[];
  /** Simulated AI analyzer verdict (§1.3 rows 14b, 14c). Default: no analyzer. */
  aiAnalysis?: 'block' | 'review';
  mandatoryMetadataFields?: string[];
  /** The connection's own env, `envvar:K`/`filesystem:K` → base64; these win over request and asenv values (§1.7). */
  secrets?: Record<string, string>;
  /** Hidden from the caller by access control: 404 on exec, absent from `GET /api/connections`. Default false. */
  hidden?: boolean;
  /** Legacy plugin path prefix (§3.4): exec outside it is `404 runbook file <f> not found`. Default: none. */
  legacyPathPrefix?: string;
}

export interface RunbookRuleConfig {
  name?: string;
  /** Empty = any runbook. `name` is a case-insensitive prefix (SQL ILIKE name||'%'). */
  runbooks?: { repository: string; name: string }[];
  /** Empty = any connection. */
  connections?: string[];
  /** Empty = any group. */
  userGroups?: string[];
}

export interface ResolvedConfig {
  port: number;
  host: string;
  api: 'v2' | 'legacy';
  version: string;
  users: Record<string, GatewayUser>;
  authMethod: 'local' | 'oidc' | 'saml';
  identityProvider: Required<IdentityProviderConfig> | undefined;
  tokenLifetimeMs: number;
  tls: boolean;
  apiKey: string | undefined;
  repositories: RepositoryConfig[];
  connections: ConnectionConfig[];
  rules: RunbookRuleConfig[];
  execWaitMs: number;
  cacheMs: number;
  publicUrl: string | undefined;
  faults: Record<string, { status: number; message: string }>;
  orgId: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function resolveConfig(config: LocalGatewayConfig): ResolvedConfig {
  const host = config.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new Error(`The local gateway only listens on loopback, not ${host}`);
  }
  const api = config.api ?? 'v2';
  return {
    port: config.port ?? 0,
    host,
    api,
    version: config.version ?? (api === 'v2' ? '1.148.0' : '1.42.0'),
    users: config.users ?? {},
    authMethod: config.authMethod ?? 'local',
    identityProvider: resolveIdentityProvider(config),
    tokenLifetimeMs: config.tokenLifetimeMs ?? 12 * 60 * 60 * 1000,
    tls: config.tls ?? false,
    apiKey: config.apiKey,
    repositories: config.repositories ?? [],
    connections: config.connections ?? [],
    rules: config.rules ?? [],
    execWaitMs: config.execWaitMs ?? 50_000,
    cacheMs: config.cacheMs ?? 0,
    publicUrl: config.publicUrl?.replace(/\/+$/, ''),
    faults: config.faults ?? {},
    orgId: uuidV5('local-gateway-org'),
  };
}

/** undefined when no user is configured: the stand-in IdP then fails every sign-in. */
function resolveIdentityProvider(config: LocalGatewayConfig): Required<IdentityProviderConfig> | undefined {
  const user = config.identityProvider?.user ?? Object.keys(config.users ?? {})[0];
  if (user === undefined) {
    return undefined;
  }
  if (!config.users?.[user]) {
    throw new Error(`identityProvider.user ${user} is not a key of users`);
  }
  return { user, outcome: config.identityProvider?.outcome ?? 'success' };
}

/** Deterministic ids (RFC 4122 v5 in the URL namespace, like hoop's uuid.NewSHA1(uuid.NameSpaceURL, …)). */
export function uuidV5(name: string): string {
  const namespaceUrl = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const hash = createHash('sha1').update(namespaceUrl).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function connectionId(connection: ConnectionConfig): string {
  return connection.id ?? uuidV5(`connection:${connection.name}`);
}
