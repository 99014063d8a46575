import * as vscode from 'vscode';
import type { GatewayAccess } from '../gatewayAccess';
import type { AccountStore } from './accountStore';

export const authenticationProviderId = 'hoop';

/**
 * Puts each gateway signed in through "Hoop: Sign In" in VS Code's Accounts menu (name and email from
 * /api/userinfo); signing out there removes that gateway's token.
 */
export class HoopAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly access: GatewayAccess,
    private readonly accounts: AccountStore,
  ) {
    this.subscriptions = [
      vscode.authentication.registerAuthenticationProvider(authenticationProviderId, 'Hoop', this, { supportsMultipleAccounts: true }),
      access.onDidChange(() => void this.announceChanges()),
      this.sessionsChanged,
    ];
    void this.announceChanges();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const sessions: vscode.AuthenticationSession[] = [];
    for (const gateway of this.access.gateways()) {
      const { user } = this.accounts.record(gateway.url);
      const token = await this.accounts.token(gateway.url);
      if (user && token) {
        sessions.push({ id: gateway.url, accessToken: token, scopes: [], account: { id: `${gateway.url}#${user.email}`, label: `${user.name} <${user.email}> on ${gateway.name}` } });
      }
    }
    return sessions;
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    await this.access.signIn();
    const active = this.access.activeGateway();
    const session = (await this.getSessions()).find((candidate) => candidate.id === active.url);
    if (!session) {
      throw new Error(`Not signed in to ${active.name}.`);
    }
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    const gateway = this.access.gateways().find((candidate) => candidate.url === sessionId);
    if (gateway) {
      await this.access.signOut(gateway);
    }
  }

  private async announceChanges(): Promise<void> {
    const current = new Map((await this.getSessions()).map((session) => [session.id, session]));
    const added = [...current.values()].filter((session) => !this.known.has(session.id));
    const removed = [...this.known.values()].filter((session) => !current.has(session.id));
    const changed = [...current.values()].filter((session) => {
      const before = this.known.get(session.id);
      return before !== undefined && (before.accessToken !== session.accessToken || before.account.label !== session.account.label);
    });
    this.known = current;
    if (added.length + removed.length + changed.length > 0) {
      this.sessionsChanged.fire({ added, removed, changed });
    }
  }
}
