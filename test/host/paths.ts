import * as fs from 'fs';
import * as path from 'path';

// Works from both test/host (sources) and out/test/host (compiled).
function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'test', 'host', 'provision.mjs')) && fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot();

// Keep these in step with test/host/provision.mjs.
export const NODE_VERSION = '24.22.3';
export const CODE_SERVER_VERSION = '4.139.1';
export const hostDir = path.join(repoRoot, '.vscode-test', 'host');
export const node24Bin = process.env.VSCODE_HOST_NODE ?? path.join(hostDir, `node-${NODE_VERSION}`, 'bin', 'node');
export const codeServerEntry = process.env.VSCODE_HOST_CODE_SERVER
  ?? path.join(hostDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.join(repoRoot, 'test-artifacts');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');

export function isHostProvisioned(): boolean {
  return [node24Bin, codeServerEntry].every((file) => fs.existsSync(file));
}

export function assertHostProvisioned(): void {
  for (const file of [node24Bin, codeServerEntry]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: run \`node test/host/provision.mjs\` first`);
    }
  }
}

export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}
