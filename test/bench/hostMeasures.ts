// The measures that need code-server's extension host: activation (VS Code's own figures, from
// Developer: Show Running Extensions) and runbook discovery (findFiles, via an extension-host suite).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from '../host/browser';
import { installVsixInto, startCodeServer } from '../host/codeServer';
import { isHostProvisioned, repoRoot } from '../host/paths';
import { runExtensionHostSuite } from '../host/runExtensionHostSuite';
import { packageVsix } from '../host/vsix';
import { runGit } from '../support/gitRepos';
import { poll, Workbench } from '../ui/workbench';
import { ms, row, skipped, type Row } from './stats';

const ourName = 'Hoop Runbooks';
const trivialName = 'Host proof: trivial extension';
const benchCache = path.join(repoRoot, '.vscode-test', 'bench');

// Each running extension's row: name and "Startup Activation: 12ms" / "Activation: 12ms" (load + activate() call).
// A string: tsconfig has no DOM lib for the page's globals.
const readActivationTimesScript = `[...document.querySelectorAll('.runtime-extensions-editor .monaco-list-row')].map((row) => [
  row.querySelector('.name')?.textContent ?? '', row.querySelector('.activation-time')?.textContent ?? ''])`;

function activationMs(rows: [string, string][], name: string): number | undefined {
  const time = rows.find(([rowName]) => rowName === name)?.[1];
  const match = time && /Activation: (\d+(?:\.\d+)?)ms/.exec(time);
  return match ? Number(match[1]) : undefined;
}

/**
 * Both extensions load in the same extension host, so each page load measures ours and the do-nothing one
 * alike; the figure is VS Code's own (codeLoadingTime + activateCallTime). "At start-up": a workspace with a
 * runbook (workspaceContains). "Explicit": a workspace without one, then a Hoop command activates ours.
 */
