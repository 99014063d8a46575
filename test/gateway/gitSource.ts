import { execFile } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import type { RepositoryConfig } from './config';

/** The tip commit of a configured repository, as hoop's CloneRepositoryInMemory sees it (§3.2). */
export interface RepositoryTip {
  commit: string;
  /** go-git's Signature.String(): `Name <email>`. */
  author: string;
  /** The raw commit message, trailing newline included. */
  message: string;
  /** Tree paths (repo-relative, `/`-separated) in git tree order → blob. */
  files: Map<string, { blob: string; size: number }>;
  readFile(path: string): Promise<string>;
}

/** A repository that cannot be read; `message` is hoop's fetch error text. */
export class GitSourceError extends Error {}

const GIT_TIMEOUT_MS = 30_000; // hoop's fetch timeout
const DEFAULT_BRANCHES = ['master', 'main'];

/** Reads the tip of the configured branch (else master, else main) of the git directory at `repo.path`. */
export class GitSource {
  private readonly cache = new Map<string, { at: number; tip: Promise<RepositoryTip> }>();

  constructor(private readonly cacheMs: number) {}

  tip(repo: RepositoryConfig): Promise<RepositoryTip> {
    const cached = this.cache.get(repo.path);
    if (cached && Date.now() - cached.at < this.cacheMs) {
      return cached.tip;
    }
    const tip = readTip(repo).catch((err: Error) => {
      throw err instanceof GitSourceError ? err : new GitSourceError(err.message);
    });
    tip.catch(() => this.cache.delete(repo.path));
    this.cache.set(repo.path, { at: Date.now(), tip });
    return tip;
  }
}

async function readTip(repo: RepositoryConfig): Promise<RepositoryTip> {
  const gitDir = existsSync(join(repo.path, '.git')) ? join(repo.path, '.git') : repo.path;
  const git = (...args: string[]) => run(gitDir, args);
  if (!existsSync(gitDir)) {
    throw new GitSourceError(`failed pulling repo ${repo.gitUrl}, err=repository not found`);
  }
  try {
    await git('rev-parse', '--git-dir');
  } catch {
    throw new GitSourceError(`failed pulling repo ${repo.gitUrl}, err=repository not found`);
  }

  const branches = repo.branch ? [repo.branch] : DEFAULT_BRANCHES;
  let commit: string | undefined;
  for (const branch of branches) {
    commit = await git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`).then(
      (out) => out.trim(),
      () => undefined,
    );
    if (commit) {
      break;
    }
  }
  if (!commit) {
    const refs = (await git('for-each-ref', '--format=refs/remotes/origin/%(refname:strip=2)=%(objectname)', 'refs/heads'))
      .split('\n')
      .filter(Boolean);
    throw new GitSourceError(`branch ref not found. branches=[${branches.join(' ')}] refs=[${refs.join(' ')}]`);
  }

  const raw = await git('cat-file', 'commit', commit);
  const headerEnd = raw.indexOf('\n\n');
  const authorLine = raw.slice(0, headerEnd).split('\n').find((l) => l.startsWith('author ')) ?? 'author  <>';
  const author = authorLine.slice('author '.length).replace(/ \d+ [+-]\d{4}$/, '');

  const files = new Map<string, { blob: string; size: number }>();
  for (const entry of (await git('ls-tree', '-r', '-l', '-z', '--full-tree', commit)).split('\0')) {
    // `<mode> blob <sha> <size>\t<path>`; submodules (commit entries) are not files.
    const match = /^\d+ blob ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(entry);
    if (match) {
      files.set(match[3], { blob: match[1], size: Number(match[2]) });
    }
  }

  return {
    commit,
    author,
    message: headerEnd >= 0 ? raw.slice(headerEnd + 2) : '',
    files,
    readFile: (path) => {
      const file = files.get(path);
      return file ? git('cat-file', 'blob', file.blob) : Promise.reject(new Error(`file ${path} not found`));
    },
  };
}

function run(gitDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['--git-dir', gitDir, ...args], { timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr.trim() || err.message)) : resolve(stdout),
    );
  });
}
