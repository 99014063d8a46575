import { strict as assert } from 'node:assert';
import { TemplateExecError } from '../../src/core/errors';
import { MAX_PATTERN_INPUT_BYTES, validateParameter, type ParameterSpec } from '../../src/core/parameters';
import { goRegexpMatch, parseRunbookTemplate } from '../../src/core/template';

/** A widely copied e-mail regexp whose nested groups make backtracking engines explode. */
const EMAIL = '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$';

function syntaxError(pattern: string): string {
  try {
    goRegexpMatch(pattern, '');
  } catch (e) {
    assert.ok(e instanceof TemplateExecError, `expected TemplateExecError, got ${String(e)}`);
    return e.message;
  }
  return assert.fail(`expected ${pattern} to be refused`);
}

describe('pattern: Go\'s RE2 in linear time', () => {
  it('answers catastrophic-backtracking patterns at once', () => {
    assert.equal(goRegexpMatch('(a+)+$', 'a'.repeat(40) + 'b'), false);
    assert.equal(goRegexpMatch('(a+)+$', 'a'.repeat(40)), true);
    assert.equal(goRegexpMatch('(x+x+)+y', 'x'.repeat(5000)), false);
    assert.equal(goRegexpMatch('^(a|aa)*c$', 'a'.repeat(100_000)), false);
  });

  it('validates an e-mail address typed one character at a time', () => {
    const address = 'firstname.lastname-department_team@example.com';
    const spec: ParameterSpec = { name: 'email', type: 'text', description: '', required: true, pattern: EMAIL };
    for (let i = 1; i < address.length; i++) {
      const typed = address.slice(0, i) + (i % 2 ? '!' : '');
      assert.equal(typeof validateParameter(spec, typed), 'string', typed);
    }
    assert.equal(validateParameter({ ...spec, pattern: EMAIL.replace('[a-z]{2,3}))$', '[a-z]{2,3}))') }, address), undefined);
  });

  it('gives values past the cap a clear message instead of a match', () => {
    const spec: ParameterSpec = { name: 'blob', type: 'text', description: '', required: false, pattern: '^a+$' };
    assert.equal(validateParameter(spec, 'a'.repeat(MAX_PATTERN_INPUT_BYTES)), undefined);
    assert.match(validateParameter(spec, 'a'.repeat(MAX_PATTERN_INPUT_BYTES + 1)) ?? '', /^blob is over 1 MiB, too long to check against its pattern here/);
    assert.equal(validateParameter({ ...spec, pattern: '(' }, 'a'), undefined, 'an invalid pattern is left to the gateway');
  });

  it('follows RE2: flags, Unicode classes, unanchored matching, case folding', () => {
    assert.equal(goRegexpMatch('(?i)^straße$', 'STRAßE'), true);
    assert.equal(goRegexpMatch('(?i)k', '\u212a'), true); // the Kelvin sign folds to k in Go
    assert.equal(goRegexpMatch('^\\pL+$', 'ÉtéΩ'), true);
    assert.equal(goRegexpMatch('^\\p{Greek}+\\PL$', 'αβ1'), true);
    assert.equal(goRegexpMatch('^.$', '😀'), true);
    assert.equal(goRegexpMatch('b', 'abc'), true);
    assert.equal(goRegexpMatch('(?U)^a+?$', 'aaa'), true);
    assert.equal(goRegexpMatch('^[[:^digit:]]+$', 'ab'), true);
  });

  it('matches unanchored and honours anchors as RE2 does', () => {
    assert.equal(goRegexpMatch('[0-9]+', 'abc1'), true);
    assert.equal(goRegexpMatch('^[0-9]+$', '12a'), false);
    assert.equal(goRegexpMatch('^a$', 'a\n'), false);
    assert.equal(goRegexpMatch('^a\\z', 'a'), true);
    assert.equal(goRegexpMatch('\\Aa', 'ba'), false);
  });

  it('reads RE2 flags and syntax', () => {
    assert.equal(goRegexpMatch('^a(?i)b$', 'aB'), true);
    assert.equal(goRegexpMatch('^a(?i:b)c$', 'aBC'), false);
    assert.equal(goRegexpMatch('(?m)^b$', 'a\nb\nc'), true);
    assert.equal(goRegexpMatch('^a.b$', 'a\nb'), false);
    assert.equal(goRegexpMatch('(?s)^a.b$', 'a\nb'), true);
    assert.equal(goRegexpMatch('^(?P<year>\\d{4})-(?<m>\\d{2})$', '2024-05'), true);
    assert.equal(goRegexpMatch('^[[:alpha:]]+[[:^alpha:]]$', 'abc1'), true);
    assert.equal(goRegexpMatch('^\\s$', '\u00a0'), false);
    assert.equal(goRegexpMatch('^\\Q.*\\E$', '.*'), true);
    assert.equal(goRegexpMatch('^a{,2}$', 'a{,2}'), true);
    assert.equal(goRegexpMatch('^[]a]+$', ']a'), true);
    assert.equal(goRegexpMatch('^\\x41\\x{42}\\101$', 'ABA'), true);
    assert.equal(goRegexpMatch('^\\-\\#$', '-#'), true);
  });

  it('refuses what Go refuses, with Go\'s text', () => {
    const cases: Array<[string, string]> = [
      ['(abc', 'missing closing ): `(abc`'],
      ['abc)', 'unexpected ): `abc)`'],
      ['[a', 'missing closing ]: `[a`'],
      ['a**', 'invalid nested repetition operator: `**`'],
      ['*a', 'missing argument to repetition operator: `*`'],
      ['\\q', 'invalid escape sequence: `\\q`'],
      ['\\8', 'invalid escape sequence: `\\8`'],
      ['x{1001}', 'invalid repeat count: `{1001}`'],
      ['[z-a]', 'invalid character class range: `z-a`'],
      ['a\\', 'trailing backslash at end of expression: ``'],
      ['\\C', 'invalid escape sequence: `\\C`'],
      ['\\Z', 'invalid escape sequence: `\\Z`'],
      ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
      ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
      ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
      ['x{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
      ['(a{1000}){1000}', 'invalid repeat count: `{1000}`'],
      ['(?P<n>a)(?P<n>b)', 'duplicate capture group name: `n`'],
      ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
      ['('.repeat(1001) + ')'.repeat(1001), `expression nests too deeply: \`${'('.repeat(1001) + ')'.repeat(1001)}\``],
    ];
    for (const [pattern, message] of cases) assert.equal(syntaxError(pattern), `regexp error: error parsing regexp: ${message}`, pattern);
  });

  it('sees a byte that is not UTF-8 as one replacement character, as Go\'s regexp does', () => {
    const template = parseRunbookTemplate('{{ .x | decodeb64 | pattern "^.$" | len }}');
    assert.equal(template.render({ x: '/w==' }).output, '1');
  });
});
