import * as vscode from 'vscode';
import type { EnvVarKind } from './core/envVars';

/** Tokens and remembered secret values, in VS Code's SecretStorage only, keyed per gateway. */
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

  setSecret(gatewayUrl: string, kind: EnvVarKind, name: string, value: string): Thenable<void> {
    return this.storage.store(secretKey(gatewayUrl, kind, name), value);
  }

  deleteSecret(gatewayUrl: string, kind: EnvVarKind, name: string): Thenable<void> {
    return this.storage.delete(secretKey(gatewayUrl, kind, name));
  }
}

function tokenKey(gatewayUrl: string): string {
  return `hoop.token:${gatewayUrl}`;
}

function secretKey(gatewayUrl: string, kind: EnvVarKind, name: string): string {
  return `hoop.secret:${gatewayUrl}:${kind}:${name}`;
}
