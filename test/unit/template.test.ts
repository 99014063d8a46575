import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isRunbookFile, parseRunbookTemplate } from '../../src/core/template';
import { execError, type Inputs, output, parseError, render } from './templateHelpers';

type GoError = { error: string };

interface ParseCase {
  case: { msg: string; tmpl: string; inputs?: Inputs; wantTmpl?: string; parseErr?: GoError; execErr?: GoError };
  observed: { attributes?: object; envVars?: object; output?: string; parseError?: string; execError?: string };
}
interface AttributesCase {
  case: { msg: string; tmpl: string; wantAttrs: object };
  observed_attributes: object;
}

/** hoop-template-cases.md §1–4: hoop's own test tables, with what hoop returned for each. */
const cases: {
  templateParse: ParseCase[];
  templateParseAttributes: AttributesCase[];
  templateParseHelperFuncs: ParseCase[];
  isRunbookFile: Array<{ filePath: string; msg: string; want: boolean }>;
} = JSON.parse(readFileSync(path.join(__dirname, '../../../test/fixtures/hoop-template-cases.json'), 'utf8'));

const attributes = (tmpl: string) => parseRunbookTemplate(tmpl).attributes;
const text = { description: '', required: false, type: 'text' };

describe('runbook templates: hoop TestTemplateParse', () => {
  for (const { case: c, observed } of cases.templateParse) {
    it(c.msg, () => {
      if (c.parseErr) {
        assert.equal(parseError(c.tmpl), c.parseErr.error);
        assert.equal(parseError(c.tmpl), observed.parseError);
        return;
      }
      const template = parseRunbookTemplate(c.tmpl);
      assert.deepStrictEqual(template.attributes, observed.attributes);
      if (c.execErr) {
        assert.equal(execError(c.tmpl, c.inputs ?? null), c.execErr.error);
        assert.equal(execError(c.tmpl, c.inputs ?? null), observed.execError);
        return;
      }
      const result = template.render(c.inputs ?? null);
      if (c.wantTmpl) assert.equal(result.output, c.wantTmpl);
      assert.equal(result.output, observed.output);
      assert.deepStrictEqual(result.envVars, observed.envVars);
    });
  }
});

describe('runbook templates: hoop TestTemplateParseAttributes', () => {
  for (const { case: c, observed_attributes } of cases.templateParseAttributes) {
    it(c.msg, () => {
      assert.deepStrictEqual(attributes(c.tmpl), c.wantAttrs);
      assert.deepStrictEqual(attributes(c.tmpl), observed_attributes);
    });
  }
});

describe('runbook templates: hoop TestTemplateParseHelperFuncs', () => {
  for (const { case: c, observed } of cases.templateParseHelperFuncs) {
    it(c.msg, () => {
      const template = parseRunbookTemplate(c.tmpl);
      assert.deepStrictEqual(template.attributes, observed.attributes);
      if (c.execErr) {
        const message = execError(c.tmpl, c.inputs ?? null);
        assert.ok(message.includes(c.execErr.error), message);
        assert.equal(message, observed.execError);
        return;
      }
      const result = template.render(c.inputs ?? null);
      if (c.wantTmpl) assert.equal(result.output, c.wantTmpl);
      assert.equal(result.output, observed.output);
      assert.deepStrictEqual(result.envVars, observed.envVars);
    });
  }
});

describe('isRunbookFile', () => {
  for (const c of cases.isRunbookFile) {
    it(`hoop TestIsRunbookFile: ${c.msg}`, () => assert.equal(isRunbookFile(c.filePath), c.want));
  }

  it('looks only at the last path segment, and accepts any or no extension', () => {
    assert.equal(isRunbookFile('x.runbook.'), true);
    assert.equal(isRunbookFile('.runbook.sh'), true);
    assert.equal(isRunbookFile('hoop-hooks/session-open.runbook.py'), true);
    assert.equal(isRunbookFile('runbook.sql'), false);
    assert.equal(isRunbookFile('a/b.runbook.x/c.sql'), false);
  });
});

