import type { ApiRoute } from '../../src/core/gatewayClient';
import type { RunRequest } from '../../src/core/runRequest';

/** A run of ops/hello.runbook.sh on connection "bash-local" of github.com/acme/runbooks, changed by `overrides`. */
export function helloRunRequest(route: ApiRoute, overrides: Partial<RunRequest> & Pick<RunRequest, 'gatewayUrl' | 'refHash'>): RunRequest {
  return {
    route,
    connection: 'bash-local',
    repository: 'github.com/acme/runbooks',
    fileName: 'ops/hello.runbook.sh',
    parameters: { name: 'world' },
    parameterSpecs: [],
    envVars: [],
    clientArgs: [],
    metadata: {},
    ...overrides,
  };
}
