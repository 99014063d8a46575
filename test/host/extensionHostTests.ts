// Runs test/suite inside code-server's extension host, against the packaged .vsix installed by
// code-server itself, in a multi-root workspace of two clones of runbook repositories with bare remotes
// and a throwaway HOME (for ~/.hoop/config.toml); then the same suite in desktop VS Code through
// @vscode/test-electron where one is installed.
//
//   node out/test/host/extensionHostTests.js     (after `npm run package`)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunbookRepo } from '../support/gitFixture';
import { installVsixInto } from './codeServer';
import { runDesktopSuite } from './desktopVscode';
import { repoRoot } from './paths';
import { runExtensionHostSuite } from './runExtensionHostSuite';

/** The runbooks test/suite expects in its workspace. */
export const suiteRunbooks: Record<string, string> = {
  'README.md': '# Runbooks\n',
  'ops/hello.runbook.sh': 'echo "hello {{ .name | required "name is required" | description "Who to greet" }}"\n',
  'ops/fail.runbook.sh': 'echo "about to fail" >&2\nexit 3\n',
  'ops/args.runbook.sh': 'echo "args: $*"\n',
  'ops/slow.runbook.sh': 'sleep 3\necho "slow done"\n',
};

/** The second folder of the workspace: another repository, whose runbook paths the first one does not have. */
const platformRunbooks: Record<string, string> = {
  'deploy/rollout.runbook.sh': 'echo "rolling out {{ .service | default "api" | description "Service" }}"\n',
};
const platformRemoteUrl = 'https://github.com/acme/platform.git';

async function main(): Promise<number> {
  const vsix = path.join(repoRoot, 'dist', 'hoop-runbooks.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  const repo = createRunbookRepo({ files: suiteRunbooks });
  const platform = createRunbookRepo({ files: platformRunbooks, remoteUrl: platformRemoteUrl });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-suite-'));
  const extensionsDir = path.join(scratch, 'extensions');
  // The suite writes ~/.hoop/config.toml: never in the real home.
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  fs.mkdirSync(extensionsDir);
  const workspaceFile = path.join(scratch, 'suite.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: repo.workDir }, { path: platform.workDir }] }, null, 2));
  try {
    const installed = await installVsixInto(vsix, extensionsDir);
    const suite = path.join(repoRoot, 'out', 'test', 'suite', 'index.js');
    const env = { HOOP_TEST_BARE_DIR: repo.bareDir, HOOP_TEST_PLATFORM_BARE_DIR: platform.bareDir, HOME: home };
    const result = await runExtensionHostSuite({ extensionDevelopmentPath: installed, extensionTestsPath: suite, workspaceFolder: workspaceFile, env, label: 'hoop-runbooks-suite' });
    console.log(`code-server extension-host suite exited ${result.exitCode} after ${(result.durationMs / 1000).toFixed(1)} s`);
    const desktop = await runDesktopSuite({ extensionDevelopmentPath: installed, extensionTestsPath: suite, workspaceFolder: workspaceFile, extensionTestsEnv: env });
    console.log(desktop.skipped ? desktop.reason : `desktop VS Code suite exited ${desktop.exitCode}`);
    return result.exitCode || (desktop.skipped ? 0 : desktop.exitCode);
  } finally {
    repo.cleanup();
    platform.cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
