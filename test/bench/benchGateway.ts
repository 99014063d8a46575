// The local gateway with the runbooks the bench runs: a quick one, one printing hoop's 110 MiB output limit
// with secrets in it, and one printing timestamped lines for the live-output latency.
import { startLocalGateway, type LocalGateway } from '../gateway/localGateway';
import { createRunbookRepo, type RunbookRepo } from '../support/gitFixture';
import { GatewayClient } from '../../src/core/gatewayClient';
import type { RunRequest } from '../../src/core/runRequest';

export const benchToken = 'bench-token';
const repository = 'github.com/acme/bench-runbooks';
/** hoop's output limit; BENCH_BIG_OUTPUT_MIB picks a smaller size while working on the bench. */
export const bigOutputBytes = Number(process.env.BENCH_BIG_OUTPUT_MIB ?? 110) * 1024 * 1024;
/** The three secrets the big output carries and the masker redacts. */
export const benchSecrets = ['s3cr3t-alpha-7f2e', 'hunter2-bravo-91aa', 'p@ss-charlie-0c3d'];

export const benchRunbooks = {
  quick: 'bench/echo.runbook.sh',
  bigOutput: 'bench/big-output.runbook.sh',
  liveLines: 'bench/live-lines.runbook.sh',
} as const;

const runbookFiles: Record<string, string> = {
  [benchRunbooks.quick]: 'echo "hello {{ .name | default "bench" }}"\n',
  // Lines of ~100 bytes, a third of them holding one of the secrets; cut at exactly 110 MiB.
  [benchRunbooks.bigOutput]: `yes "line of build output, step ok; token $SECRET_A; more text to fill the line up to a hundred bytes..
line of build output, step ok; user $SECRET_B; more text to fill the line up to a hundred bytes...
line of build output, step ok; pass $SECRET_C; more text to fill the line up to a hundred bytes...." | head -c ${bigOutputBytes}\n`,
  // Each line carries the moment it was printed (ms since the epoch), for the latency to the run's output.
  [benchRunbooks.liveLines]: 'for i in $(seq 1 {{ .lines | default "12" }}); do echo "printed-at $(date +%s%3N)"; sleep 0.25; done\n',
};

/** What the extension sends for `fileName`: no parameters; the big output's secrets as env vars. */
export function benchRequest(gatewayUrl: string, fileName: string): RunRequest {
  return {
    gatewayUrl,
    route: 'v2',
    connection: 'bash-local',
    repository,
    fileName,
    refHash: '',
    parameters: {},
    parameterSpecs: [],
    envVars: fileName === benchRunbooks.bigOutput ? benchSecrets.map((value, index) => ({ name: `SECRET_${'ABC'[index]}`, kind: 'envvar' as const, value })) : [],
    clientArgs: [],
    metadata: {},
  };
}

export interface BenchGateway {
  gateway: LocalGateway;
  repo: RunbookRepo;
  client(): GatewayClient;
  request(fileName: string): RunRequest;
  close(): Promise<void>;
}

export async function startBenchGateway(): Promise<BenchGateway> {
  const repo = createRunbookRepo({ files: runbookFiles, remoteUrl: `https://${repository}.git` });
  const gateway = await startLocalGateway({
    users: { [benchToken]: { email: 'bench@acme.example', role: 'standard', groups: ['engineering'] } },
    repositories: [{ gitUrl: `https://${repository}.git`, path: repo.bareDir }],
    connections: [{ name: 'bash-local', type: 'custom', subtype: 'custom', command: ['bash'] }],
    // The stream is live; stored output only matters to polling, which the bench does not use.
    flushIntervalMs: 1_000,
  });
  return {
    gateway,
    repo,
    client: () => new GatewayClient({ gatewayUrl: gateway.url, token: benchToken }),
    request: (fileName) => benchRequest(gateway.url, fileName),
    close: async () => {
      await gateway.close();
      repo.cleanup();
    },
  };
}
