import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { GatewayAccess } from '../gatewayAccess';

/** The active gateway and user in the status bar, with a warning when TLS is not verified or http is plain. */
export class GatewayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hoop.gateway', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly access: GatewayAccess) {
    this.item.name = 'Hoop Gateway';
    this.item.command = commandIds.gatewayMenu;
    this.subscription = access.onDidChange(() => void this.refresh());
    void this.refresh();
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  async refresh(): Promise<void> {
    const gateway = this.access.activeGateway();
    const { user } = this.access.account(gateway);
    const warnings = await this.access.networkWarnings(gateway).catch((error: unknown) => [error instanceof Error ? error.message : String(error)]);
    const source = await this.access.tokenSource(gateway);
    const who = source === undefined ? 'not signed in' : source === 'stored' && user ? user.name : "hoop CLI's login";
    this.item.text = `${warnings.length > 0 ? '$(warning)' : '$(account)'} ${gateway.name}: ${who}`;
    this.item.backgroundColor = warnings.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(`**Hoop gateway** ${gateway.name} (${gateway.url})\n\n${source === 'stored' && user ? `Signed in as ${user.name} (${user.email}, ${user.role})` : source ? 'Using the token of `hoop login` (the hoop CLI) for this gateway.' : 'Not signed in.'}`);
    warnings.forEach((warning) => tooltip.appendMarkdown(`\n\n$(warning) ${warning}`));
    tooltip.supportThemeIcons = true;
    tooltip.appendMarkdown('\n\nClick to switch gateway, sign in or sign out.');
    this.item.tooltip = tooltip;
  }
}

/** The status bar item's menu: switch to another gateway, sign in, sign out. */
export async function showGatewayMenu(access: GatewayAccess): Promise<void> {
  const active = access.activeGateway();
  const signedIn = access.account(active).user !== undefined;
  type Entry = vscode.QuickPickItem & { run?: () => Promise<unknown> };
  const entries: Entry[] = [
    { label: signedIn ? `$(sign-in) Sign in to ${active.name} again` : `$(sign-in) Sign in to ${active.name}`, run: () => access.signIn() },
    ...(signedIn ? [{ label: `$(sign-out) Sign out of ${active.name}`, run: () => access.signOut() }] : []),
    { label: 'Gateways', kind: vscode.QuickPickItemKind.Separator },
    ...access.gateways().map((gateway) => ({
      label: `${gateway.name === active.name ? '$(check)' : '$(server)'} ${gateway.name}`,
      description: gateway.url,
      detail: access.account(gateway).user ? `Signed in as ${access.account(gateway).user?.name}` : undefined,
      run: () => access.switchGateway(gateway.name),
    })),
    { label: '$(settings-gear) Edit gateways (hoop.gateways)…', run: () => Promise.resolve(vscode.commands.executeCommand('workbench.action.openSettings', 'hoop.gateways')) },
  ];
  const picked = await vscode.window.showQuickPick(entries, { title: `Hoop: ${active.name}`, placeHolder: 'Switch gateway, sign in or sign out' });
  await picked?.run?.();
}

/** Just the gateways: pick the one to make active. */
export async function pickGateway(access: GatewayAccess): Promise<void> {
  const active = access.activeGateway();
  const picked = await vscode.window.showQuickPick(
    access.gateways().map((gateway) => ({ label: gateway.name, description: gateway.url, picked: gateway.name === active.name })),
    { title: 'Hoop: switch gateway', placeHolder: `Active: ${active.name}` },
  );
  if (picked) {
    await access.switchGateway(picked.label);
  }
}
