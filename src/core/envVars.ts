export type EnvVarKind = 'envvar' | 'filesystem';

/** A secret a runbook needs, declared in the `hoop.secrets` setting. */
export interface SecretDeclaration {
  name: string;
  kind: EnvVarKind;
  /** Glob over the repository-relative runbook path. */
  runbooks: string;
  description?: string;
}

export interface EnvVarValue {
  name: string;
  kind: EnvVarKind;
  value: string;
}

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a name can't be an environment variable (the agent splits keys on ":"), or undefined when it can. */
export function validateEnvVarName(name: string): string | undefined {
  return envVarName.test(name) ? undefined : `"${name}" is not a valid environment variable name: use letters, digits and _, not starting with a digit.`;
}

/** Reads the raw setting leniently; entries that can't be used are reported, not silently dropped. */
export function parseSecretDeclarations(raw: unknown): { declarations: SecretDeclaration[]; problems: string[] } {
  const declarations: SecretDeclaration[] = [];
  const problems: string[] = [];
  for (const [index, entry] of (Array.isArray(raw) ? raw : []).entries()) {
    const item = (entry ?? {}) as Partial<Record<keyof SecretDeclaration, unknown>>;
    const name = typeof item.name === 'string' ? item.name : '';
    const nameProblem = validateEnvVarName(name);
    if (nameProblem) {
      problems.push(`hoop.secrets[${index}]: ${nameProblem}`);
      continue;
    }
    const kind = item.kind === 'filesystem' ? 'filesystem' : 'envvar';
    const runbooks = typeof item.runbooks === 'string' && item.runbooks ? item.runbooks : '**';
    const declaration: SecretDeclaration = { name, kind, runbooks };
    if (typeof item.description === 'string') declaration.description = item.description;
    declarations.push(declaration);
  }
  return { declarations, problems };
}

/** hoop-gateway.md §1.7: `{"envvar:NAME": base64}` exposes a variable, `{"filesystem:NAME": base64}` a temp file path. */
export function encodeEnvVars(values: EnvVarValue[]): Record<string, string> {
  return Object.fromEntries(values.map(({ name, kind, value }) => [`${kind}:${name}`, Buffer.from(value, 'utf8').toString('base64')]));
}
