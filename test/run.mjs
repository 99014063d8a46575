#!/usr/bin/env node
// The whole test suite, from a fresh clone after `npm ci`: system packages, the real VS Code
// (code-server) and Chromium, the build, then every layer. Prints one closing line
// "tests: N passed, N failed" and exits non-zero when anything failed.
//
//   npm test                 # everything
//   npm test -- unit integration   # only some layers (unit, integration, host, ui, desktop)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requested = new Set(process.argv.slice(2));
const wants = (layer) => requested.size === 0 || requested.has(layer);
const totals = { passed: 0, failed: 0, pending: 0 };
const failedSteps = [];

/** Debian packages the real-VS-Code layers need: Chromium to drive it, libkrb5-dev to build code-server. */
const systemPackages = [
  { name: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h') },
];

function ensureSystemPackages() {
  const missing = systemPackages.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo'];
  console.log(`\n== installing ${missing.join(', ')} from Debian's packages`);
  for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const command = [...sudo, ...args];
    const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      console.error(`Could not install ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
      process.exit(1);
    }
  }
}

function step(title, command, args, { counts = false, env = {} } = {}) {
  console.log(`\n== ${title}\n$ ${command} ${args.join(' ')}`);
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const counted = { passed: 0, failed: 0, pending: 0 };
    const read = (stream, sink) => {
      let pending = '';
      stream.on('data', (chunk) => {
        sink.write(chunk);
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          // mocha's closing lines, in this process or relayed from the extension host
          const match = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
          if (match) counted[{ passing: 'passed', failing: 'failed', pending: 'pending' }[match[2]]] += Number(match[1]);
        }
      });
    };
    read(child.stdout, process.stdout);
    read(child.stderr, process.stderr);
    child.on('close', (code) => {
      if (counts) {
        for (const key of Object.keys(totals)) totals[key] += counted[key];
      }
      if (code !== 0 || counted.failed > 0) failedSteps.push(title);
      if (counts && code === 0 && counted.passed === 0) failedSteps.push(`${title} (ran no test)`);
      resolvePromise(code);
    });
  });
}

const npx = (bin) => join(root, 'node_modules', '.bin', bin);
const mocha = (pattern, timeout) => [npx('mocha'), ['--timeout', String(timeout), '--forbid-only', '--forbid-pending', pattern]];

if (wants('host') || wants('ui')) {
  ensureSystemPackages();
  if ((await step('provision the real VS Code (code-server + Node 24)', process.execPath, ['test/host/provision.mjs'])) !== 0) process.exit(1);
}
if ((await step('compile (tsc, strict)', npx('tsc'), ['-p', '.'])) !== 0) process.exit(1);
if ((await step('bundle and package the .vsix', 'npm', ['run', '--silent', 'package'])) !== 0) process.exit(1);

if (wants('unit')) await step('unit tests (plain Node)', ...mocha('out/test/unit/**/*.test.js', 10_000), { counts: true });
if (wants('integration')) await step('integration tests (real git, local gateway)', ...mocha('out/test/integration/**/*.test.js', 30_000), { counts: true });
if (wants('host')) await step('extension-host suite in code-server (packaged .vsix)', process.execPath, ['out/test/host/extensionHostTests.js'], { counts: true });
if (wants('ui')) await step('UI tests: code-server driven by Chromium', ...mocha('out/test/ui/**/*.test.js', 300_000), { counts: true });
if (wants('desktop')) await step('extension-host suite in desktop VS Code (when installed)', process.execPath, ['out/test/host/desktopVscode.js']);

console.log(`\n${failedSteps.length ? `failed steps: ${failedSteps.join('; ')}` : 'all steps passed'}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
