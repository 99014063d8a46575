/**
 * Which repository and commit a runbook file belongs to, read with the git CLI (through simple-git).
 * The gateway ignores `ref_hash` and runs the tip of its own branch from its own clone
 * (docs: hoop-gateway.md §0.3, §3), so what matters to the user is whether the file as they see it
 * is committed and pushed. Local and read-only: this never fetches.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { simpleGit, type SimpleGit } from 'simple-git';
import { ConfigurationError, GitCommandError, GitNotFoundError, NoCommitError, NotInGitRepositoryError } from './errors';
import { normalizeGitUrl } from './gitUrl';

export type WorkingTreeState = 'clean' | 'modified' | 'staged' | 'untracked';

export interface RunbookGitInfo {
  /** Absolute, real top-level folder of the innermost repository that contains the file. */
  repoRoot: string;
  /** Path relative to `repoRoot`, with `/` separators and no leading `/`. */
  fileName: string;
  /** HEAD commit sha. */
  refHash: string;
  /** Current branch; undefined when HEAD is detached. */
  branch?: string;
  /** The file compared with HEAD: `modified` has unstaged changes, `staged` only staged ones. */
  fileState: WorkingTreeState;
  /** HEAD is contained in at least one remote-tracking branch (as `git branch -r --contains HEAD`). */
  pushed: boolean;
  /** Configured url of remote `origin`, before any `url.<base>.insteadOf` rewriting. */
  originUrl?: string;
  /** The gateway's repository key for `originUrl`, when it has one. */
  repository?: string;
}

export async function readRunbookGitInfo(filePath: string, options: { gitBinary?: string } = {}): Promise<RunbookGitInfo> {
  // Real paths on both sides: the editor's path may go through a symlink or differ in case from git's top level.
  const realFile = await fs.realpath(filePath).catch(() => {
    throw new ConfigurationError(`${filePath} is not saved on disk: save it in the runbooks repository, commit and push it, then run it.`);
  });
  const git = gitIn(path.dirname(realFile), options.gitBinary);

  // All queries run at once. Each prints something even when the answer is "nothing",
  // because simple-git waits an extra 50 ms after a command that printed nothing.
  const [topLevel, status, origin, unpushedCount] = await Promise.allSettled([
    git.raw(['rev-parse', '--show-toplevel']),
    git.raw([
      '--literal-pathspecs',
      'status',
      '--porcelain=v2',
      '-z',
      '--branch',
      '--no-ahead-behind',
      '--untracked-files=all',
      '--ignored=matching',
      '--',
      path.basename(realFile),
    ]),
    git.raw(['config', '--default', '', '--get', 'remote.origin.url']),
    // 0 when HEAD is reachable from some remote-tracking branch, else 1.
    git.raw(['rev-list', '--count', '--max-count=1', 'HEAD', '--not', '--remotes']),
  ]);

  // Only the newline goes: a folder name may end in a space.
  const repoRoot = await fs.realpath(settled(topLevel, filePath).replace(/\r?\n$/, ''));
  const { headOid, headName, fileState } = parseStatus(settled(status, filePath));
  if (headOid === '(initial)') {
    throw new NoCommitError(repoRoot);
  }
  const originUrl = settled(origin, filePath).trim() || undefined;
  return {
    repoRoot,
    fileName: path.relative(repoRoot, realFile).split(path.sep).join('/'),
    refHash: headOid,
    branch: headName === '(detached)' ? undefined : headName,
    fileState,
    pushed: settled(unpushedCount, filePath).trim() === '0',
    originUrl,
    repository: originUrl === undefined ? undefined : normalizeGitUrl(originUrl),
  };
}

function gitIn(folder: string, gitBinary = 'git'): SimpleGit {
  return simpleGit({
    baseDir: folder,
    binary: gitBinary,
    // The binary comes from the user's own settings; simple-git otherwise rejects paths with spaces (C:\Program Files\…).
    unsafe: { allowUnsafeCustomBinary: true },
  }).env(gitEnvironment());
}

/** The pathspec of hoop's rule (the name contains ".runbook.") for `git ls-files`. */
const runbookPathspec = ':(glob)**/*.runbook.*';

/**
 * The runbooks committed under `folder` (in git's index and still on disk), relative to `folder` with `/`
 * separators: the ones the gateway can have. Undefined when `folder` is not in a git work tree or git cannot
 * run. Reading the index takes a fraction of a walk of the folder (100,000 files: about 0.35× `rg --files`
 * in `npm run bench`); listing untracked files as well would walk the whole folder, as rg does. Run directly
 * rather than through simple-git, which waits 50 ms more after a command that prints nothing.
 */
export async function listRunbookFiles(folder: string): Promise<string[] | undefined> {
  const listing = await promisify(execFile)('git', ['ls-files', '-z', '--cached', '--', runbookPathspec], {
    cwd: folder, env: gitEnvironment(), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8',
  }).then(({ stdout }) => stdout, () => undefined);
  if (listing === undefined) return undefined;
  // A deleted file stays in the index until the deletion is committed. Checking the listed runbooks here
  // costs a few milliseconds; git's own --deleted checks every file in the index (100,000 files: 80 ms).
  const listed = [...new Set(listing.split('\0').filter(Boolean))];
  const onDisk = await Promise.all(listed.map((file) => fs.lstat(path.join(folder, file)).then(() => true, () => false)));
  return listed.filter((_, index) => onDisk[index]);
}

/** The runbook at the commit the gateway reads, compared with HEAD. */
export type GatewayCopy = 'same' | 'differs' | 'missing' | 'unknown-commit';

