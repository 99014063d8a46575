import type { ResolvedConfig } from './config';
import type { GitSource } from './gitSource';
import type { SessionStore } from './sessions';

/** What every handler works on: the configuration, the sessions and the git source. */
export interface GatewayState {
  config: ResolvedConfig;
  sessions: SessionStore;
  git: GitSource;
  /** `appconfig.FullApiURL()`: the base of review links. */
  apiUrl(): string;
}
