import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';

const PROD_KEY = 'hpk_suite_prod';
const LAB_KEY = 'hpk_suite_lab';

/** What VS Code's Accounts menu lists under Hoop. */
async function accountLabels(): Promise<string[]> {
  return (await vscode.authentication.getAccounts('hoop')).map((account) => account.label).sort();
}

describe('Signing in, in the extension host', () => {
  let prod: LocalGateway;
  let lab: LocalGateway;
  const configuration = () => vscode.workspace.getConfiguration('hoop');

  before(async () => {
    prod = await startLocalGateway({ users: { [PROD_KEY]: { email: 'pat@prod.example', name: 'Pat Prod', role: 'admin' } } });
    lab = await startLocalGateway({ authMethod: 'oidc', users: { [LAB_KEY]: { email: 'lee@lab.example', name: 'Lee Lab', role: 'standard' } } });
    await configuration().update('gateways', [{ name: 'prod', url: prod.url }, { name: 'lab', url: lab.url }], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await configuration().update('gateways', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([prod?.close(), lab?.close()]);
  });

  it('checks a key with the active gateway before storing it, and shows the account in the Accounts menu', async () => {
    await vscode.commands.executeCommand('hoop.switchGateway', 'prod');
    assert.equal(await vscode.commands.executeCommand('hoop.setToken', PROD_KEY), true);
    assert.ok(prod.requests.some((request) => request.path === '/api/publicserverinfo'), 'reachability first');
    assert.ok(prod.requests.some((request) => request.path === '/api/userinfo'), 'the key was checked');
    assert.deepEqual(await accountLabels(), ['Pat Prod <pat@prod.example> on prod']);
  });

  it("a key the gateway rejects is not stored: the account stays the one signed in before", async () => {
    assert.notEqual(await vscode.commands.executeCommand('hoop.setToken', LAB_KEY), true);
    assert.deepEqual(await accountLabels(), ['Pat Prod <pat@prod.example> on prod']);
  });

  it('keeps one token per gateway; signing out of one leaves the other, signing out of both leaves no account', async () => {
    await vscode.commands.executeCommand('hoop.switchGateway', 'lab');
    assert.equal(await vscode.commands.executeCommand('hoop.setToken', LAB_KEY), true);
    assert.deepEqual(await accountLabels(), ['Lee Lab <lee@lab.example> on lab', 'Pat Prod <pat@prod.example> on prod']);
    await vscode.commands.executeCommand('hoop.clearToken');
    assert.deepEqual(await accountLabels(), ['Pat Prod <pat@prod.example> on prod']);
    await vscode.commands.executeCommand('hoop.switchGateway', 'prod');
    await vscode.commands.executeCommand('hoop.clearToken');
    assert.deepEqual(await accountLabels(), []);
  });

  it('refuses gateways from workspace settings, so a cloned repository cannot add one', async () => {
    await assert.rejects(
      Promise.resolve(configuration().update('gateways', [{ name: 'evil', url: 'http://127.0.0.1:9' }], vscode.ConfigurationTarget.Workspace)),
      /workspace/i,
    );
  });
});
