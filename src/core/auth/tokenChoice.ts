import { cliLoginForGateway, type CliLogins } from '../hoopCliConfig';

/**
 * Which token a request to one gateway uses, when several exist. The order (README "Signing in"):
 *   1. the hoop CLI's config file for this gateway, when it was written AFTER the stored token was stored
 *      (or after the user signed out here): a newer `hoop login` wins;
 *   2. the token stored by "Hoop: Sign In" for this gateway;
 *   3. the hoop CLI's config file for this gateway (nothing stored, never signed out since it was written);
 *   4. the HOOP_* environment for this gateway, unless the user signed out of this gateway here.
 * Tokens for another gateway are never candidates (the caller filters them).
 */
export type TokenSourceKind = 'stored' | 'cliConfig' | 'environment';

export interface TokenCandidates {
  stored?: { token: string; storedAt?: number };
  /** When the user last signed out of this gateway in VS Code (ms since epoch). */
  signedOutAt?: number;
  cliConfig?: { token: string; modifiedAt: number; source: string };
  environment?: { token: string; source: string };
}

export interface TokenChoice {
  token: string;
  kind: TokenSourceKind;
  /** For the log; never the token. */
  description: string;
}

export function chooseToken(candidates: TokenCandidates): TokenChoice | undefined {
  const { stored, signedOutAt, cliConfig, environment } = candidates;
  const cutoff = Math.max(stored?.storedAt ?? (stored ? Number.POSITIVE_INFINITY : 0), signedOutAt ?? 0);
  if (cliConfig && cliConfig.modifiedAt > cutoff) {
    const newer = stored ? ', newer than the token stored in VS Code' : '';
    return { token: cliConfig.token, kind: 'cliConfig', description: `the hoop CLI's login in ${cliConfig.source}${newer}` };
  }
  if (stored) {
    return { token: stored.token, kind: 'stored', description: "the token stored in VS Code's secret storage" };
  }
  if (environment && signedOutAt === undefined) {
    return { token: environment.token, kind: 'environment', description: environment.source };
  }
  return undefined;
}

/** The candidates for one gateway: CLI logins issued for another gateway are left out. */
export function tokenCandidatesFor(
  gatewayUrl: string,
  stored: { token?: string; storedAt?: number; signedOutAt?: number },
  cli: CliLogins,
): TokenCandidates {
  const file = cliLoginForGateway(gatewayUrl, cli.file);
  const environment = cliLoginForGateway(gatewayUrl, cli.environment);
  return {
    ...(stored.token ? { stored: { token: stored.token, storedAt: stored.storedAt } } : {}),
    ...(stored.signedOutAt !== undefined ? { signedOutAt: stored.signedOutAt } : {}),
    ...(file && cli.file ? { cliConfig: { token: file.token, modifiedAt: cli.file.modifiedAt, source: file.source } } : {}),
    ...(environment ? { environment: { token: environment.token, source: environment.source } } : {}),
  };
}
