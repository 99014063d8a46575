import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { assertHostProvisioned, codeServerEntry, node24Bin } from './paths';
import { killProcessTree, processesWithEnvironment } from './processTree';

export interface CodeServerOptions {
  /** Folder opened in the workbench (`?folder=`), or a multi-root `.code-workspace` file (`?workspace=`). */
  workspaceFolder: string;
  /** Merged over the test defaults into User/settings.json. */
  userSettings?: Record<string, unknown>;
  /** Reuse an extensions dir (kept on stop); default: a throwaway one. */
  extensionsDir?: string;
  /** A .vsix installed with `--install-extension` before the server starts. */
  installVsix?: string;
  /** Adds `--vscode-option enable-smoke-test-driver` (needed for extensionTestsPath payloads). */
  smokeTestDriver?: boolean;
  /** Extra environment for code-server; its extension host inherits it. */
  env?: Record<string, string>;
  /** Extra command-line arguments for code-server. */
  extraArgs?: string[];
  /** Milliseconds to wait for /healthz. */
  startTimeoutMs?: number;
  /** Folder for the server's throwaway state (user data, extensions, XDG). Default: the OS temp folder. */
  stateDir?: string;
  /** Port to listen on. Default: a free one. */
  port?: number;
}

export interface CodeServer {
  /** Workbench URL with the workspace folder opened. */
  url: string;
  /** http://127.0.0.1:PORT (no path). */
  origin: string;
  port: number;
  workspaceFolder: string;
  userDataDir: string;
  extensionsDir: string;
  /** Recent stdout/stderr lines of code-server, for failure messages. */
  logTail(): string;
  /** Live processes started by this server (tests assert none remain after stop()). */
  livePids(): number[];
  stop(): Promise<void>;
}

export const defaultTestSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // Chat/AI surfaces open side panels and toasts that cover what tests look at.
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.commandCenter': false,
  // Modal editors (1.139 default "some", e.g. Running Extensions) swallow F1 while open.
  'workbench.editor.useModal': 'off',
  // The empty secondary side bar only takes screen space from what tests look at.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port from listen(0)'));
      });
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function makeDirs(root: string) {
  const dirs = {
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  return dirs;
}

class LineBuffer {
  private lines: string[] = [];
  constructor(private readonly max = 200) {}
  push(prefix: string, chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.lines.push(`${prefix}${line}`);
      if (process.env.HOST_DEBUG) process.stderr.write(`[code-server] ${prefix}${line}\n`);
    }
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

function runToCompletion(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24Bin, [codeServerEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      void killProcessTree(child);
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`code-server ${args.join(' ')} exited ${code}\n${output}`));
    });
  });
}

/**
 * Installs a .vsix with code-server's own installer into `extensionsDir` and returns the installed
 * extension's folder: the packaged bits, as users get them, for suites that need a folder path.
 */
export async function installVsixInto(vsix: string, extensionsDir: string): Promise<string> {
  assertHostProvisioned();
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-install-'));
  const dirs = makeDirs(tempRoot);
  try {
    const env = { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, XDG_CACHE_HOME: dirs.xdgCache };
    await runToCompletion(['--user-data-dir', dirs.userDataDir, '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix), '--force'], env, 120_000);
  } finally {
    fs.rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 });
  }
  const installed = fs.readdirSync(extensionsDir).filter((name) => fs.existsSync(path.join(extensionsDir, name, 'package.json')));
  if (installed.length !== 1) throw new Error(`expected one extension in ${extensionsDir}, found ${installed.join(', ') || 'none'}`);
  return path.join(extensionsDir, installed[0]);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertHostProvisioned();
  const workspaceFolder = path.resolve(options.workspaceFolder);
  const isWorkspaceFile = workspaceFolder.endsWith('.code-workspace') && fs.statSync(workspaceFolder).isFile();
  if (!isWorkspaceFile && !fs.statSync(workspaceFolder).isDirectory()) throw new Error(`${workspaceFolder} is neither a folder nor a .code-workspace file`);

  const tempRoot = fs.mkdtempSync(path.join(options.stateDir ?? os.tmpdir(), 'vscode-host-'));
  const dirs = makeDirs(tempRoot);
  const extensionsDir = options.extensionsDir ? path.resolve(options.extensionsDir) : dirs.extensionsDir;
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(dirs.userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ ...defaultTestSettings, ...options.userSettings }, null, 2));

  // Keep code-server out of the real ~/.config, ~/.local/share and ~/.cache.
  // XDG_CONFIG_HOME also marks our processes for stop()/livePids(): it is not overridable.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // Lets an extension-host suite find the server's logs (e.g. an extension's log file) to check what they hold.
    VSCODE_TEST_USER_DATA_DIR: dirs.userDataDir,
  };
  // When tests run from a VS Code terminal, these would point the server's CLI at that VS Code.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  const commonArgs = ['--user-data-dir', dirs.userDataDir, '--extensions-dir', extensionsDir];

  const envMarker = `XDG_CONFIG_HOME=${dirs.xdgConfig}\0`;
  const removeTemp = () => fs.rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 });
  let child: ChildProcess | undefined;
  try {
    if (options.installVsix) {
      await runToCompletion([...commonArgs, '--install-extension', path.resolve(options.installVsix), '--force'], env, 120_000);
    }

    const port = options.port ?? (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const args = [
      ...commonArgs,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.userSettings?.['security.workspace.trust.enabled'] === true ? [] : ['--disable-workspace-trust']),
      ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...(options.extraArgs ?? []),
      workspaceFolder,
    ];
    const logs = new LineBuffer();
    const started = child = spawn(node24Bin, [codeServerEntry, ...args], {
      env,
      cwd: isWorkspaceFile ? path.dirname(workspaceFolder) : workspaceFolder,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so stop() can take the whole tree down
    });
    started.stdout?.on('data', (d: Buffer) => logs.push('', d));
    started.stderr?.on('data', (d: Buffer) => logs.push('stderr: ', d));
    let exited: string | undefined;
    started.on('exit', (code, sig) => (exited = `exited with ${code ?? sig}`));

    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (exited) throw new Error(`code-server ${exited} before answering /healthz\n${logs}`);
      if ((await httpStatus(`${origin}/healthz`)) === 200) break;
      if (Date.now() > deadline) throw new Error(`code-server did not answer ${origin}/healthz in time\n${logs}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        await killProcessTree(started);
        // Anything that escaped the tree (re-parented to init) still carries our XDG dirs.
        for (const pid of processesWithEnvironment(envMarker)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        removeTemp();
      })());
    // Last resort if a test runner exits without calling stop().
    const killOnExit = () => {
      try {
        process.kill(-started.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    process.once('exit', killOnExit);

    return {
      url: `${origin}/?${isWorkspaceFile ? 'workspace' : 'folder'}=${encodeURIComponent(workspaceFolder)}`,
      origin,
      port,
      workspaceFolder,
      userDataDir: dirs.userDataDir,
      extensionsDir,
      logTail: () => logs.toString(),
      livePids: () => processesWithEnvironment(envMarker),
      stop,
    };
  } catch (error) {
    if (child) await killProcessTree(child);
    removeTemp();
    throw error;
  }
}
