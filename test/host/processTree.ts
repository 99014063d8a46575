import { ChildProcess } from 'child_process';
import * as fs from 'fs';

/** Every live descendant of `rootPid` (Linux /proc walk), children before parents' siblings. */
export function descendantPids(rootPid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const list = childrenOf.get(ppid) ?? [];
    list.push(Number(entry));
    childrenOf.set(ppid, list);
  }
  const result: number[] = [];
  const walk = (pid: number): void => {
    for (const child of childrenOf.get(pid) ?? []) {
      result.push(child);
      walk(child);
    }
  };
  walk(rootPid);
  return result;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a process started with `detached: true` (its own process group) and
 * every descendant, including ones that moved to another group (VS Code's
 * pty host and extension host may). SIGTERM first, SIGKILL after `graceMs`.
 */
export async function killProcessTree(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const pids = [pid, ...descendantPids(pid)];
  signal(-pid, 'SIGTERM');
  for (const p of pids) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // Grandchildren may have been started while we waited.
  const stragglers = [...new Set([...pids, ...descendantPids(pid)])].filter(isAlive);
  signal(-pid, 'SIGKILL');
  for (const p of stragglers) signal(p, 'SIGKILL');
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((r) => {
      const timer = setTimeout(r, 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        r();
      });
    });
  }
}

/**
 * Processes whose environment holds `needle` (e.g. a unique temp dir given as
 * XDG_CONFIG_HOME): finds descendants even after they were re-parented to init.
 */
export function processesWithEnvironment(needle: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(needle)) found.push(Number(entry));
    } catch {
      // exited, or not ours to read
    }
  }
  return found;
}
