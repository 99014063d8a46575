// `npm run bench`: how small and quick the extension is, each measure against its baseline in the same
// run (alternating, medians with the p10–p90 spread), as one table ending `bench: N of M goals met`.
// Speed is measured here, never asserted in tests. Goals: issue 9.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { parseRunbookTemplate } from '../../src/core/template';
import { buildExecBody } from '../../src/core/runRequest';
import { repoRoot } from '../host/paths';
import { sampleRunbooks } from '../sample/sampleWorkspace';
import { benchRunbooks, benchToken, bigOutputBytes, startBenchGateway, type BenchGateway } from './benchGateway';
import { measureActivation, measureDiscovery } from './hostMeasures';
import { driveRun, newRun } from './runDriver';
import { alternate, formatTable, kb, mib, ms, repeat, row, skipped, type Row } from './stats';

const run = promisify(execFile);
const repetitions = 10;
const probeBundle = path.join(repoRoot, 'out', 'bench-probes', 'exec.js');
/** Runs slower than this are stopped: the bench must stay under 5 minutes. */
const bigOutputLimitMs = 40_000;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The .vsix, and what each byte of dist/extension.js is (esbuild's metafile), by package or source folder. */
function packageSize(): Row {
  const vsix = path.join(repoRoot, 'dist', 'hoop-runbooks.vsix');
  const meta = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'extension.meta.json'), 'utf8')) as { outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }> };
  const output = meta.outputs['dist/extension.js'];
  const byOwner = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    // A package and up to two of its folders (undici/lib/llhttp), or a source folder (src/core/template).
    const owner = /node_modules\/((?:@[^/]+\/)?[^/]+(?:\/[^/]+(?=\/)){0,2})/.exec(input)?.[1] ?? input.split('/').slice(0, 3).join('/');
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
  }
  console.log(`dist/extension.js: ${(output.bytes / 1024).toFixed(0)} KiB minified; top contributors (esbuild metafile):`);
  for (const [owner, bytes] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${owner}`);
  }
  console.log('');
  return row('.vsix bytes', kb, { kind: 'at most', max: 200_000 }, [fs.statSync(vsix).size]);
}

function probe(mode: 'first' | 'http', bench: BenchGateway, body: string): Promise<number> {
  return run(process.execPath, [probeBundle, mode, bench.gateway.url, benchToken, body]).then(({ stdout }) => Number(stdout.trim()));
}

/** The first exec of a fresh process loads the HTTP client; node:http is already in Node. */
async function firstExec(bench: BenchGateway): Promise<Row> {
  const body = JSON.stringify(buildExecBody(bench.request(benchRunbooks.quick)));
  const { ours, baseline } = await alternate(repetitions, () => probe('first', bench, body), () => probe('http', bench, body));
  return row('first exec in a fresh process (loads the HTTP client) vs node:http', ms, { kind: 'difference', max: 15 }, ours, baseline);
}

/** A warm client's exec round trip against curl's own time_total for the same body. */
async function warmExec(bench: BenchGateway): Promise<Row> {
  const body = JSON.stringify(buildExecBody(bench.request(benchRunbooks.quick)));
  const client = spawn(process.execPath, [probeBundle, 'warm', bench.gateway.url, benchToken, body], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers: ((ms: number) => void)[] = [];
  let buffered = '';
  client.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      answers.shift()?.(Number(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
    }
  });
  const ours = () => new Promise<number>((resolve) => {
    answers.push(resolve);
    client.stdin.write('exec\n');
  });
  const curl = async () => {
    const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', '-X', 'POST', '-H', `Authorization: Bearer ${benchToken}`, '-H', 'content-type: application/json', '-H', 'accept: application/json', '--data', body, `${bench.gateway.url}/api/runbooks/exec`]);
    return Number(stdout) * 1000;
  };
  try {
    await repeat(3, ours); // warm up: HTTP client loaded, connection open
    const { ours: oursValues, baseline } = await alternate(repetitions, ours, curl);
    return row('exec round trip, warm, local gateway vs curl', ms, { kind: 'difference', max: 2 }, oursValues, baseline);
  } finally {
    client.stdin.end();
  }
}

function timeIt(body: () => unknown): number {
  const started = performance.now();
  body();
  return performance.now() - started;
}

/** parseRunbookTemplate + the metadata it derives, against a regexp scan of `{{…}}` (the floor) and Go's Parse. */
async function parsing(): Promise<Row[]> {
  const realistic = Object.values(sampleRunbooks).join('\n').repeat(Math.ceil(1_000_000 / Object.values(sampleRunbooks).join('\n').length)).slice(0, 1_000_000);
  const withActions = (count: number) => Array.from({ length: count }, (_, index) => `echo "step ${index}: {{ .p${index % 500} | default "x" | description "parameter number ${index}" }}" # --\n`).join('');
  const parse = (text: string) => () => {
    const template = parseRunbookTemplate(text.slice(0, text.lastIndexOf('\n') + 1));
    return [template.attributes, template.patterns];
  };
  const floor = (text: string) => () => text.match(/\{\{[\s\S]*?\}\}/g)?.length;
  const go = await goParser();
  const rows: Row[] = [];
  const actionCount = (realistic.match(/\{\{/g) ?? []).length.toLocaleString('en');
  for (const [name, text] of [[`the sample runbooks to 1 MB (${actionCount} actions)`, realistic], ['1 MB with 10,000 actions', withActions(10_000)]] as const) {
    const { ours, baseline } = await alternate(repetitions, async () => timeIt(parse(text)), async () => timeIt(floor(text)));
    rows.push({ ...row(`parse + metadata, ${name}, vs regexp scan (floor)`, ms, { kind: 'ratio', max: Infinity }, ours, baseline), goal: '— (floor)', met: undefined });
    rows.push(go ? row(`parse + metadata, ${name}, vs Go text/template`, ms, { kind: 'ratio', max: 3 }, ours, await go(text)) : skipped(`parse + metadata, ${name}, vs Go text/template`, '`go` is not installed', '≤ 3×'));
  }
  const small = withActions(100);
  const { ours: large, baseline: tenKb } = await alternate(repetitions, async () => timeIt(parse(withActions(10_000))) / 100, async () => timeIt(parse(small)));
  rows.push(row(`parse growth: time per 100 actions at 1 MB vs at ${(small.length / 1000).toFixed(0)} KB (100 actions)`, ms, { kind: 'ratio', max: 1.5 }, large, tenKb));
  return rows;
}

/** Go's text/template Parse of the same text, where `go` exists. */
async function goParser(): Promise<((text: string) => Promise<number[]>) | undefined> {
  const found = await run('sh', ['-c', 'command -v go']).catch(() => undefined);
  if (!found) return undefined;
  const dir = path.join(repoRoot, 'test', 'bench', 'gotemplate');
  const binary = path.join(os.tmpdir(), 'hoop-bench-gotemplate');
  await run('go', ['build', '-o', binary, '.'], { cwd: dir });
  return async (text) => {
    const file = path.join(os.tmpdir(), 'hoop-bench-runbook.txt');
    fs.writeFileSync(file, text);
    const { stdout } = await run(binary, [file, String(repetitions)]);
    return stdout.trim().split('\n').map(Number);
  };
}

/** hoop's 110 MiB output limit through the client, masker, Run and run document, in a fresh Node process each time. */
async function bigOutput(bench: BenchGateway): Promise<Row[]> {
  const script = path.join(repoRoot, 'out', 'test', 'bench', 'probes', 'bigOutput.js');
  const results: { peakBytes: number; stallMs: number }[] = [];
  const runs = 2; // ~20 s each: ten would not fit the bench's 5 minutes
  for (let index = 0; index < runs; index++) {
    try {
      const { stdout } = await run(process.execPath, [script, bench.gateway.url], { timeout: bigOutputLimitMs, maxBuffer: 1024 * 1024 });
      results.push(JSON.parse(stdout) as { peakBytes: number; stallMs: number });
    } catch (error) {
      const timedOut = (error as { killed?: boolean }).killed;
      const reason = timedOut ? `did not finish within ${bigOutputLimitMs / 1000} s` : `failed: ${(error as Error).message.split('\n')[0]}`;
      return [
        { ...skipped('110 MiB output: peak memory vs output size', reason, '≤ 1.5×'), met: false },
        { ...skipped('110 MiB output: longest event-loop stall', reason, '≤ 50 ms'), met: false },
      ];
    }
  }
  return [
    row(`110 MiB output: peak memory vs output size (${runs} runs)`, mib, { kind: 'ratio', max: 1.5 }, results.map((r) => r.peakBytes), [bigOutputBytes]),
    row(`110 MiB output: longest event-loop stall (${runs} runs)`, ms, { kind: 'at most', max: 50 }, results.map((r) => r.stallMs)),
  ];
}

/** From the runbook's print (the time is in the line) to Run.onDidAppendOutput, over the live SSE stream. */
async function liveOutput(bench: BenchGateway): Promise<Row> {
  const latencies: number[] = [];
  for (let attempt = 0; attempt < 3 && latencies.length < repetitions; attempt++) {
    const request = bench.request(benchRunbooks.liveLines);
    const liveRun = newRun(request);
    let answered = false;
    const listener = liveRun.onDidAppendOutput((text) => {
      const arrived = Date.now();
      if (answered) return; // the exec answer's output replaces the streamed one: not live
      for (const match of text.matchAll(/printed-at (\d+)/g)) latencies.push(arrived - Number(match[1]));
    });
    await driveRun(bench.client(), request, liveRun, () => (answered = true));
    listener.dispose();
  }
  if (latencies.length === 0) return { ...skipped('live output: printed line to the run', 'no line arrived over the live stream', '≤ 1000 ms'), met: false };
  return row(`live output: printed line to the run (${latencies.length} lines)`, ms, { kind: 'at most', max: 1000 }, latencies);
}

async function main(): Promise<void> {
  const started = Date.now();
  for (const file of [path.join(repoRoot, 'dist', 'hoop-runbooks.vsix'), probeBundle]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run bench\`, which builds it`);
  }
  const rows: Row[] = [packageSize()];
  // A measure that breaks shows as a failed row; the others still run.
  const measure = async (what: string, body: () => Promise<Row | Row[]>) => {
    log(`${what}…`);
    try {
      rows.push(...[await body()].flat());
    } catch (error) {
      rows.push({ ...skipped(what, `failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, '—'), met: false });
    }
  };
  await measure('activation in code-server', () => measureActivation(repetitions));
  const bench = await startBenchGateway();
  try {
    await measure('first exec', () => firstExec(bench));
    await measure('warm exec', () => warmExec(bench));
    await measure('runbook discovery', () => measureDiscovery(repetitions));
    await measure('parsing', parsing);
    await measure('110 MiB output', () => bigOutput(bench));
    await measure('live output', () => liveOutput(bench));
  } finally {
    await bench.close();
  }
  console.log(formatTable(rows));
  log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
