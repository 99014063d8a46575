import type { ApiRoute } from './gatewayClient';
import type { ExecRequestBody } from './gatewayTypes';
import { encodeEnvVars, type EnvVarValue } from './envVars';
import { isSecretParameter, type ParameterSpec } from './parameters';

/** Everything collected for one run, before it is sent. */
export interface RunRequest {
  gatewayUrl: string;
  route: ApiRoute;
  connection: string;
  repository: string;
  fileName: string;
  refHash: string;
  branch?: string;
  parameters: Record<string, string>;
  parameterSpecs: ParameterSpec[];
  envVars: EnvVarValue[];
  clientArgs: string[];
  metadata: Record<string, string>;
  /** Fresh per run, so its session can be found before the exec answer (V2 only, §1.9). */
  correlationId?: string;
  /** Shared by the runs of one parallel batch. */
  sessionBatchId?: string;
  /** Answers to the connection's Jira issue template, keyed by `jira_field` (§1.8). */
  jiraFields?: Record<string, string>;
}

/** Every value goes out as a JSON string: the gateway rejects numbers (hoop-gateway.md §1.2). */
export function buildExecBody(run: RunRequest): ExecRequestBody {
  return {
    connection_name: run.connection,
    repository: run.repository,
    file_name: run.fileName,
    ref_hash: run.refHash,
    parameters: Object.fromEntries(Object.entries(run.parameters).map(([name, value]) => [name, String(value)])),
    env_vars: encodeEnvVars(run.envVars),
    client_args: [...run.clientArgs],
    metadata: Object.fromEntries(Object.entries(run.metadata).map(([key, value]) => [key, String(value)])),
    ...(run.correlationId ? { correlation_id: run.correlationId } : {}),
    ...(run.sessionBatchId ? { session_batch_id: run.sessionBatchId } : {}),
    ...(run.jiraFields ? { jira_fields: { ...run.jiraFields } } : {}),
  };
}

/** Values that must never be shown: password and `asenv` parameters and every env var value. */
export function secretValuesOf(run: Pick<RunRequest, 'parameters' | 'parameterSpecs' | 'envVars'>): string[] {
  const passwords = run.parameterSpecs.filter(isSecretParameter).map((spec) => run.parameters[spec.name] ?? '');
  return [...passwords, ...run.envVars.map((envVar) => envVar.value)].filter((value) => value !== '');
}