describe('runbook templates: parameter discovery (hoop-gateway.md §2.2)', () => {
  it('discovers only top-level actions', () => {
    const tmpl = '{{if .flag}}{{.x}}{{end}}{{with .y}}{{.z}}{{end}}{{range .}}{{.w}}{{end}}';
    assert.deepStrictEqual(attributes(tmpl), {});
    assert.deepStrictEqual(attributes('{{define "t"}}{{.x}}{{end}}{{block "b" .}}{{.y}}{{end}}'), {});
  });

  it('renders a non-discovered missing field as <no value>', () => {
    assert.equal(output('{{if .flag}}[{{.x}}]{{end}}', { flag: 'on' }), '[<no value>]');
    assert.equal(output('{{if .flag}}[{{.x}}]{{end}}', {}), '');
  });

  it('makes the whole runbook unparseable when a top-level action does not start with a field', () => {
    for (const tmpl of ['{{ "lit" | squote }}', '{{ $v := .x }}', '{{ . }}', '{{ printf "%s" .x }}', 'a {{.x}} {{ (.y) }}']) {
      assert.equal(parseError(tmpl), 'inconsistent findings, findings=0, val=[]', tmpl);
    }
  });

  it('registers x for .x.y, which then fails at exec with Go\'s field-on-string text', () => {
    assert.deepStrictEqual(attributes('{{ .x.y }}'), { x: text });
    assert.equal(
      execError('{{.x.y}}', { x: 'v' }),
      'template: :1:4: executing "" at <.x.y>: can\'t evaluate field y in type string',
    );
  });

  it('takes the metadata from the last occurrence', () => {
    const tmpl = '{{ .a | description "first" | required "a" }} {{ .a | type "number" }}';
    assert.deepStrictEqual(attributes(tmpl), { a: { description: '', required: false, type: 'number' } });
  });

  it('normalises spacing and newlines before reading metadata', () => {
    const tmpl = '{{-   .a\n|   default   "x"\n\t|description "the  a" -}}';
    assert.deepStrictEqual(attributes(tmpl), { a: { ...text, default: 'x', description: 'the  a' } });
  });

  it('ignores comments and honours trim markers', () => {
    assert.deepStrictEqual(attributes('{{/* {{.hidden}} */}}{{.x}}'), { x: text });
    assert.equal(output('a  {{- .x -}}  b {{- /* c */ -}} c', { x: 'X' }), 'aXbc');
  });

  it('stores a name like __proto__ as an ordinary key', () => {
    const template = parseRunbookTemplate('{{ .__proto__ }}');
    assert.deepStrictEqual(Object.keys(template.attributes), ['__proto__']);
    assert.equal(template.render(JSON.parse('{"__proto__": "v"}')).output, 'v');
  });
});

