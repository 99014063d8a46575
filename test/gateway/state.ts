import type { ResolvedConfig } from './config';
import type { GitSource } from './gitSource';
import type { SessionStore } from './sessions';
import type { TokenStore } from './tokens';

/** What every handler works on: the configuration, the sessions, the git source and sign-in state. */
export interface GatewayState {
  config: ResolvedConfig;
  sessions: SessionStore;
  git: GitSource;
  tokens: TokenStore;
  /** Browser sign-ins in progress: state (OIDC) or request id (SAML) → where the callback redirects (models.Login). */
  logins: Map<string, { redirect: string }>;
  /** Authorization codes the stand-in identity provider handed out → the `users` key who signed in. */
  idpCodes: Map<string, string>;
  /** `appconfig.FullApiURL()`: the base of review links. */
  apiUrl(): string;
}
