import { strict as assert } from 'node:assert';
import { GatewayClient, type GatewayClientOptions } from '../../src/core/gatewayClient';
import type { ExecRequestBody } from '../../src/core/gatewayTypes';

/** Every fault test runs with this timeout, so a stalled answer ends quickly; the bound below allows for slow CI. */
export const faultTimeoutMs = 1000;
const slack = 2000;
/** Small caps, so a "huge" answer needs megabytes, not hundreds. */
export const faultLimits = { run: 4 * 1024 * 1024, read: 1024 * 1024 };
export const token = 'hpk_fault_tests';
export const correlationId = 'corr-fault-1';

export const execBody: ExecRequestBody = {
  connection_name: 'pg',
  repository: 'github.com/acme/runbooks',
  file_name: 'ops/refund.runbook.sh',
  ref_hash: 'a'.repeat(40),
  parameters: { amount: '10' },
  env_vars: {},
  client_args: [],
  metadata: {},
  correlation_id: correlationId,
};

export function faultClient(gatewayUrl: string, overrides: Partial<GatewayClientOptions> = {}): GatewayClient {
  return new GatewayClient({ gatewayUrl, token, execTimeoutMs: faultTimeoutMs, requestTimeoutMs: faultTimeoutMs, maxAnswerBytes: faultLimits, ...overrides });
}

export interface Attempt<T> {
  value?: T;
  error?: unknown;
  elapsedMs: number;
}

/** Runs the call and asserts it ended within the timeout (plus slack): no fault may hold it longer. */
export async function attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
  const started = Date.now();
  const result: Attempt<T> = await call().then(
    (value) => ({ value, elapsedMs: 0 }),
    (error: unknown) => ({ error, elapsedMs: 0 }),
  );
  result.elapsedMs = Date.now() - started;
  assert.ok(result.elapsedMs < faultTimeoutMs + slack, `took ${result.elapsedMs} ms, more than the ${faultTimeoutMs} ms timeout allows`);
  return result;
}

/** The error of a call that must fail, checked to be of `type` with a message matching `words`. */
export function expectError<E>(result: Attempt<unknown>, type: abstract new (...args: never[]) => E, words: RegExp): E {
  assert.ok(result.error instanceof type, `expected ${type.name}, got ${result.error instanceof Error ? `${result.error.name}: ${result.error.message}` : JSON.stringify(result.value)}`);
  assert.match((result.error as Error).message, words);
  return result.error;
}
