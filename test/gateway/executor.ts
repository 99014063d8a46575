import { spawn } from 'child_process';
import { constants, tmpdir } from 'os';
import { prepareEnv } from './envVars';

/** What the agent does for a runbook exec (§2.8): `command + client_args`, rendered text on stdin. */
export interface ExecSpec {
  command: string[];
  clientArgs: string[];
  script: string;
  /** Merged `envvar:`/`filesystem:` map (already with the connection's secrets applied). */
  agentEnv: Record<string, string>;
  /** Every stdout ('o') and stderr ('e') chunk in arrival order, for the session's event stream. */
  onOutput(stream: 'o' | 'e', chunk: Buffer): void;
}

export interface ExecResult {
  output: string;
  exitCode: number;
  truncated: boolean;
  executionTimeMs: number;
}

export interface RunningExec {
  result: Promise<ExecResult>;
  /** Kills the whole process group; the result then reports the signal as 128+n. */
  kill(): void;
}

/** sessionwal.DefaultMaxRead: the gateway cuts `output` at 110 MiB. */
const MAX_OUTPUT_BYTES = 110 * 1024 * 1024;
/** agent/controller/const.go internalExitCode. */
export const AGENT_INTERNAL_EXIT_CODE = 254;

export function startExec(spec: ExecSpec): RunningExec {
  const started = Date.now();
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const collect = (stream: 'o' | 'e', chunk: Buffer) => {
    spec.onOutput(stream, chunk);
    if (size + chunk.length > MAX_OUTPUT_BYTES) {
      chunks.push(chunk.subarray(0, MAX_OUTPUT_BYTES - size));
      size = MAX_OUTPUT_BYTES;
      truncated = true;
      return;
    }
    if (!truncated) {
      chunks.push(chunk);
      size += chunk.length;
    }
  };
  const finish = (exitCode: number): ExecResult => ({
    output: Buffer.concat(chunks).toString('utf8'),
    exitCode,
    truncated,
    executionTimeMs: Date.now() - started,
  });
  // Failures before the process starts: the agent writes the error to stderr and closes with 254.
  const agentFailure = (text: string): RunningExec => {
    collect('e', Buffer.from(text));
    return { result: Promise.resolve(finish(AGENT_INTERNAL_EXIT_CODE)), kill: () => undefined };
  };

  let env: ReturnType<typeof prepareEnv>;
  try {
    env = prepareEnv(spec.agentEnv);
  } catch (err) {
    return agentFailure((err as Error).message);
  }
  const [program, ...args] = spec.command;
  if (!program) {
    env.cleanup();
    return agentFailure('connection command is empty');
  }

  const child = spawn(program, [...args, ...spec.clientArgs], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), LANG: process.env.LANG ?? 'C.UTF-8', ...env.vars },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own process group, so kill() also stops grandchildren such as `sleep`
  });
  child.stdout.on('data', (chunk: Buffer) => collect('o', chunk));
  child.stderr.on('data', (chunk: Buffer) => collect('e', chunk));
  child.stdin.on('error', () => undefined); // the interpreter may exit before reading all of stdin
  child.stdin.end(spec.script);

  const result = new Promise<ExecResult>((resolve) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      env.cleanup();
      const text = err.code === 'ENOENT' ? `exec: "${program}": executable file not found in $PATH` : err.message;
      collect('e', Buffer.from(text));
      resolve(finish(AGENT_INTERNAL_EXIT_CODE));
    });
    child.on('close', (code, signal) => {
      env.cleanup();
      resolve(finish(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  });

  return {
    result,
    kill: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    },
  };
}
