import type * as vscode from 'vscode';
import type { SignedInUser } from '../core/auth/signIn';
import type { SecretStore } from '../secretStore';

/** Not secret, kept in global state: who signed in, and when the token was stored or removed (the token order needs both). */
export interface AccountRecord {
  user?: SignedInUser;
  storedAt?: number;
  signedOutAt?: number;
}

/**
 * A gateway's token (SecretStorage) and its account record (global state), changed together so
 * signing out leaves no token anywhere and the token order knows when each was written.
 */
export class AccountStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly globalState: vscode.Memento,
  ) {}

  token(gatewayUrl: string): Thenable<string | undefined> {
    return this.secrets.getToken(gatewayUrl);
  }

  record(gatewayUrl: string): AccountRecord {
    return this.globalState.get<AccountRecord>(recordKey(gatewayUrl)) ?? {};
  }

  async signedIn(gatewayUrl: string, token: string, user: SignedInUser): Promise<void> {
    await this.secrets.setToken(gatewayUrl, token);
    await this.globalState.update(recordKey(gatewayUrl), { user, storedAt: Date.now() } satisfies AccountRecord);
  }

  /** The gateway rotated the token (X-New-Access-Token): same account, newer token. */
  async rotated(gatewayUrl: string, token: string): Promise<void> {
    await this.secrets.setToken(gatewayUrl, token);
    await this.globalState.update(recordKey(gatewayUrl), { ...this.record(gatewayUrl), storedAt: Date.now() });
  }

  /** Remembers only when, so a `hoop login` from before this moment is not picked up again. */
  async signedOut(gatewayUrl: string): Promise<void> {
    await this.secrets.deleteToken(gatewayUrl);
    await this.globalState.update(recordKey(gatewayUrl), { signedOutAt: Date.now() } satisfies AccountRecord);
  }
}

function recordKey(gatewayUrl: string): string {
  return `hoop.account:${gatewayUrl}`;
}
