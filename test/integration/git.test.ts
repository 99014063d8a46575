import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareWithGatewayCommit, describeGatewayCopyWarning, describeGitWarnings, listRunbookFiles, readRunbookGitInfo } from '../../src/core/git';
import { ConfigurationError, GitCommandError, GitNotFoundError, NoCommitError, NotInGitRepositoryError } from '../../src/core/errors';
import { GitSandbox } from '../support/gitRepos';

const ORIGIN = 'https://github.com/acme/runbooks.git';
const RUNBOOK = 'ops/db/refund.runbook.sql';

describe('readRunbookGitInfo (real git repositories)', () => {
  let sandbox: GitSandbox;

  beforeEach(() => {
    sandbox = new GitSandbox();
  });

  afterEach(() => {
    sandbox.remove();
  });

  /** A repository whose only commit holds RUNBOOK and has been pushed to origin. */
  function pushedRunbookRepo(originUrl = ORIGIN) {
    const repo = sandbox.repo('runbooks', { originUrl });
    const head = repo.commit({ [RUNBOOK]: 'select 1;\n' }, 'Add refund runbook');
    repo.push();
    return { repo, head, runbookPath: path.join(repo.workDir, RUNBOOK) };
  }

  it('identifies a clean, pushed runbook by repository key, repo-relative name and HEAD', async () => {
    const { repo, head, runbookPath } = pushedRunbookRepo();

    const info = await readRunbookGitInfo(runbookPath);

    assert.deepEqual(info, {
      repoRoot: repo.workDir,
      fileName: 'ops/db/refund.runbook.sql',
      refHash: head,
      branch: 'main',
      fileState: 'clean',
      pushed: true,
      originUrl: 'https://github.com/acme/runbooks.git', // the configured url, not the insteadOf bare path
      repository: 'github.com/acme/runbooks',
    });
    assert.match(info.refHash, /^[0-9a-f]{40}$/);
    assert.deepEqual(describeGitWarnings(info), []);
  });

  it('reports unsaved-to-git edits as modified and warns that the gateway runs the committed version', async () => {
    const { repo, runbookPath } = pushedRunbookRepo();
    repo.write({ [RUNBOOK]: 'select 2;\n' });

    const info = await readRunbookGitInfo(runbookPath);

    assert.equal(info.fileState, 'modified');
    assert.deepEqual(describeGitWarnings(info), [
      'ops/db/refund.runbook.sql has uncommitted changes: the gateway runs the committed version from its own clone, not your editor.',
    ]);
  });

  it('reports staged but uncommitted changes as staged, and staged plus further edits as modified', async () => {
    const { repo, runbookPath } = pushedRunbookRepo();
    repo.write({ [RUNBOOK]: 'select 2;\n' });
    repo.git('add', RUNBOOK);

    const staged = await readRunbookGitInfo(runbookPath);
    assert.equal(staged.fileState, 'staged');
    assert.match(describeGitWarnings(staged)[0], /has uncommitted changes/);

    repo.write({ [RUNBOOK]: 'select 3;\n' });
    assert.equal((await readRunbookGitInfo(runbookPath)).fileState, 'modified');
  });

  it('reports a staged rename as staged under its new name', async () => {
    const { repo } = pushedRunbookRepo();
    repo.git('mv', RUNBOOK, 'ops/db/refund-v2.runbook.sql');

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'ops/db/refund-v2.runbook.sql'));

    assert.equal(info.fileName, 'ops/db/refund-v2.runbook.sql');
    assert.equal(info.fileState, 'staged');
  });

  it('reports a new file as untracked and says only that it is not committed', async () => {
    const { repo } = pushedRunbookRepo();
    repo.write({ 'ops/new.runbook.sh': 'echo hi\n' });
    repo.commit({ 'README.md': 'unpushed\n' }); // HEAD not pushed either: that warning would not help here

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'ops/new.runbook.sh'));

    assert.equal(info.fileState, 'untracked');
    assert.equal(info.pushed, false);
    assert.deepEqual(describeGitWarnings(info), [
      'ops/new.runbook.sh is not committed: the gateway runs runbooks from its own clone of the repository, where this file does not exist.',
    ]);
  });

  it('reports a git-ignored file as untracked, since the gateway cannot see it either', async () => {
    const { repo } = pushedRunbookRepo();
    repo.commit({ '.gitignore': '*.local.sql\n' });
    repo.write({ 'ops/scratch.local.sql': 'select 1;\n' });

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'ops/scratch.local.sql'));

    assert.equal(info.fileState, 'untracked');
  });

  it('matches the file name literally, so a name with glob characters does not pick up its neighbours', async () => {
    const { repo } = pushedRunbookRepo();
    repo.commit({ 'ops/refund[1].sql': 'a\n', 'ops/refund1.sql': 'b\n' });
    repo.write({ 'ops/refund1.sql': 'changed\n' });

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'ops/refund[1].sql'));

    assert.equal(info.fileState, 'clean');
  });

  it('reports a committed but unpushed HEAD as not pushed, then pushed after git push', async () => {
    const { repo, runbookPath } = pushedRunbookRepo();
    const head = repo.commit({ [RUNBOOK]: 'select 2;\n' }, 'Change refund');

    const beforePush = await readRunbookGitInfo(runbookPath);
    assert.equal(beforePush.refHash, head);
    assert.equal(beforePush.fileState, 'clean');
    assert.equal(beforePush.pushed, false);
    assert.deepEqual(describeGitWarnings(beforePush), [
      `Commit ${head.slice(0, 7)} is not on any remote branch: the gateway runs the tip of its branch, so it will not see this commit until you push it.`,
    ]);

    repo.push();
    const afterPush = await readRunbookGitInfo(runbookPath);
    assert.equal(afterPush.pushed, true);
    assert.deepEqual(describeGitWarnings(afterPush), []);
  });

  it('uses the innermost repository for a repository nested in another one\'s folder', async () => {
    const outer = sandbox.repo('platform', { originUrl: 'https://github.com/acme/platform.git' });
    outer.commit({ 'deploy.runbook.sh': 'echo outer\n' });
    const inner = sandbox.repo('platform/vendor/runbooks', { originUrl: ORIGIN });
    const innerHead = inner.commit({ [RUNBOOK]: 'select 1;\n' });

    const innerInfo = await readRunbookGitInfo(path.join(inner.workDir, RUNBOOK));
    const outerInfo = await readRunbookGitInfo(path.join(outer.workDir, 'deploy.runbook.sh'));

    assert.equal(innerInfo.repoRoot, inner.workDir);
    assert.equal(innerInfo.fileName, RUNBOOK);
    assert.equal(innerInfo.refHash, innerHead);
    assert.equal(innerInfo.repository, 'github.com/acme/runbooks');
    assert.equal(outerInfo.repoRoot, outer.workDir);
    assert.equal(outerInfo.repository, 'github.com/acme/platform');
  });

  it('derives the repository key from an scp-style origin', async () => {
    const repo = sandbox.repo('x');
    repo.git('remote', 'add', 'origin', 'git@github.com:acme/x.git');
    repo.commit({ 'a.runbook.sh': 'echo\n' });

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'a.runbook.sh'));

    assert.equal(info.originUrl, 'git@github.com:acme/x.git');
    assert.equal(info.repository, 'github.com/acme/x');
  });

  it('leaves origin and the repository key undefined when there is no origin remote', async () => {
    const repo = sandbox.repo('local-only');
    repo.commit({ 'a.runbook.sh': 'echo\n' });

    const info = await readRunbookGitInfo(path.join(repo.workDir, 'a.runbook.sh'));

    assert.equal(info.originUrl, undefined);
    assert.equal(info.repository, undefined);
    assert.equal(info.pushed, false);
  });

  it('throws NotInGitRepositoryError naming the file when it is outside any repository', async () => {
    const filePath = path.join(sandbox.root, 'loose', 'refund.runbook.sql');
    fs.mkdirSync(path.dirname(filePath));
    fs.writeFileSync(filePath, 'select 1;\n');

    await assert.rejects(readRunbookGitInfo(filePath), (error: unknown) => {
      assert.ok(error instanceof NotInGitRepositoryError);
      assert.equal(error.message, `${filePath} is not inside a git repository. The gateway runs runbooks from its git repository: commit the runbook to that repository first.`);
      return true;
    });
  });

  it('says a file that is not on disk must be saved first', async () => {
    const { repo } = pushedRunbookRepo();
    await assert.rejects(readRunbookGitInfo(path.join(repo.workDir, 'ops/new.runbook.sh')), (error: unknown) => {
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, /is not saved on disk: save it/);
      return true;
    });
  });

  it("turns other git failures into one line of git's own message", async () => {
    const { repo, runbookPath } = pushedRunbookRepo();
    fs.writeFileSync(path.join(repo.workDir, '.git', 'HEAD'), 'garbage\n');
    await assert.rejects(readRunbookGitInfo(runbookPath), (error: unknown) => {
      assert.ok(error instanceof GitCommandError || error instanceof NotInGitRepositoryError, String(error));
      assert.doesNotMatch((error as Error).message, /\n\s+at /);
      return true;
    });
  });

  it('throws NoCommitError for a repository without commits', async () => {
    const repo = sandbox.repo('empty', { originUrl: ORIGIN });
    repo.write({ [RUNBOOK]: 'select 1;\n' });

    await assert.rejects(readRunbookGitInfo(path.join(repo.workDir, RUNBOOK)), (error: unknown) => {
      assert.ok(error instanceof NoCommitError);
      assert.equal(error.repoRoot, repo.workDir);
      assert.match(error.message, /has no commits yet/);
      return true;
    });
  });

  it('throws GitNotFoundError, without a stack in the message, when the git binary is missing', async () => {
    const { runbookPath } = pushedRunbookRepo();

    await assert.rejects(readRunbookGitInfo(runbookPath, { gitBinary: '/nonexistent/git' }), (error: unknown) => {
      assert.ok(error instanceof GitNotFoundError);
      assert.match(error.message, /Git is not installed/);
      assert.equal(error.detail, 'spawn /nonexistent/git ENOENT');
      return true;
    });
  });

  it('accepts a configured git binary whose path has spaces', async function () {
    const realGit = findOnPath('git');
    if (process.platform === 'win32' || realGit === undefined) {
      this.skip();
    }
    const gitWithSpaces = path.join(sandbox.root, 'my tools', 'git');
    fs.mkdirSync(path.dirname(gitWithSpaces));
    fs.symlinkSync(realGit, gitWithSpaces);
    const { head, runbookPath } = pushedRunbookRepo();

    const info = await readRunbookGitInfo(runbookPath, { gitBinary: gitWithSpaces });

    assert.equal(info.refHash, head);
  });

  it('reports no branch on a detached HEAD', async () => {
    const { repo, head, runbookPath } = pushedRunbookRepo();
    repo.commit({ [RUNBOOK]: 'select 2;\n' });
    repo.git('checkout', '--quiet', '--detach', head);

    const info = await readRunbookGitInfo(runbookPath);

    assert.equal(info.branch, undefined);
    assert.equal(info.refHash, head);
    assert.equal(info.pushed, true);
  });

  it('handles folder names with spaces', async () => {
    const repo = sandbox.repo('team runbooks', { originUrl: ORIGIN });
    const name = 'db ops/nightly jobs/refund.runbook.sql';
    repo.commit({ [name]: 'select 1;\n' });

    const info = await readRunbookGitInfo(path.join(repo.workDir, name));

    assert.equal(info.repoRoot, repo.workDir);
    assert.equal(info.fileName, name);
    assert.equal(info.fileState, 'clean');
  });

  it('resolves a runbook opened through a symlinked folder to the real repository', async function () {
    if (process.platform === 'win32') {
      this.skip(); // symlinks need privileges there
    }
    const { repo } = pushedRunbookRepo();
    const linkedFolder = path.join(sandbox.root, 'workspace-link');
    fs.symlinkSync(repo.workDir, linkedFolder);

    const info = await readRunbookGitInfo(path.join(linkedFolder, RUNBOOK));

    assert.equal(info.repoRoot, repo.workDir);
    assert.equal(info.fileName, RUNBOOK);
  });

  it('answers about the file\'s own repository inside a git hook and with EDITOR set', async () => {
    const { repo, runbookPath } = pushedRunbookRepo();
    const other = sandbox.repo('other');
    other.commit({ 'unrelated.txt': 'x\n' });
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_INDEX_FILE: process.env.GIT_INDEX_FILE, EDITOR: process.env.EDITOR };
    // What a pre-commit hook in another repository exports, plus an editor simple-git would refuse.
    process.env.GIT_DIR = path.join(other.workDir, '.git');
    process.env.GIT_INDEX_FILE = path.join(other.workDir, '.git', 'index');
    process.env.EDITOR = 'vim';
    try {
      const info = await readRunbookGitInfo(runbookPath);
      assert.equal(info.repoRoot, repo.workDir);
      assert.equal(info.fileState, 'clean');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
    }
  });

  describe("against the commit the gateway serves (it ignores ref_hash)", () => {
    it('is the same at HEAD, and the same at another commit when only other files changed', async () => {
      const { repo, head, runbookPath } = pushedRunbookRepo();
      const info = await readRunbookGitInfo(runbookPath);
      assert.equal(await compareWithGatewayCommit(info, head), 'same');
      repo.commit({ 'README.md': 'other file\n' });
      repo.push();
      assert.equal(await compareWithGatewayCommit(await readRunbookGitInfo(runbookPath), head), 'same');
    });

    it('differs when the file changed since the gateway commit, even though HEAD is pushed (to another branch)', async () => {
      const { repo, head: gatewayCommit, runbookPath } = pushedRunbookRepo();
      repo.git('checkout', '--quiet', '-b', 'feature');
      repo.commit({ [RUNBOOK]: 'select 2;\n' });
      repo.git('push', '--quiet', 'origin', 'feature');
      const info = await readRunbookGitInfo(runbookPath);
      assert.equal(info.pushed, true);
      assert.deepEqual(describeGitWarnings(info), []);
      const copy = await compareWithGatewayCommit(info, gatewayCommit);
      assert.equal(copy, 'differs');
      assert.match(describeGatewayCopyWarning(info, gatewayCommit, copy) ?? '', new RegExp(`^The gateway reads commit ${gatewayCommit.slice(0, 7)} of its branch, where ops/db/refund.runbook.sql differs from your commit`));
    });

    it('is missing when the gateway commit does not have the file, and unknown for a commit this clone lacks', async () => {
      const { repo, head: gatewayCommit } = pushedRunbookRepo();
      repo.commit({ 'ops/new.runbook.sh': 'echo new\n' });
      repo.push();
      const info = await readRunbookGitInfo(path.join(repo.workDir, 'ops/new.runbook.sh'));
      assert.equal(await compareWithGatewayCommit(info, gatewayCommit), 'missing');
      assert.match(describeGatewayCopyWarning(info, gatewayCommit, 'missing') ?? '', /does not exist at commit/);
      assert.equal(await compareWithGatewayCommit(info, 'f'.repeat(40)), 'unknown-commit');
      assert.equal(describeGatewayCopyWarning(info, 'f'.repeat(40), 'unknown-commit'), undefined);
    });
  });
});

