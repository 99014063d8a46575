// Runs inside code-server's extension host (the extensionTestsPath contract: run()): times the extension's
// runbook discovery (git's listing where the folder is a repository, else findFiles, as src/workspaceRunbooks.ts)
// against `rg --files -g '*.runbook.*'` over the same folder, in turns, and writes the times to
// BENCH_RESULT_FILE as { ours: number[], baseline: number[], found: number }.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { findWorkspaceRunbooks } from '../../src/workspaceRunbooks';
import { alternate } from './stats';

const runProcess = promisify(execFile);

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const repetitions = Number(process.env.BENCH_REPETITIONS ?? 10);
  let found = 0;
  const ours = async () => {
    const started = performance.now();
    found = (await findWorkspaceRunbooks()).length;
    return performance.now() - started;
  };
  const ripgrep = async () => {
    const started = performance.now();
    await runProcess('rg', ['--files', '-g', '*.runbook.*', folder], { maxBuffer: 64 * 1024 * 1024 });
    return performance.now() - started;
  };
  await ours(); // the search service starts on first use
  const times = await alternate(repetitions, ours, ripgrep);
  fs.writeFileSync(process.env.BENCH_RESULT_FILE!, JSON.stringify({ ...times, found }));
}
