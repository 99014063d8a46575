// `npm start`: the extension doing its job with no hoop account. Creates the sample workspace (a git
// clone with a bare remote), starts the local gateway with a token already accepted, and opens VS Code
// with the packaged extension: code-server on 127.0.0.1 for your browser. Ctrl+C stops everything and
// removes the state folder; nothing is written outside it.
//
//   node out/test/demo/tryIt.js [--port 8080] [--gateway-port 8009] [--state-dir .sample]
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { startCodeServer, type CodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { createSampleWorkspace, sampleToken, type SampleWorkspace } from '../sample/sampleWorkspace';

export interface TryItOptions {
  stateDir: string;
  port: number;
  gatewayPort: number;
  /** Sign in through the hoop CLI's environment (default). Off, the extension asks for the token. */
  signedIn?: boolean;
  /** For tests: a shorter wait before the gateway answers "running". */
  execWaitMs?: number;
  /** For tests: user settings over the sample's. */
  userSettings?: Record<string, unknown>;
}

export interface TryIt {
  vscodeUrl: string;
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

export async function startTryIt(options: TryItOptions): Promise<TryIt> {
  const vsix = path.join(repoRoot, 'dist', 'hoop-runbooks.vsix');
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run \`npm start\`, which builds it first.`);
  }
  fs.rmSync(options.stateDir, { recursive: true, force: true });
  fs.mkdirSync(options.stateDir, { recursive: true });
  let sample: SampleWorkspace | undefined;
  let gateway: LocalGateway | undefined;
  let server: CodeServer | undefined;
  const stop = async () => {
    await server?.stop();
    await gateway?.close();
    sample?.cleanup();
    fs.rmSync(options.stateDir, { recursive: true, force: true });
  };
  try {
    sample = createSampleWorkspace({ parentDir: options.stateDir });
    gateway = await startLocalGateway(sample.gatewayConfig({ port: await availablePort(options.gatewayPort), execWaitMs: options.execWaitMs }));
    server = await startCodeServer({
      workspaceFolder: sample.folder,
      installVsix: vsix,
      stateDir: options.stateDir,
      port: await availablePort(options.port),
      userSettings: { ...sample.userSettings(gateway.url), ...options.userSettings },
      // The hoop CLI's environment: the extension signs in with it, as it would with `hoop login`.
      env: options.signedIn === false ? {} : { HOOP_APIURL: gateway.url, HOOP_GRPCURL: '127.0.0.1:8010', HOOP_TOKEN: sampleToken },
    });
    return { vscodeUrl: server.url, gateway, workspaceFolder: sample.folder, stop };
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
  const tryIt = await startTryIt({
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

  VS Code:   ${tryIt.vscodeUrl}
  Gateway:   ${tryIt.gateway.url}  (a local hoop gateway; token "${sampleToken}" is already accepted)
  Workspace: ${tryIt.workspaceFolder}

Open the VS Code address in your browser, open ops/restart-service.runbook.sh and click "Run runbook".
Press Ctrl+C to stop.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
