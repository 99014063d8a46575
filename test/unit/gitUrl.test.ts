import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { normalizeGitUrl } from '../../src/core/gitUrl';

/** hoop-template-cases.md §5.1, hoop's TestConfigNormalizeGitURL table. */
const hoopCases: Array<{ input: { GitURL: string }; want: string }> = JSON.parse(
  readFileSync(path.join(__dirname, '../../../test/fixtures/hoop-git-url-cases.json'), 'utf8'),
);

describe('normalizeGitUrl (the gateway repository key)', () => {
  for (const { input, want } of hoopCases) {
    it(`${input.GitURL} → ${want}`, () => {
      assert.equal(normalizeGitUrl(input.GitURL), want);
    });
  }

  it('keeps the host without user or port, and trims slashes', () => {
    assert.equal(normalizeGitUrl('https://user:pw@git.example.com:8443/team/repo.git'), 'git.example.com/team/repo');
    assert.equal(normalizeGitUrl('https://git.example.com/team/repo/'), 'git.example.com/team/repo');
    // hoop strips ".git" before trimming slashes, so a trailing slash keeps it; the key must match hoop's.
    assert.equal(normalizeGitUrl('https://git.example.com/team/repo.git/'), 'git.example.com/team/repo.git');
    assert.equal(normalizeGitUrl('git-user@github.com:user/repo.git'), 'github.com/user/repo');
  });

  it('gives no key for things that are not git URLs', () => {
    assert.equal(normalizeGitUrl('/srv/git/runbooks.git'), undefined);
    assert.equal(normalizeGitUrl('not-a-url'), undefined);
  });
});
