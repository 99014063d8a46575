import { randomUUID } from 'crypto';
import { rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decodeStdBase64 } from './goJson';

/**
 * The exec env vars as the agent builds them (§1.7, agent/terminal/envvar.go): `envvar:NAME` and
 * `filesystem:NAME` keys with standard base64 values; filesystem values become 0600 temp files.
 */
export interface PreparedEnv {
  vars: Record<string, string>;
  /** Removes the filesystem temp files; call after the process exits. */
  cleanup(): void;
}

/** Client vars (asenv + request env_vars) merged under the connection's own secrets, which win. */
export function mergeAgentEnv(clientVars: Record<string, string>, connectionSecrets: Record<string, string> | undefined): Record<string, string> {
  return { ...clientVars, ...(connectionSecrets ?? {}) };
}

/** Validates every key and value first (the agent's errors), then writes filesystem values. Throws the agent's text. */
export function prepareEnv(agentVars: Record<string, string>): PreparedEnv {
  const decoded: { type: 'envvar' | 'filesystem'; name: string; value: Buffer }[] = [];
  for (const [key, encoded] of Object.entries(agentVars)) {
    const parts = key.split(':');
    if (parts.length !== 2) {
      throw new Error(`environment variable key type in unknown format, want=[keytype:key], got=${key}`);
    }
    const [type, name] = parts;
    if (type !== 'envvar' && type !== 'filesystem') {
      throw new Error(`unknow environment variable type "${type}", accepted: "filesystem", "envvar"`);
    }
    const value = decodeStdBase64(encoded);
    if (!Buffer.isBuffer(value)) {
      throw new Error(`failed decoding env var "${name}", err=${value.error}`);
    }
    decoded.push({ type, name, value });
  }

  const files: string[] = [];
  const vars: Record<string, string> = {};
  for (const { type, name, value } of decoded) {
    if (type === 'envvar') {
      vars[name] = value.toString('utf8');
      continue;
    }
    const file = join(tmpdir(), `${randomUUID()}.envfs`);
    writeFileSync(file, value, { mode: 0o600 });
    files.push(file);
    vars[name] = file;
  }
  return {
    vars,
    cleanup: () => files.forEach((file) => rmSync(file, { force: true })),
  };
}