export async function measureActivation(repetitions: number): Promise<Row[]> {
  const names = ['activation at start-up vs a do-nothing extension', 'activation by a command vs a do-nothing extension'];
  if (!isHostProvisioned()) return names.map((name) => skipped(name, 'code-server is not provisioned (node test/host/provision.mjs)', '≤ 2×'));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-bench-activation-'));
  const withRunbook = path.join(temp, 'with-runbook');
  const withoutRunbook = path.join(temp, 'without-runbook');
  fs.mkdirSync(withRunbook);
  fs.mkdirSync(withoutRunbook);
  fs.writeFileSync(path.join(withRunbook, 'hello.runbook.sh'), 'echo "hello {{ .name | default "world" }}"\n');
  fs.writeFileSync(path.join(withoutRunbook, 'notes.txt'), 'no runbooks here\n');
  const extensionsDir = path.join(temp, 'extensions');
  await installVsixInto(await packageVsix(path.join(repoRoot, 'test', 'host', 'fixtures', 'trivial-extension'), path.join(temp, 'trivial.vsix')), extensionsDir);
  const server = await startCodeServer({ workspaceFolder: withRunbook, extensionsDir, installVsix: path.join(repoRoot, 'dist', 'hoop-runbooks.vsix'), stateDir: temp });
  // Tall: the running extensions list only renders the rows on screen.
  const session = await launchBrowser({ viewport: { width: 1280, height: 3000 } });
  try {
    const measureOnce = async (folder: string, activateOurs: boolean) => {
      const workbench = await Workbench.open(session.page, `${server.origin}/?folder=${encodeURIComponent(folder)}`);
      // The palette lists an extension's commands once the extension host has read its manifest: try again until then.
      if (activateOurs) await poll('Hoop: Show Runbook Output to run', 60_000, () => workbench.runCommand('Hoop: Show Runbook Output', 5_000).then(() => true));
      await workbench.runCommand('Developer: Show Running Extensions');
      return poll('both extensions in Running Extensions', 30_000, async () => {
        const rows = (await session.page.evaluate(readActivationTimesScript)) as [string, string][];
        const ours = activationMs(rows, ourName);
        const trivial = activationMs(rows, trivialName);
        return ours !== undefined && trivial !== undefined ? { ours, trivial } : undefined;
      });
    };
    const rows: Row[] = [];
    // Each case gets every repetition: one page load measures both extensions, and the bench stays under 5 minutes.
    for (const [index, [folder, activateOurs, runs]] of ([[withRunbook, false, repetitions], [withoutRunbook, true, repetitions]] as const).entries()) {
      const times = { ours: [] as number[], trivial: [] as number[] };
      for (let repetition = 0; repetition < runs; repetition++) {
        const { ours, trivial } = await measureOnce(folder, activateOurs);
        times.ours.push(ours);
        times.trivial.push(trivial);
      }
      rows.push(row(`${names[index]} (${runs} loads)`, ms, { kind: 'ratio', max: 2 }, times.ours, times.trivial));
    }
    return rows;
  } finally {
    await session.close();
    await server.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** A git repository with one commit of everything in `folder`: runbooks live in repositories the gateway reads. */
function commitAll(folder: string): void {
  runGit(folder, 'init', '-q', '-b', 'main');
  runGit(folder, 'add', '-A');
  runGit(folder, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'runbooks');
}

/** 100,000 files in 1,000 folders, 200 of them runbooks, committed; made once and kept under .vscode-test/bench/. */
function largeWorkspace(): string {
  const folder = path.join(benchCache, 'workspace-100k-git');
  const marker = path.join(folder, '.complete');
  if (fs.existsSync(marker)) return folder;
  fs.rmSync(folder, { recursive: true, force: true });
  for (let file = 0; file < 100_000; file++) {
    const dir = path.join(folder, `pkg${Math.floor(file / 100)}`, file % 2 ? 'src' : 'lib');
    if (file % 100 < 2) fs.mkdirSync(dir, { recursive: true });
    const name = file % 500 === 0 ? `task${file}.runbook.sh` : `module${file}.ts`;
    fs.writeFileSync(path.join(dir, name), `// ${file}\n`);
  }
  commitAll(folder);
  fs.writeFileSync(marker, '');
  return folder;
}

export async function measureDiscovery(repetitions: number): Promise<Row[]> {
  const goal = '≤ 1.2×';
  const names = ['runbook discovery, 100,000 files / 200 runbooks, vs rg --files', 'runbook discovery, 1 runbook, vs rg --files'];
  if (!isHostProvisioned()) return names.map((name) => skipped(name, 'code-server is not provisioned (node test/host/provision.mjs)', goal));
  if (spawnSync('rg', ['--version']).error) return names.map((name) => skipped(name, 'ripgrep is not installed (apt-get install -y ripgrep)', goal));
  const small = fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-bench-one-runbook-'));
  fs.writeFileSync(path.join(small, 'hello.runbook.sh'), 'echo hello\n');
  commitAll(small);
  const rows: Row[] = [];
  try {
    for (const [index, folder] of [largeWorkspace(), small].entries()) {
      const resultFile = path.join(os.tmpdir(), `hoop-bench-discovery-${process.pid}-${index}.json`);
      const { exitCode } = await runExtensionHostSuite({
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: path.join(repoRoot, 'out', 'test', 'bench', 'discoverySuite.js'),
        workspaceFolder: folder,
        env: { BENCH_RESULT_FILE: resultFile, BENCH_REPETITIONS: String(repetitions) },
        onLog: () => undefined,
        label: 'bench-discovery',
      });
      if (exitCode !== 0 || !fs.existsSync(resultFile)) {
        rows.push({ ...skipped(names[index], `the extension-host suite exited ${exitCode}`, goal), met: false });
        continue;
      }
      const { ours, baseline, found } = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { ours: number[]; baseline: number[]; found: number };
      fs.rmSync(resultFile);
      rows.push(row(`${names[index]} (found ${found})`, ms, { kind: 'ratio', max: 1.2 }, ours, baseline));
    }
  } finally {
    fs.rmSync(small, { recursive: true, force: true });
  }
  return rows;
}
