import type * as vscode from 'vscode';
import type { EnvVarKind } from './core/envVars';

const secretIndexKey = 'hoop.secretIndex';

/**
 * Tokens and remembered secret values, in VS Code's SecretStorage only, keyed per gateway. An index
 * of the secret keys stored (itself in SecretStorage) lets Forget remove every one, whatever the
 * settings say today.
 */
export class SecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  getToken(gatewayUrl: string): Thenable<string | undefined> {
    return this.storage.get(tokenKey(gatewayUrl));
  }

  setToken(gatewayUrl: string, token: string): Thenable<void> {
    return this.storage.store(tokenKey(gatewayUrl), token);
  }

  deleteToken(gatewayUrl: string): Thenable<void> {
    return this.storage.delete(tokenKey(gatewayUrl));
  }

  getSecret(gatewayUrl: string, kind: EnvVarKind, name: string): Thenable<string | undefined> {
    return this.storage.get(secretKey(gatewayUrl, kind, name));
  }

  async setSecret(gatewayUrl: string, kind: EnvVarKind, name: string, value: string): Promise<void> {
    const key = secretKey(gatewayUrl, kind, name);
    const index = await this.secretIndex();
    if (!index.includes(key)) {
      await this.storage.store(secretIndexKey, JSON.stringify([...index, key]));
    }
    await this.storage.store(key, value);
  }

  /** Every remembered secret value, for every gateway and workspace; tokens stay. */
  async deleteAllSecrets(): Promise<void> {
    await Promise.all((await this.secretIndex()).map((key) => this.storage.delete(key)));
    await this.storage.delete(secretIndexKey);
  }

  private async secretIndex(): Promise<string[]> {
    try {
      const parsed: unknown = JSON.parse((await this.storage.get(secretIndexKey)) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : [];
    } catch {
      return [];
    }
  }
}

function tokenKey(gatewayUrl: string): string {
  return `hoop.token:${gatewayUrl}`;
}

function secretKey(gatewayUrl: string, kind: EnvVarKind, name: string): string {
  return `hoop.secret:${gatewayUrl}:${kind}:${name}`;
}
