// Runs the same extension-host suite in a desktop VS Code through
// @vscode/test-electron, but only with a VS Code already on this machine
// (VSCODE_EXECUTABLE, or `code` on PATH): it never downloads one. CI has no
// desktop VS Code; code-server (runExtensionHostSuite) is the CI path.
//
//   node out/test/host/desktopVscode.js --extension <dir> --suite <index.js> [--workspace <dir>]
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

export interface DesktopSuiteOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspaceFolder?: string;
  extensionTestsEnv?: Record<string, string>;
}

export type DesktopSuiteResult =
  | { skipped: true; reason: string }
  | { skipped: false; exitCode: number; vscodeExecutablePath: string };

const NO_DESKTOP_VSCODE = 'skipped: no desktop VS Code on this machine';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isElf(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    fs.readSync(fd, magic, 0, 4, 0);
    return magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    fs.closeSync(fd);
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Electron executable runTests needs. `code` on PATH is usually the CLI
 * shell script in <install>/bin/, next to which sits the real binary.
 */
export function findDesktopVscode(): { executable: string } | { reason: string } {
  const fromEnv = process.env.VSCODE_EXECUTABLE;
  if (fromEnv) {
    // Asked for explicitly: a wrong path is an error, not a skip.
    if (!isExecutableFile(fromEnv)) throw new Error(`VSCODE_EXECUTABLE=${fromEnv} is not an executable file`);
    return { executable: fromEnv };
  }
  const cli = onPath('code');
  if (!cli) return { reason: NO_DESKTOP_VSCODE };
  const real = fs.realpathSync(cli);
  if (isElf(real)) return { executable: real };
  const installDir = path.dirname(path.dirname(real));
  if (path.basename(path.dirname(real)) === 'bin') {
    for (const name of ['code', 'code-insiders', 'codium']) {
      const binary = path.join(installDir, name);
      if (isExecutableFile(binary) && isElf(binary)) return { executable: binary };
    }
  }
  // e.g. code-server's or a remote session's `code` shell wrapper: no Electron behind it.
  return { reason: `${NO_DESKTOP_VSCODE} (\`code\` at ${real} is not a desktop VS Code; set VSCODE_EXECUTABLE)` };
}

export async function runDesktopSuite(options: DesktopSuiteOptions): Promise<DesktopSuiteResult> {
  const found = findDesktopVscode();
  if ('reason' in found) return { skipped: true, reason: found.reason };
  const launchArgs = [
    ...(options.workspaceFolder ? [path.resolve(options.workspaceFolder)] : []),
    // Other installed extensions stay off; the one under development still loads.
    '--disable-extensions',
  ];
  try {
    const exitCode = await runTests({
      vscodeExecutablePath: found.executable,
      extensionDevelopmentPath: path.resolve(options.extensionDevelopmentPath),
      extensionTestsPath: path.resolve(options.extensionTestsPath),
      launchArgs,
      ...(options.extensionTestsEnv && { extensionTestsEnv: options.extensionTestsEnv }),
    });
    return { skipped: false, exitCode, vscodeExecutablePath: found.executable };
  } catch (error) {
    // runTests rejects with TestRunFailedError carrying the exit code on a failing suite.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') return { skipped: false, exitCode: code, vscodeExecutablePath: found.executable };
    throw error;
  }
}
