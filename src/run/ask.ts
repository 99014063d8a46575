import type { EnvVarValue } from '../core/envVars';
import { secretsForRunbook } from '../core/secretsForRunbook';
import { isRememberable } from '../core/parameters';
import type { RunRecipe } from '../core/run/run';
import type { RunMemory } from '../runMemory';
import { runbookKey } from '../runMemory';
import { collectRunInputs, type JiraFieldPrompt, type RunInputs } from '../runInputFlow';
import type { SecretStore } from '../secretStore';
import type { PreparedRun } from './prepare';

/** Values a test, keybinding, task or rerun may pass; each one given skips its prompt. */
export interface GivenInputs {
  connection?: string;
  parameters?: Record<string, string>;
  metadata?: Record<string, string>;
  jiraFields?: Record<string, string>;
  envVars?: EnvVarValue[];
  /** Also offer ad hoc environment variables, file secrets and metadata. */
  withEnvironment?: boolean;
  /** Skip the summary step (reruns, tests). */
  skipConfirm?: boolean;
  /** Rerun with Changes: every step is asked, starting from these values. */
  prefill?: { connection: string; parameters: Record<string, string> };
}

export interface AskServices {
  memory: RunMemory;
  secrets: SecretStore;
  jiraFields: (prepared: PreparedRun, connection: string) => Promise<JiraFieldPrompt[]>;
}

/**
 * The ask phase: one multi-step input for the connection, parameters, required metadata, Jira
 * fields and secrets. What may be remembered is remembered; secrets only where the user chose.
 */
export async function askRunInputs(services: AskServices, prepared: PreparedRun, given: GivenInputs): Promise<RunInputs> {
  const { settings, git, client } = prepared;
  const key = runbookKey(prepared.repository, git.fileName);
  const secretDeclarations = secretsForRunbook(settings.secrets, git.fileName).filter(
    (declaration) => !given.envVars?.some((envVar) => envVar.name === declaration.name && envVar.kind === declaration.kind),
  );
  const inputs = await collectRunInputs({
    runbookName: prepared.name,
    connections: prepared.connections,
    connectionsProblem: prepared.connectionsProblem,
    lastConnection: given.prefill?.connection ?? services.memory.lastConnection(key),
    defaultConnection: settings.defaultConnection,
    specs: prepared.specs,
    rememberedValues: (connection) => (given.prefill?.connection === connection ? given.prefill.parameters : services.memory.lastValues(key, connection)),
    missingMetadataFields: (connection) => missingMetadata(prepared, connection),
    jiraFields: async (connection) => (given.jiraFields ? [] : services.jiraFields(prepared, connection)),
    secrets: secretDeclarations,
    storedSecret: (declaration) => Promise.resolve(services.secrets.getSecret(client.gatewayUrl, declaration.kind, declaration.name)),
    askAdHocEnvironment: given.withEnvironment === true,
    confirm: settings.confirmBeforeRun && !given.skipConfirm ? { clientArgs: settings.clientArgs } : undefined,
    given: { connection: given.connection, parameters: given.parameters, metadata: given.metadata, envVars: given.envVars },
  });
  inputs.jiraFields = { ...inputs.jiraFields, ...given.jiraFields };
  await Promise.all(inputs.secretsToRemember.map((envVar) => services.secrets.setSecret(client.gatewayUrl, envVar.kind, envVar.name, envVar.value)));
  await services.memory.remember(key, inputs.connection, rememberableValues(prepared, inputs.parameters));
  return inputs;
}

/** What a rerun may reuse: the connection and every value that is not secret or a file. */
export function recipeOf(prepared: PreparedRun, inputs: RunInputs): RunRecipe {
  return {
    uri: prepared.uri.toString(),
    connection: inputs.connection,
    parameters: rememberableValues(prepared, inputs.parameters),
    metadata: { ...inputs.metadata },
  };
}

function rememberableValues(prepared: PreparedRun, parameters: Record<string, string>): Record<string, string> {
  const rememberable = new Set(prepared.specs.filter(isRememberable).map((spec) => spec.name));
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => rememberable.has(name)));
}

function missingMetadata(prepared: PreparedRun, connectionName: string): string[] {
  const fields = prepared.connections.find((connection) => connection.name === connectionName)?.mandatory_metadata_fields ?? [];
  return fields.filter((field) => prepared.settings.metadata[field] === undefined);
}
