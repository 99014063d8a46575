// Bundled like the extension (esbuild.mjs --probe), so the HTTP client loads as it does in the extension host.
//   node exec.js first <gateway url> <token> <exec body JSON>   the first exec of a fresh process: ms on stdout
//   node exec.js http  <gateway url> <token> <exec body JSON>   the same request with node:http
//   node exec.js warm  <gateway url> <token> <exec body JSON>   one exec per line read from stdin, ms per exec
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import * as readline from 'node:readline';
import { authHeaders, GatewayClient } from '../../../src/core/gatewayClient';
import type { ExecRequestBody } from '../../../src/core/gatewayTypes';

function execWithNodeHttp(gatewayUrl: string, token: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${gatewayUrl}/api/runbooks/exec`, { method: 'POST', headers: { ...authHeaders(token), 'content-type': 'application/json', accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const [mode, gatewayUrl, token, bodyJson] = process.argv.slice(2);
  const body = JSON.parse(bodyJson) as ExecRequestBody;
  const client = new GatewayClient({ gatewayUrl, token });
  if (mode === 'first') {
    console.log(await timed(() => client.exec('v2', body)));
  } else if (mode === 'http') {
    console.log(await timed(() => execWithNodeHttp(gatewayUrl, token, bodyJson)));
  } else if (mode === 'warm') {
    for await (const _line of readline.createInterface({ input: process.stdin })) {
      console.log(await timed(() => client.exec('v2', body)));
    }
  } else {
    throw new Error(`unknown mode ${mode}: first, http or warm`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
