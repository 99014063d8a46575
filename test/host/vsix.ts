import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { repoRoot } from './paths';

/**
 * Packages an extension folder into a .vsix with the repo's vsce (no network),
 * for startCodeServer({ installVsix }). Used for fixtures that must load
 * without the smoke-test driver (which hides notification toasts).
 */
export async function packageVsix(extensionDir: string, outFile: string): Promise<string> {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  await promisify(execFile)(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', outFile],
    { cwd: extensionDir, timeout: 60_000 },
  );
  return outFile;
}