describe('runbook templates: metadata (hoop-gateway.md §2.3–2.4)', () => {
  it('truncates a description at " | "', () => {
    assert.deepStrictEqual(attributes('{{ .x | description "a | b" }}'), { x: { ...text, description: 'a' } });
  });

  it('splits options on spaces', () => {
    assert.deepStrictEqual(attributes('{{ .c | options "New York" "LA" }}'), { c: { ...text, options: ['New', 'York', 'LA'] } });
  });

  it('keeps the backquotes of a raw string and drops every double quote', () => {
    assert.deepStrictEqual(attributes('{{ .x | description `hi there` }}'), { x: { ...text, description: '`hi there`' } });
    assert.deepStrictEqual(attributes('{{ .x | description "say \\"hi\\"" }}'), { x: { ...text, description: 'say \\hi\\' } });
  });

  it('accepts only the known types', () => {
    assert.deepStrictEqual(attributes('{{ .x | type "bogus" }}'), { x: text });
    for (const type of ['number', 'tel', 'time', 'date', 'url', 'email', 'select', 'textarea', 'password', 'file']) {
      assert.equal(attributes(`{{ .x | type "${type}" }}`).x.type, type);
    }
  });

  it('reads order as an integer when Atoi accepts it', () => {
    assert.deepStrictEqual(attributes('{{ .x | order "2" }}'), { x: { ...text, order: 2 } });
    assert.deepStrictEqual(attributes('{{ .x | order "-3" }}'), { x: { ...text, order: -3 } });
    assert.deepStrictEqual(attributes('{{ .x | order "two" }}'), { x: text });
  });

  it('lists order 1 (unquoted) in metadata but fails it at exec with Go\'s wrong-type text', () => {
    assert.deepStrictEqual(attributes('{{ .x | order 1 }}'), { x: { ...text, order: 1 } });
    assert.equal(execError('{{ .x | order 1 }}', { x: 'v' }), 'template: :1:14: executing "" at <1>: expected string; found 1');
  });

  it('keeps minlength/maxlength/placeholder/default as strings and marks required', () => {
    const tmpl = '{{ .n | required "need n" | minlength "2" | maxlength "50" | placeholder "Ada" | default "a b" | asenv "N" }}';
    assert.deepStrictEqual(attributes(tmpl), {
      n: { description: '', required: true, type: 'text', minlength: '2', maxlength: '50', placeholder: 'Ada', default: 'a b', asenv: 'N' },
    });
  });

  it('exposes the pattern of the last occurrence separately', () => {
    assert.deepStrictEqual(parseRunbookTemplate('{{ .x | pattern "^[0-9]+$" }}{{ .y }}').patterns, { x: '^[0-9]+$' });
    assert.deepStrictEqual(parseRunbookTemplate('{{ .x | pattern "a" }}{{ .x }}').patterns, {});
    assert.deepStrictEqual(attributes('{{ .x | pattern "a" }}'), { x: text });
  });
});

