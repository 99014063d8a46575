// Apart from envVars.ts so that reading the settings at activation does not load minimatch.
import { minimatch } from 'minimatch';
import type { SecretDeclaration } from './envVars';

/** The declared secrets whose `runbooks` glob matches this repository-relative runbook path. */
export function secretsForRunbook(declarations: SecretDeclaration[], fileName: string): SecretDeclaration[] {
  return declarations.filter((declaration) => minimatch(fileName, declaration.runbooks, { dot: true, matchBase: !declaration.runbooks.includes('/') }));
}
