// npm start's desktop branch. No desktop VS Code can be installed on these machines, so a stand-in
// executable records how it was launched; the real desktop VS Code then takes it from there.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTryIt } from '../demo/tryIt';
import { repoRoot } from '../host/paths';

interface Launch {
  pid: number;
  args: string[];
  hoopToken: string;
  hoopApiUrl: string;
}

describe('npm start with desktop VS Code (through a stand-in executable)', function () {
  this.timeout(60_000);
  let scratch: string;
  let previousExecutable: string | undefined;

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-desktop-'));
    previousExecutable = process.env.VSCODE_EXECUTABLE;
  });

  after(() => {
    if (previousExecutable === undefined) delete process.env.VSCODE_EXECUTABLE;
    else process.env.VSCODE_EXECUTABLE = previousExecutable;
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('opens the sample in a new window with the extension under development, its own profile and the CLI sign-in; stop ends it', async () => {
    const record = path.join(scratch, 'launch.json');
    const standIn = path.join(scratch, 'code');
    fs.writeFileSync(
      standIn,
      `#!/usr/bin/env node
require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ pid: process.pid, args: process.argv.slice(2), hoopToken: process.env.HOOP_TOKEN, hoopApiUrl: process.env.HOOP_APIURL }));
setInterval(() => {}, 1000);
`,
      { mode: 0o755 },
    );
    process.env.VSCODE_EXECUTABLE = standIn;
    const stateDir = path.join(scratch, 'state');
    const tryIt = await startTryIt({ vscode: 'desktop', stateDir, port: 0, gatewayPort: 0 });
    try {
      for (let waited = 0; !fs.existsSync(record) && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const launch = JSON.parse(fs.readFileSync(record, 'utf8')) as Launch;
      assert.equal(tryIt.vscodeUrl, undefined);
      assert.match(tryIt.vscodeDescription, /^desktop VS Code/);
      assert.equal(launch.args[0], tryIt.workspaceFolder);
      assert.ok(launch.args.includes('--new-window'));
      assert.ok(launch.args.includes(`--extensionDevelopmentPath=${repoRoot}`));
      const userDataDir = launch.args.find((arg) => arg.startsWith('--user-data-dir='))!.split('=')[1];
      assert.ok(userDataDir.startsWith(stateDir), 'the profile lives in the state folder');
      const settings = JSON.parse(fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8'));
      assert.equal(settings['hoop.gatewayUrl'], tryIt.gateway.url);
      assert.equal(launch.hoopApiUrl, tryIt.gateway.url);
      assert.equal(launch.hoopToken, 'local-dev-token');

      await tryIt.stop();
      assert.throws(() => process.kill(launch.pid, 0), 'the window process is gone');
      assert.equal(fs.existsSync(stateDir), false);
    } finally {
      await tryIt.stop();
    }
  });
});