describe('runbook templates: execution (hoop-gateway.md §2.3, §2.5)', () => {
  it('lists every missing input, exempting a non-empty default', () => {
    assert.equal(
      execError('{{ .a }}{{ .b }}{{ .c | default "z" }}{{ .d | default "" }}', {}),
      'the following inputs are missing [a b d]',
    );
    assert.equal(output('[{{ .c | default "z" }}]', {}), '[z]');
  });

  it('treats null inputs like {} and an empty value as present', () => {
    assert.equal(output('static', null), 'static');
    assert.equal(execError('{{ .a }}', null), 'the following inputs are missing [a]');
    assert.equal(output('[{{ .a }}]', { a: '' }), '[]');
    assert.equal(output('[{{ .a }}]', JSON.parse('{"a": null}')), '[]');
  });

  it('ignores extra inputs', () => {
    assert.equal(output('{{ .a }}', { a: '1', extra: '2' }), '1');
  });

  it('runs required where it sits: before default it fails on "", after default it passes', () => {
    assert.equal(
      execError('{{ .x | required "need x" | default "d" }}', { x: '' }),
      'template: :1:8: executing "" at <required "need x">: error calling required: need x',
    );
    assert.equal(execError('{{ .x | required "need x" | default "d" }}', {}), 'template: :1:8: executing "" at <required "need x">: error calling required: need x');
    assert.equal(output('{{ .x | default "d" | required "need x" }}', {}), 'd');
  });

  it('asenv writes nothing and records envvar:NAME as base64', () => {
    assert.deepStrictEqual(render('export X={{ .x | asenv "API_KEY" }};', { x: 's3cr3t' }), {
      output: 'export X=;',
      envVars: { 'envvar:API_KEY': Buffer.from('s3cr3t').toString('base64') },
    });
  });

  it('quotes without escaping', () => {
    assert.equal(output(`{{ .x | squote }} {{ .x | dquote }} {{ .x | quotechar "%" }}`, { x: `it's "x"` }), `'it's "x"' "it's "x"" %it's "x"%`);
  });

  it('encodes and decodes base64 with Go\'s error offsets', () => {
    assert.equal(output('{{ .x | encodeb64 }}|{{ .y | decodeb64 }}', { x: 'héllo', y: 'aMOpbGxv' }), 'aMOpbGxv|héllo');
    assert.equal(
      execError('{{ .x | decodeb64 }}', { x: '!!!!' }),
      'template: :1:8: executing "" at <decodeb64>: error calling decodeb64: illegal base64 data at input byte 0',
    );
    assert.ok(execError('{{ .x | decodeb64 }}', { x: 'aGVsbG8' }).endsWith('illegal base64 data at input byte 4'));
    assert.ok(execError('{{ .x | decodeb64 }}', { x: 'aGk=x' }).endsWith('illegal base64 data at input byte 4'));
    assert.ok(execError('{{ .x | decodeb64 }}', { x: 'a=' }).endsWith('illegal base64 data at input byte 1'));
    assert.equal(output('{{ .x | decodeb64 }}', { x: 'aGk=\n' }), 'hi');
  });

  it('matches pattern unanchored, and reports a bad regexp with hoop\'s prefix', () => {
    assert.equal(output('{{ .x | pattern "[0-9]+" }}', { x: 'abc1' }), 'abc1');
    assert.equal(
      execError('{{ .x | pattern "(abc" }}', { x: 'abc' }),
      'template: :1:8: executing "" at <pattern "(abc">: error calling pattern: regexp error: error parsing regexp: missing closing ): `(abc`',
    );
  });

  it('reports wrong arity, unknown functions and syntax errors as Go does', () => {
    assert.equal(
      execError('{{ .x | required }}', { x: 'v' }),
      'template: :1:8: executing "" at <required>: wrong number of args for required: want 2 got 1',
    );
    assert.equal(execError('{{ .x | squote "a" }}', { x: 'v' }), 'template: :1:8: executing "" at <squote>: wrong number of args for squote: want 1 got 2');
    assert.equal(parseError('{{ .x | nope }}'), 'template: :1: function "nope" not defined');
    assert.equal(parseError('a\n\n{{ .x\n | nope }}'), 'template: :4: function "nope" not defined');
    assert.equal(parseError('{{ .x '), 'template: :1: unclosed action');
    assert.equal(parseError('{{ .x \n\n'), 'template: :3: unclosed action started at :1');
    assert.equal(parseError('{{ .x }'), 'template: :1: unexpected "}" in operand');
    assert.equal(parseError('{{.x}'), 'template: :1: bad character U+007D \'}\'');
    assert.equal(parseError('{{end}}'), 'template: :1: unexpected {{end}}');
    assert.equal(parseError('{{if .x}}'), 'template: :1: unexpected EOF');
    assert.equal(parseError('{{ .x | "s" }}'), 'template: :1: non executable command in pipeline stage 2');
    assert.equal(parseError('{{ }}'), 'template: :1: missing value for command');
    assert.equal(parseError('{{if true}}{{$nope}}{{end}}'), 'template: :1: undefined variable "$nope"');
    assert.equal(parseError('{{ .x | default "\\q" }}'), 'template: :1: invalid syntax');
    assert.equal(parseError('{{ .x | default "a }}'), 'template: :1: unterminated quoted string');
    assert.equal(parseError('{{ .x | order 1x }}'), 'template: :1: bad number syntax: "1x"');
  });

  it('reports positions in bytes and lines like Go', () => {
    assert.equal(execError('é{{ .x | required "m" }}', { x: '' }), 'template: :1:10: executing "" at <required "m">: error calling required: m');
    assert.equal(execError('line1\n  {{ .x | required "m" }}', { x: '' }), 'template: :2:10: executing "" at <required "m">: error calling required: m');
  });

  it('gives Go\'s texts for fields with arguments and wrong value types', () => {
    assert.equal(execError('{{ .x 1 }}', { x: 'v' }), 'template: :1:3: executing "" at <.x>: x is not a method but has arguments');
    assert.equal(
      execError('{{if true}}{{ len .x | squote }}{{end}}', { x: 'v' }),
      'template: :1:23: executing "" at <squote>: wrong type for value; expected string; got int',
    );
    assert.equal(
      execError('{{if true}}{{ .nokey | squote }}{{end}}', {}),
      'template: :1:23: executing "" at <squote>: invalid value; expected string',
    );
    assert.equal(
      execError('{{if true}}{{lt 1 "a"}}{{end}}', {}),
      'template: :1:13: executing "" at <lt 1 "a">: error calling lt: incompatible types for comparison: int and string',
    );
    assert.equal(
      execError('{{template "missing"}}', {}),
      'template: :1:11: executing "" at <{{template "missing"}}>: template "missing" not defined',
    );
  });
});

