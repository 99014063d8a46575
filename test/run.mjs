#!/usr/bin/env node
// The whole test suite, from a fresh clone after `npm ci`: the real VS Code (code-server) and
// Chromium with the Debian packages they need (test/host/provision.mjs), the build, then every layer. Prints one closing line
// "tests: N passed, N failed" and exits non-zero when anything failed.
//
//   npm test                 # everything
//   npm test -- unit integration   # only some layers (unit, integration, faults, host, ui)
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const layers = ['unit', 'integration', 'faults', 'host', 'ui'];
const requested = new Set(process.argv.slice(2));
const wants = (layer) => requested.size === 0 || requested.has(layer);
const totals = { passed: 0, failed: 0, pending: 0 };
const failedSteps = [];

/** The closing summary, printed on every exit: CI and people read its last line. */
function finish() {
  console.log(`\n${failedSteps.length ? `failed steps: ${failedSteps.join('; ')}` : 'all steps passed'}`);
  if (totals.pending) console.log(`pending: ${totals.pending} skipped (reported by mocha as pending, see above why)`);
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(failedSteps.length || totals.failed ? 1 : 0);
}

const unknown = [...requested].filter((layer) => !layers.includes(layer));
if (unknown.length) {
  console.error(`unknown test layer${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. The layers are: ${layers.join(', ')}.`);
  failedSteps.push(`choose layers (unknown: ${unknown.join(', ')})`);
  finish();
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
// The UI layer may report a test pending (e.g. no desktop VS Code here): it is counted and printed, not failed.
const mocha = (pattern, timeout, { allowPending = false } = {}) => [
  npx('mocha'),
  ['--timeout', String(timeout), '--forbid-only', ...(allowPending ? [] : ['--forbid-pending']), pattern],
];

if (wants('host') || wants('ui')) {
  if ((await step('provision the real VS Code (code-server + Node 24)', process.execPath, ['test/host/provision.mjs'])) !== 0) finish();
}
if ((await step('compile (tsc, strict)', npx('tsc'), ['-p', '.'])) !== 0) finish();
if ((await step('bundle and package the .vsix', 'npm', ['run', '--silent', 'package'])) !== 0) finish();

if (wants('unit')) await step('unit tests (plain Node)', ...mocha('out/test/unit/**/*.test.js', 10_000), { counts: true });
if (wants('integration')) await step('integration tests (real git, local gateway)', ...mocha('out/test/integration/**/*.test.js', 30_000), { counts: true });
if (wants('faults')) await step('fault tests (broken gateways, proxies and networks on 127.0.0.1)', ...mocha('out/test/faults/**/*.test.js', 15_000), { counts: true });
if (wants('host')) await step('extension-host suite in code-server, and desktop VS Code where installed (packaged .vsix)', process.execPath, ['out/test/host/extensionHostTests.js'], { counts: true });
if (wants('ui')) await step('UI tests: code-server driven by Chromium', ...mocha('out/test/ui/**/*.test.js', 300_000, { allowPending: true }), { counts: true });

finish();