/**
 * The gateway ignores `ref_hash` and runs the tip of its own branch (cached up to 5 minutes), whose
 * commit its listing names. A pushed HEAD is not enough: the push may be to another branch, or newer
 * than the gateway's cache. Local only: a commit this clone lacks is `unknown-commit`.
 */
export async function compareWithGatewayCommit(info: RunbookGitInfo, gatewayCommit: string, options: { gitBinary?: string } = {}): Promise<GatewayCopy> {
  if (gatewayCommit === info.refHash) {
    return 'same';
  }
  const git = gitIn(info.repoRoot, options.gitBinary);
  const known = await git.raw(['cat-file', '-t', gatewayCommit]).then(
    (type) => type.trim() === 'commit',
    () => false,
  );
  if (!known) {
    return 'unknown-commit';
  }
  // Blob ids: equal ids mean equal content, whatever else changed between the commits.
  const blobs = await git.raw(['rev-parse', `${gatewayCommit}:${info.fileName}`, `HEAD:${info.fileName}`]).catch(() => undefined);
  if (blobs === undefined) {
    return 'missing';
  }
  const [atGateway, atHead] = blobs.trim().split('\n');
  return atGateway === atHead ? 'same' : 'differs';
}

/**
 * Why the gateway's copy is not the user's, when git itself gave no reason to warn
 * (an uncommitted or unpushed file already explains it).
 */
export function describeGatewayCopyWarning(info: RunbookGitInfo, gatewayCommit: string, copy: GatewayCopy): string | undefined {
  const commit = gatewayCommit.slice(0, 7);
  switch (copy) {
    case 'differs':
      return `The gateway reads commit ${commit} of its branch, where ${info.fileName} differs from your commit ${info.refHash.slice(0, 7)}: it will run that version. Push to the branch the gateway reads (main or master); it may take up to 5 minutes to see a push.`;
    case 'missing':
      return `${info.fileName} does not exist at commit ${commit}, the one the gateway reads: push it to the branch the gateway reads (main or master).`;
    default:
      return undefined;
  }
}

/** The reasons to warn before running: each says why the gateway will not run what the editor shows. */
export function describeGitWarnings(info: RunbookGitInfo): string[] {
  const warnings: string[] = [];
  if (info.fileState === 'untracked') {
    warnings.push(
      `${info.fileName} is not committed: the gateway runs runbooks from its own clone of the repository, where this file does not exist.`,
    );
    // Pushing HEAD would not help an uncommitted file, so the push warning would only distract.
    return warnings;
  }
  if (info.fileState !== 'clean') {
    warnings.push(`${info.fileName} has uncommitted changes: the gateway runs the committed version from its own clone, not your editor.`);
  }
  if (!info.pushed) {
    warnings.push(
      `Commit ${info.refHash.slice(0, 7)} is not on any remote branch: the gateway runs the tip of its branch, so it will not see this commit until you push it.`,
    );
  }
  return warnings;
}

/**
 * The user's environment, minus what would make git answer about another repository or in another language.
 * GIT_DIR, GIT_INDEX_FILE and friends are set inside git hooks; messages are parsed, so they must be English.
 * simple-git refuses to spawn at all when EDITOR, PAGER, SSH_ASKPASS, PREFIX or several GIT_* variables are set;
 * none of them matters to these local, read-only commands.
 */
function gitEnvironment(): Record<string, string> {
  const refusedBySimpleGit = new Set(['editor', 'pager', 'ssh_askpass', 'prefix']);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lowerKey = key.toLowerCase();
    if (value !== undefined && !lowerKey.startsWith('git_') && !refusedBySimpleGit.has(lowerKey)) {
      env[key] = value;
    }
  }
  // No optional locks: a status refresh must not contend with the editor's own git extension.
  return { ...env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
}

function settled<T>(result: PromiseSettledResult<T>, filePath: string): T {
  if (result.status === 'fulfilled') {
    return result.value;
  }
  throw toTypedError(result.reason, filePath);
}

function toTypedError(error: unknown, filePath: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  // simple-git reports a failed spawn as the Node error's whole stack; keep only its first line.
  const spawnFailure = /spawn .* (ENOENT|EACCES)/.exec(message);
  if (spawnFailure) {
    return new GitNotFoundError(spawnFailure[0]);
  }
  if (/not a git repository|must be run in a work tree/i.test(message)) {
    return new NotInGitRepositoryError(filePath);
  }
  return new GitCommandError(message);
}

/** Reads `git status --porcelain=v2 -z --branch` limited to one file. */
function parseStatus(output: string): { headOid: string; headName: string; fileState: WorkingTreeState } {
  let headOid = '';
  let headName = '';
  let fileState: WorkingTreeState = 'clean';
  const records = output.split('\0');
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    if (record.startsWith('# branch.oid ')) {
      headOid = record.slice('# branch.oid '.length);
    } else if (record.startsWith('# branch.head ')) {
      headName = record.slice('# branch.head '.length);
    } else if (record.startsWith('? ') || record.startsWith('! ')) {
      // An ignored file is as invisible to the gateway as an untracked one.
      fileState = 'untracked';
    } else if (record.startsWith('u ')) {
      fileState = 'modified';
    } else if (record.startsWith('1 ') || record.startsWith('2 ')) {
      const [indexState, workTreeState] = record.slice(2, 4);
      fileState = workTreeState !== '.' ? 'modified' : indexState !== '.' ? 'staged' : 'clean';
      if (record.startsWith('2 ')) {
        index++; // a rename or copy is followed by its original path
      }
    }
  }
  return { headOid, headName, fileState };
}