describe('runbook templates: Go text/template features', () => {
  const data = { x: 'abcd', a: 'A', b: '' };

  it('supports if / else if / else, with, and, or, not and comparisons', () => {
    const tmpl = '{{if eq .a "B"}}b{{else if eq .a "A"}}a{{else}}?{{end}}' +
      '{{with .b}}[{{.}}]{{else}}(none){{end}}{{with .x}}[{{.}}]{{end}}' +
      '{{and .a .b}}|{{or .b .a}}|{{not .b}}|{{ne .a "A"}}|{{lt "a" "b"}}|{{le 2 2}}|{{gt 3 2}}|{{ge 1 2}}|{{eq .nokey "a"}}|{{eq 1 2 1}}';
    assert.equal(output(`{{if true}}${tmpl}{{end}}`, data), 'a(none)[abcd]|A|true|false|true|true|true|false|false|true');
  });

  it('supports variables, range over the data map in key order, break and continue', () => {
    const tmpl = '{{if true}}{{$n := 0}}{{$n = 2}}{{$n}};{{range $k, $v := .}}{{if eq $k "b"}}{{continue}}{{end}}{{$k}}={{$v}},{{if eq $k "x"}}{{break}}{{end}}{{end}}' +
      '{{range $i := 3}}{{$i}}{{end}}{{range .nothing}}x{{else}}empty{{end}}{{end}}';
    assert.equal(output(tmpl, data), '2;a=A,x=abcd,012empty');
  });

  it('supports define, template and block with their own dot', () => {
    const tmpl = '{{define "row"}}<{{.}}>{{end}}{{if true}}{{template "row" .x}}{{block "b" .a}}[{{.}}]{{end}}{{end}}';
    assert.equal(output(tmpl, data), '<abcd>[A]');
  });

  it('supports print, printf, println, html, js, urlquery, len, index and slice', () => {
    const tmpl = '{{if true}}{{print 1 2 "a" "b" 3}}|{{printf "%s-%d-%v-%q-%x-%5s-%-3s|-%05.1f-%t" "s" 42 1.5 "q\\"" "hi" "r" "l" 3.14159 true}}|' +
      '{{println "a" 1}}{{html "<a href=\\"x\\">"}}|{{js "a\'b<"}}|{{urlquery "a b&c"}}|{{len .x}}|{{index .x 1}}|{{slice .x 1 3}}|{{index . "a"}}{{end}}';
    assert.equal(
      output(tmpl, data),
      '1 2ab3|s-42-1.5-"q\\""-6869-    r-l  |-003.1-true|a 1\n&lt;a href=&#34;x&#34;&gt;|a\\\'b\\u003C|a+b%26c|4|98|bc|A',
    );
    assert.equal(output('{{if true}}{{printf "%d %s"}}|{{printf "%s" "a" "b"}}{{end}}', {}), '%!d(MISSING) %!s(MISSING)|a%!(EXTRA string=b)');
  });

  it('prints literals the way Go formats them', () => {
    assert.equal(output('{{if true}}{{1.5}} {{1e6}} {{0x10}} {{\'a\'}} {{-0}} {{1_000}} {{"a\\tb"}} {{`r\\n`}} {{true}}{{end}}', {}), '1.5 1e+06 16 97 0 1000 a\tb r\\n true');
  });

  it('supports parenthesised pipelines as arguments', () => {
    assert.equal(output('{{ .x | printf "%s/%s" (.a | squote) }}', data), "'A'/abcd");
  });
});
