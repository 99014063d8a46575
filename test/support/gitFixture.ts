import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { runGit } from './gitRepos';

export interface RunbookRepoOptions {
  /** Repo-relative path → content, committed and pushed as the first commit. */
  files: Record<string, string>;
  /** The clone's `remote.origin.url`. Default `https://github.com/acme/runbooks.git`. */
  remoteUrl?: string;
  /** Default `main`. */
  branch?: string;
  /** Default `Add runbooks`. */
  message?: string;
  /** Folder to create the repositories in. Default: the OS temp folder. */
  parentDir?: string;
}

export interface RunbookRepo {
  /** The clone (a work tree) whose origin points at `remoteUrl`. */
  workDir: string;
  /** The bare "remote"; give this to the local gateway as the repository path. */
  bareDir: string;
  remoteUrl: string;
  branch: string;
  /** Writes files (null deletes one) and commits them in `workDir`; returns the new sha. Does not push. */
  commit(files: Record<string, string | null>, message: string): string;
  /** Pushes the branch to the bare remote. */
  push(): void;
  /** The sha of HEAD in `workDir`. */
  head(): string;
  /** Runs git in `workDir` and returns trimmed stdout. */
  git(...args: string[]): string;
  cleanup(): void;
}

/**
 * A temp git repository with a bare remote. The clone's `remote.origin.url` is a realistic URL, and
 * a repo-local `url.<bareDir>.insteadOf` rewrites it to the bare folder so push and fetch work offline.
 */
export function createRunbookRepo(options: RunbookRepoOptions): RunbookRepo {
  const remoteUrl = options.remoteUrl ?? 'https://github.com/acme/runbooks.git';
  const branch = options.branch ?? 'main';
  // Real path, so expectations compare with what git reports (macOS /var → /private/var).
  const root = realpathSync(mkdtempSync(join(options.parentDir ?? tmpdir(), 'hoop-runbooks-')));
  const bareDir = join(root, 'remote.git');
  const workDir = join(root, 'work');

  try {
    runGit(root, 'init', '--quiet', '--bare', `--initial-branch=${branch}`, bareDir);
    runGit(root, 'init', '--quiet', `--initial-branch=${branch}`, workDir);
    const git = (...args: string[]) => runGit(workDir, ...args);
    git('config', 'user.name', 'Runbook Author');
    git('config', 'user.email', 'author@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('remote', 'add', 'origin', remoteUrl);
    git('config', `url.${bareDir}.insteadOf`, remoteUrl);

    const repo: RunbookRepo = {
      workDir,
      bareDir,
      remoteUrl,
      branch,
      git,
      commit(files, message) {
        for (const [path, content] of Object.entries(files)) {
          const full = join(workDir, path);
          if (content === null) {
            git('rm', '--quiet', '--', path);
            continue;
          }
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
          git('add', '--', path);
        }
        git('commit', '--quiet', '--allow-empty', '-m', message);
        return repo.head();
      },
      push() {
        git('push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      },
      head: () => git('rev-parse', 'HEAD'),
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
    repo.commit(options.files, options.message ?? 'Add runbooks');
    repo.push();
    git('branch', '--quiet', `--set-upstream-to=origin/${branch}`);
    return repo;
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}
