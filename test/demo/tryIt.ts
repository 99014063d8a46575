// `npm start`: the extension doing its job with no hoop account. Creates the sample workspace (a git
// clone with a bare remote), starts the local gateway with a token already accepted, and opens VS Code
// with the extension: desktop VS Code through --extensionDevelopmentPath when one is installed, else
// code-server on 127.0.0.1 for your browser. Ctrl+C stops everything and removes the state folder;
// nothing is written outside it.
//
//   node out/test/demo/tryIt.js [--vscode auto|desktop|code-server] [--port 8080] [--gateway-port 8009] [--state-dir .sample]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { defaultTestSettings, startCodeServer } from '../host/codeServer';
import { findDesktopVscode } from '../host/desktopVscode';
import { isHostProvisioned, repoRoot } from '../host/paths';
import { killProcessTree } from '../host/processTree';
import { createSampleWorkspace, samplePassword, sampleToken, sampleUserEmail, type SampleWorkspace } from '../sample/sampleWorkspace';

export interface TryItOptions {
  stateDir: string;
  /** `auto` (default): desktop VS Code when one is installed, else code-server. */
  vscode?: 'auto' | 'desktop' | 'code-server';
  port: number;
  gatewayPort: number;
  /** Sign in through the hoop CLI's environment (default). Off, the extension asks for the token. */
  signedIn?: boolean;
  /** For tests: a shorter wait before the gateway answers "running". */
  execWaitMs?: number;
  /** For tests: user settings over the sample's. */
  userSettings?: Record<string, unknown>;
  /** For tests: how the gateway's users sign in (the sample's default is the browser). */
  authMethod?: 'local' | 'oidc' | 'saml';
}

export interface TryIt {
  /** What was opened: the address for the browser, or the desktop window's process. */
  vscodeDescription: string;
  /** The code-server address; undefined for desktop VS Code. */
  vscodeUrl?: string;
  gateway: LocalGateway;
  workspaceFolder: string;
  stop(): Promise<void>;
}

/** The port asked for when it is free, else any free one (0 always means any). */
async function availablePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
  return (preferred && (await tryListen(preferred))) || (await tryListen(0))!;
}

interface VsCodeWindow {
  description: string;
  url?: string;
  stop(): Promise<void>;
}

interface WindowOptions {
  workspaceFolder: string;
  stateDir: string;
  port: number;
  userSettings: Record<string, unknown>;
  env: Record<string, string>;
}

/** Desktop VS Code runs the built extension from this folder (`dist/extension.js`), in its own profile under the state folder. */
async function startDesktopWindow(executable: string, options: WindowOptions): Promise<VsCodeWindow> {
  const userDataDir = path.join(options.stateDir, 'desktop-user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...defaultTestSettings, ...options.userSettings }, null, 2));
  const child: ChildProcess = spawn(
    executable,
    [
      options.workspaceFolder,
      '--new-window',
      `--extensionDevelopmentPath=${repoRoot}`,
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${path.join(options.stateDir, 'desktop-extensions')}`,
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    { env: { ...process.env, ...options.env }, stdio: 'ignore', detached: true },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return { description: `desktop VS Code (${executable}, pid ${child.pid})`, stop: () => killProcessTree(child) };
}

async function startCodeServerWindow(vsix: string, options: WindowOptions): Promise<VsCodeWindow> {
  // code-server comes from npm on first use (about 90 s); later starts find it cached.
  if (!isHostProvisioned()) {
    const provisioned = spawnSync(process.execPath, [path.join(repoRoot, 'test', 'host', 'provision.mjs'), '--without-browser'], { stdio: 'inherit' });
    if (provisioned.status !== 0) {
      throw new Error('Could not install code-server: see the messages above.');
    }
  }
  const server = await startCodeServer({ ...options, installVsix: vsix, port: await availablePort(options.port) });
  return { description: server.url, url: server.url, stop: () => server.stop() };
}

export async function startTryIt(options: TryItOptions): Promise<TryIt> {
  const vsix = path.join(repoRoot, 'dist', 'hoop-runbooks.vsix');
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run \`npm start\`, which builds it first.`);
  }
  const desktop = options.vscode === 'code-server' ? undefined : findDesktopVscode();
  if (options.vscode === 'desktop' && (!desktop || 'reason' in desktop)) {
    throw new Error(desktop && 'reason' in desktop ? desktop.reason : 'no desktop VS Code');
  }
  fs.rmSync(options.stateDir, { recursive: true, force: true });
  fs.mkdirSync(options.stateDir, { recursive: true });
  let sample: SampleWorkspace | undefined;
  let gateway: LocalGateway | undefined;
  let window: VsCodeWindow | undefined;
  const stop = async () => {
    await window?.stop();
    await gateway?.close();
    sample?.cleanup();
    fs.rmSync(options.stateDir, { recursive: true, force: true });
  };
  try {
    sample = createSampleWorkspace({ parentDir: options.stateDir });
    gateway = await startLocalGateway(sample.gatewayConfig({ port: await availablePort(options.gatewayPort), execWaitMs: options.execWaitMs, authMethod: options.authMethod }));
    const windowOptions: WindowOptions = {
      workspaceFolder: sample.folder,
      stateDir: options.stateDir,
      port: options.port,
      userSettings: { ...sample.userSettings(gateway.url), ...options.userSettings },
      // The hoop CLI's environment: the extension signs in with it, as it would with `hoop login`.
      env: options.signedIn === false ? {} : { HOOP_APIURL: gateway.url, HOOP_GRPCURL: '127.0.0.1:8010', HOOP_TOKEN: sampleToken },
    };
    window = desktop && 'executable' in desktop ? await startDesktopWindow(desktop.executable, windowOptions) : await startCodeServerWindow(vsix, windowOptions);
    return { vscodeDescription: window.description, vscodeUrl: window.url, gateway, workspaceFolder: sample.folder, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const vscode = option('vscode', 'auto');
  if (vscode !== 'auto' && vscode !== 'desktop' && vscode !== 'code-server') {
    throw new Error(`--vscode must be auto, desktop or code-server, not ${vscode}`);
  }
  const tryIt = await startTryIt({
    vscode,
    stateDir: path.resolve(option('state-dir', path.join(repoRoot, '.sample'))),
    port: Number(option('port', '8080')),
    gatewayPort: Number(option('gateway-port', '8009')),
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping VS Code and the gateway…`);
    tryIt.stop().then(
      () => {
        console.log('Stopped. Nothing is left running.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('Ctrl+C'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  console.log(`
Hoop Runbooks is ready.

  VS Code:   ${tryIt.vscodeDescription}
  Gateway:   ${tryIt.gateway.url}  (a local hoop gateway; token "${sampleToken}" is already accepted)
  Workspace: ${tryIt.workspaceFolder}

${tryIt.vscodeUrl ? 'Open the VS Code address in your browser, then open' : 'In the VS Code window, open'} ops/restart-service.runbook.sh and click "Run runbook".

More to try:
  - ops/slow-report.runbook.sh outlives the gateway's wait (it answers "running"), then exits 3.
  - Run ops/print-secret.runbook.sh on bash-reviewed: it waits for review. Open the session link and
    approve or reject it there as the sample's reviewer (Rita Reviewer), then execute it from VS Code.
  - Runs on bash-jira ask for Jira fields and open a (stand-in) Jira issue.
  - Signing in: the browser sign-in completes by itself; email ${sampleUserEmail}, password ${samplePassword}.
Press Ctrl+C to stop.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
