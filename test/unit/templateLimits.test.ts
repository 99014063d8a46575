import { strict as assert } from 'node:assert';
import { TemplateExecError } from '../../src/core/errors';
import { MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_NESTING, MAX_TEMPLATE_OUTPUT_BYTES, parseRunbookTemplate } from '../../src/core/template';
import { execError, output, parseError } from './templateHelpers';

describe('template engine limits: every input gets a typed error', () => {
  it('stops a self-recursive {{define}} with Go\'s depth error, on every render', () => {
    const tmpl = '{{define "a"}}{{template "a"}}{{end}}{{if true}}{{template "a"}}{{end}}';
    const template = parseRunbookTemplate(tmpl);
    for (let i = 0; i < 5; i++) {
      assert.throws(() => template.render({}), (e: unknown) =>
        e instanceof TemplateExecError && /executing "a" at <\{\{template "a"\}\}>: exceeded maximum template depth \(\d+\)$/.test(e.message));
    }
    assert.equal(
      execError('{{define "a"}}x{{template "a" .}}{{end}}{{ .x }}{{template "a" .}}', { x: 'v' }),
      `template: :1:26: executing "a" at <{{template "a" .}}>: exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`,
    );
    assert.match(execError('{{define "b"}}{{if true}}{{with 1}}{{template "b" (print (print .))}}{{end}}{{end}}{{end}}{{if true}}{{template "b" 1}}{{end}}'),
      /exceeded maximum template depth/);
  });

  it('gives the typed error even when rendering starts on an already deep stack', () => {
    const template = parseRunbookTemplate('{{define "a"}}{{if true}}{{template "a" (print .)}}{{end}}{{end}}{{ .x }}{{template "a" .x}}');
    const onDeepStack = (frames: number): unknown => {
      if (frames > 0) return onDeepStack(frames - 1);
      try {
        return template.render({ x: 'v' });
      } catch (e) {
        return e;
      }
    };
    for (let i = 0; i < 20; i++) assert.ok(onDeepStack(3000) instanceof TemplateExecError);
  });

  it(`renders nesting up to ${MAX_TEMPLATE_NESTING} levels, and refuses one more with Go's parse error`, () => {
    const ifs = (n: number) => '{{if true}}'.repeat(n) + 'x' + '{{end}}'.repeat(n);
    const parens = (n: number) => `{{if true}}{{${'(print '.repeat(n)}1${')'.repeat(n)}}}{{end}}`;
    assert.equal(output(ifs(MAX_TEMPLATE_NESTING)), 'x');
    assert.equal(output(parens(MAX_TEMPLATE_NESTING - 1)), '1');
    assert.equal(parseError(ifs(MAX_TEMPLATE_NESTING + 1)), 'template: :1: max expression depth exceeded');
    assert.equal(parseError(parens(MAX_TEMPLATE_NESTING)), 'template: :1: max expression depth exceeded');
  });

  it('refuses nesting past the parse limit with Go\'s parse error', () => {
    for (const tmpl of [
      '{{if true}}'.repeat(20000) + '{{end}}'.repeat(20000),
      `{{if true}}{{${'('.repeat(20000)}1${')'.repeat(20000)}}}{{end}}`,
      '{{if false}}' + '{{else if false}}'.repeat(20000) + '{{end}}',
      '{{define "d"}}' + '{{block "b" .}}'.repeat(20000) + '{{end}}'.repeat(20001),
    ]) {
      assert.match(parseError(tmpl), /^template: :1: max expression depth exceeded$/);
    }
  });

  it('formats %q of a negative number as Go does (the replacement character)', () => {
    assert.equal(output('{{if true}}{{printf "%q|%c|%U" -1 -1 -1}}{{end}}'), "'\uFFFD'|\uFFFD|U+FFFFFFFFFFFFFFFF");
  });

  it('treats a width or precision past fmt\'s limit as Go does instead of throwing', () => {
    assert.equal(output('{{if true}}{{printf "%999999999s" "a"}}{{end}}'), '%!(NOVERB)%!(EXTRA string=a)');
    assert.equal(output('{{if true}}{{printf "%.999999999f" 1.5}}{{end}}'), '%!(NOVERB)%!(EXTRA float64=1.5)');
    assert.equal(output('{{if true}}{{printf "%*s|%.*s" 999999999 "a" -5 "bc"}}{{end}}'), '%!(BADWIDTH)a|%!(BADPREC)bc');
    const wide = output('{{if true}}{{printf "%.1000000f" 1.5}}{{end}}');
    assert.equal(wide.length, 1_000_002);
    assert.ok(wide.startsWith('1.5000') && /^1\.50*$/.test(wide));
  });

  it(`ends output past ${MAX_TEMPLATE_OUTPUT_BYTES} bytes with a typed error that says so`, () => {
    const big = 'x'.repeat(100_000);
    const message = execError('{{if true}}{{range $i := 1000}}{{$.x}}{{end}}{{end}}', { x: big });
    assert.match(message, /rendered runbook is over the \d+-byte limit/);
    const doubling = '{{if true}}{{$a := .x}}' + '{{$a = printf "%s%s" $a $a}}'.repeat(40) + '{{$a}}{{end}}';
    assert.match(execError(doubling, { x: big }), /error calling printf: the result is over the \d+-byte limit/);
    const exponential = `{{define "t0"}}${big}{{end}}` +
      Array.from({ length: 40 }, (_, i) => `{{define "t${i + 1}"}}{{template "t${i}"}}{{template "t${i}"}}{{end}}`).join('') +
      '{{if true}}{{template "t40"}}{{end}}';
    assert.match(execError(exponential), /rendered runbook is over the \d+-byte limit/);
  });
});