function findOnPath(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((folder) => path.join(folder, command))
    .find((candidate) => fs.existsSync(candidate));
}

describe('listRunbookFiles (real git repositories): what the runbook picker offers', () => {
  let sandbox: GitSandbox;

  beforeEach(() => {
    sandbox = new GitSandbox();
  });

  afterEach(() => {
    sandbox.remove();
  });

  it('lists committed runbooks, not deleted, new, ignored or other files', async () => {
    const repo = sandbox.repo('runbooks', { originUrl: ORIGIN });
    repo.commit({ [RUNBOOK]: 'select 1;\n', 'ops/gone.runbook.sh': 'echo\n', 'README.md': '# ops\n', '.gitignore': 'build/\n' });
    repo.push();
    fs.rmSync(path.join(repo.workDir, 'ops/gone.runbook.sh'));
    repo.write({ 'ops/new.runbook.py': 'print(1)\n', 'build/copy.runbook.sql': 'select 1;\n', 'notes.runbook': 'not hoop\'s rule: no second dot\n' });

    const listed = await listRunbookFiles(repo.workDir);

    assert.deepEqual(listed, ['ops/db/refund.runbook.sql']);
  });

  it('lists paths relative to a folder inside the repository, for a workspace opened there', async () => {
    const repo = sandbox.repo('runbooks', { originUrl: ORIGIN });
    repo.commit({ [RUNBOOK]: 'select 1;\n', 'top.runbook.sh': 'echo\n' });

    assert.deepEqual(await listRunbookFiles(path.join(repo.workDir, 'ops')), ['db/refund.runbook.sql']);
  });

  it('says it cannot list outside a git repository, so the caller searches the folder instead', async () => {
    const plain = path.join(sandbox.root, 'plain');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'a.runbook.sh'), 'echo\n');

    assert.equal(await listRunbookFiles(plain), undefined);
  });
});
