// One run of the 110 MiB runbook in a fresh Node process: the extension's side of it (client, masker,
// Run, run document), its peak memory above what the process held before, and its longest event-loop stall.
//   node out/test/bench/probes/bigOutput.js <gateway url>
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GatewayClient } from '../../../src/core/gatewayClient';
import { benchRequest, benchRunbooks, benchSecrets, benchToken } from '../benchGateway';
import { driveRun, newRun } from '../runDriver';

async function main(): Promise<void> {
  const gatewayUrl = process.argv[2];
  const client = new GatewayClient({ gatewayUrl, token: benchToken });
  const request = (fileName: string) => benchRequest(gatewayUrl, fileName);
  // A small run first: the HTTP client is loaded and warm, as in an extension host that ran before.
  await driveRun(client, request(benchRunbooks.quick), newRun(request(benchRunbooks.quick)));
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const run = newRun(request(benchRunbooks.bigOutput));
  await driveRun(client, request(benchRunbooks.bigOutput), run);
  stalls.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  if (run.state !== 'done') throw new Error(`the big run ended ${run.state}: ${run.data.message}`);
  if (benchSecrets.some((secret) => run.output.includes(secret))) throw new Error('a secret is in the shown output');
  process.stdout.write(`${JSON.stringify({ peakBytes: peak - before, stallMs: stalls.max / 1e6, shownChars: run.output.length + run.outputCharsDropped })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
