// `npm run bench`: how fast the parts a user waits on are, measured (never asserted in tests).
// Prints a table: median and p95 over repeated runs, on this machine.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GatewayClient } from '../../src/core/gatewayClient';
import { readRunbookGitInfo } from '../../src/core/git';
import { buildExecBody } from '../../src/core/runRequest';
import { parseRunbookTemplate } from '../../src/core/template';
import { startLocalGateway } from '../gateway/localGateway';
import { repoRoot } from '../host/paths';
import { createSampleWorkspace, sampleRunbooks, sampleToken } from '../sample/sampleWorkspace';

interface Result {
  name: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
}

async function measure(name: string, runs: number, body: () => unknown): Promise<Result> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name, runs, medianMs: times[Math.floor(runs / 2)], p95Ms: times[Math.min(runs - 1, Math.floor(runs * 0.95))] };
}

/** Loads the shipped bundle with a stand-in `vscode` module: the cost activation pays before activate() runs. */
function loadBundle(): void {
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  const stub = path.join(__dirname, 'vscode-stub.js');
  // Only what the bundle touches while loading (module-level constants); activate() is not called.
  fs.writeFileSync(stub, 'class Stub {}\nmodule.exports = { ThemeIcon: Stub, EventEmitter: Stub, Disposable: Stub, Uri: Stub };\n');
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = (request, ...rest) => (request === 'vscode' ? stub : resolve(request, ...rest));
  try {
    delete require.cache[bundle];
    require(bundle);
  } finally {
    (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = resolve;
  }
}

async function main(): Promise<void> {
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const typical = sampleRunbooks['ops/restart-service.runbook.sh'];
  const large = Array.from({ length: 2_000 }, (_, index) => `echo {{ .p${index % 50} | default "x" | description "parameter ${index}" }}`).join('\n');
  const sample = createSampleWorkspace();
  const gateway = await startLocalGateway(sample.gatewayConfig());
  const client = new GatewayClient({ gatewayUrl: gateway.url, token: sampleToken });
  const runbookPath = path.join(sample.folder, 'ops/check-disk.runbook.sh');
  try {
    const results = [
      await measure('load the bundle (before activate)', 20, loadBundle),
      await measure('parse a typical runbook', 500, () => parseRunbookTemplate(typical)),
      await measure(`parse a ${(large.length / 1024).toFixed(0)} KiB runbook`, 50, () => parseRunbookTemplate(large)),
      await measure('render a typical runbook', 500, () => parseRunbookTemplate(typical).render({ service: 'api', replicas: '2', notify_email: 'a@b.c', admin_password: 'x' })),
      await measure('read git info of a runbook', 30, () => readRunbookGitInfo(runbookPath)),
      await measure('list runbooks (local gateway)', 30, () => client.listRunbooks('v2')),
      await measure('exec round trip (local gateway, bash)', 20, () =>
        client.exec('v2', buildExecBody({ gatewayUrl: gateway.url, route: 'v2', connection: 'bash-local', repository: 'github.com/acme/runbooks', fileName: 'ops/check-disk.runbook.sh', refHash: '', parameters: { threshold: '95' }, parameterSpecs: [], envVars: [], clientArgs: [], metadata: {} })),
      ),
    ];
    console.log(`bundle: dist/extension.js ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB\n`);
    console.log(`${'measurement'.padEnd(42)}${'runs'.padStart(6)}${'median'.padStart(12)}${'p95'.padStart(12)}`);
    for (const result of results) {
      console.log(`${result.name.padEnd(42)}${String(result.runs).padStart(6)}${`${result.medianMs.toFixed(2)} ms`.padStart(12)}${`${result.p95Ms.toFixed(2)} ms`.padStart(12)}`);
    }
  } finally {
    await gateway.close();
    sample.cleanup();
    fs.rmSync(path.join(__dirname, 'vscode-stub.js'), { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
