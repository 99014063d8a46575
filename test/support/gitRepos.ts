/**
 * Real git repositories in a temp folder, driven by the git CLI (see also gitFixture.ts for a runbook repo).
 * Each repository can get a bare "remote" reached through `url.<bare>.insteadOf`, so `origin`
 * keeps a realistic url while push still works offline.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestRepo {
  readonly workDir: string;
  /** Runs git in the work tree and returns its trimmed output. */
  git(...args: string[]): string;
  /** Writes files (paths relative to the work tree, folders created as needed). */
  write(files: Record<string, string>): void;
  /** Writes, stages and commits the files; returns the new HEAD sha. */
  commit(files: Record<string, string>, message?: string): string;
  /** Pushes the current branch to origin. */
  push(): void;
}

export class GitSandbox {
  /** Real path of the sandbox, so expectations compare with what git reports. */
  readonly root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hoop-git-')));
  private remoteCount = 0;

  /** Creates a repository at `relativeDir`; with `originUrl`, origin is that url backed by a bare repo here. */
  repo(relativeDir: string, options: { originUrl?: string } = {}): TestRepo {
    const workDir = path.join(this.root, relativeDir);
    fs.mkdirSync(workDir, { recursive: true });
    runGit(workDir, 'init', '--quiet', '--initial-branch=main');
    runGit(workDir, 'config', 'user.name', 'Runbook Tester');
    runGit(workDir, 'config', 'user.email', 'tester@example.com');
    runGit(workDir, 'config', 'commit.gpgsign', 'false');
    if (options.originUrl !== undefined) {
      const bareDir = path.join(this.root, 'remotes', `${++this.remoteCount}.git`);
      runGit(this.root, 'init', '--quiet', '--bare', '--initial-branch=main', bareDir);
      runGit(workDir, 'remote', 'add', 'origin', options.originUrl);
      runGit(workDir, 'config', `url.${bareDir}.insteadOf`, options.originUrl);
    }
    const write = (files: Record<string, string>): void => {
      for (const [name, content] of Object.entries(files)) {
        const target = path.join(workDir, name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    };
    return {
      workDir,
      git: (...args) => runGit(workDir, ...args),
      write,
      commit(files, message = 'Update runbooks') {
        write(files);
        runGit(workDir, 'add', '--', ...Object.keys(files));
        runGit(workDir, 'commit', '--quiet', '-m', message);
        return runGit(workDir, 'rev-parse', 'HEAD');
      },
      push: () => void runGit(workDir, 'push', '--quiet', 'origin', 'HEAD'),
    };
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function runGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: isolatedGitEnvironment(), encoding: 'utf8' }).trim();
}

/** Free of the caller's git hook variables (GIT_DIR, GIT_INDEX_FILE, …) and of the developer's own git config. */
function isolatedGitEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toUpperCase().startsWith('GIT_')));
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, GIT_TERMINAL_PROMPT: '0' };
}
