/**
 * Generated runbook templates and inputs for the template engine's property tests (test/unit/templateProperties.test.ts)
 * and fuzzing (templateFuzz.ts), with the properties every template and input must keep.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TemplateExecError, TemplateParseError } from '../../src/core/errors';
import { MAX_TEMPLATE_OUTPUT_BYTES, parseRunbookTemplate, type RunbookTemplate } from '../../src/core/template';

const NAMES = ['a', 'b', 'x', 'y_2', 'Z'];
const FUNCS = [
  'required "need it"', 'required "100% sure"', 'default "d"', 'default ""', 'pattern "^[a-z]+$"', 'pattern "(a+)+$"', 'pattern "("',
  'description "a | b"', 'type "number"', 'order "2"', 'order 1', 'options "p q"', 'placeholder "p"', 'minlength "1"', 'maxlength "9"',
  'squote', 'dquote', 'quotechar "%"', 'encodeb64', 'decodeb64', 'asenv "ENV"', 'len', 'html', 'js', 'urlquery', 'print', 'println',
  'printf "%q"', 'printf "%[2]s-%[1]s" "z"', 'printf "%x"', 'printf "%#v"', 'slice 1', 'index 0', 'not', 'eq "a"', 'lt "m"', 'and 1', 'or 0',
];

/** Characters that matter to Go's lexer, fmt and the byte handling, plus ordinary text. */
const textChar = fc.constantFrom('a', 'Z', '0', ' ', '\n', '\t', '{', '}', '%', '"', '`', '\\', '|', '(', ')', '$', '.', '-', 'é', '€', '😀', '\uD800', '\u0000');
const text = fc.string({ unit: textChar, maxLength: 8 });

const quoted = (s: string) => JSON.stringify(s);

const formatVerb = fc.tuple(
  fc.string({ unit: fc.constantFrom('-', '+', '#', ' ', '0'), maxLength: 3 }),
  fc.constantFrom('', '[1]', '[2]', '[9]', '[', '*', '5', '999999999', '1000000'),
  fc.constantFrom('', '.', '.2', '.*', '.999999999', '.[1]*'),
  fc.constantFrom('v', 's', 'q', 'd', 'x', 'X', 'o', 'O', 'b', 'c', 'U', 'e', 'E', 'f', 'F', 'g', 'G', 't', 'T', '%', 'z', 'é', ''),
).map(([flags, wid, prec, verb]) => `%${flags}${wid}${prec}${verb}`);

const format = fc.array(fc.oneof(formatVerb, text), { minLength: 1, maxLength: 4 }).map((parts) => quoted(parts.join('')));

const literal = fc.oneof(
  text.map(quoted),
  text.filter((s) => !s.includes('`')).map((s) => `\`${s}\``),
  fc.integer({ min: -70000, max: 1_200_000 }).map(String),
  fc.constantFrom('-1', '0', '1.5', '-0.0', '1e300', '0x1F600', "'a'", "'\\n'", '2.5', '1+2i', 'true', 'false', 'nil', '.', '$'),
  format,
);

const field = fc.constantFrom(...NAMES).map((n) => `.${n}`);

interface Pipeline { pipe: string }
interface Nodes { nodes: string }

const { nodes } = fc.letrec<{ pipe: Pipeline; nodes: Nodes; node: string; operand: string }>((tie) => ({
  operand: fc.oneof(
    { weight: 4, arbitrary: literal },
    { weight: 4, arbitrary: field },
    { weight: 1, arbitrary: fc.constantFrom('$v', '$', '$.a') },
    { weight: 1, arbitrary: tie('pipe').map((p) => `(${(p as Pipeline).pipe})`) },
  ),
  pipe: fc.record({
    head: fc.oneof(
      tie('operand') as fc.Arbitrary<string>,
      fc.tuple(format, fc.array(tie('operand') as fc.Arbitrary<string>, { maxLength: 3 })).map(([f, args]) => ['printf', f, ...args].join(' ')),
      fc.tuple(fc.constantFrom('printf', 'print', 'len', 'index', 'slice', 'eq', 'and', 'or', 'not', 'html'),
        fc.array(tie('operand') as fc.Arbitrary<string>, { maxLength: 3 })).map(([f, args]) => [f, ...args].join(' ')),
    ),
    stages: fc.array(fc.constantFrom(...FUNCS), { maxLength: 3 }),
  }).map(({ head, stages }) => ({ pipe: [head, ...stages].join(' | ') })),
  node: fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 4, arbitrary: tie('pipe').map((p) => `{{${(p as Pipeline).pipe}}}`) },
    { weight: 1, arbitrary: tie('pipe').map((p) => `{{$v := ${(p as Pipeline).pipe}}}`) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom('if', 'with', 'range'), tie('pipe'), tie('nodes'), fc.option(tie('nodes'))).map(
        ([kw, p, body, alt]) => `{{${kw} ${(p as Pipeline).pipe}}}${(body as Nodes).nodes}${alt ? `{{else}}${(alt as Nodes).nodes}` : ''}{{end}}`,
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom('{{break}}', '{{continue}}', '{{end}}', '{{else}}', '{{template "t" .}}', '{{template "u"}}', '{{/* c */}}', '{{- .a -}}') },
    { weight: 1, arbitrary: tie('nodes').map((n) => `{{block "b" .}}${(n as Nodes).nodes}{{end}}`) },
  ),
  nodes: fc.array(tie('node') as fc.Arbitrary<string>, { maxLength: 4 }).map((parts) => ({ nodes: parts.join('') })),
}));

/** A top-level parameter action, the shape hoop discovers. */
const parameter = fc.tuple(fc.constantFrom(...NAMES), fc.array(fc.constantFrom(...FUNCS), { maxLength: 4 }))
  .map(([name, stages]) => `{{ .${name}${stages.map((s) => ` | ${s}`).join('')} }}`);

/** A runbook: definitions (sometimes recursive), parameters, and control structures around them. */
export const template: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(
      fc.option(nodes.map((n) => `{{define "t"}}${n.nodes}{{end}}`)),
      fc.constantFrom('', '{{define "u"}}{{template "u" .}}{{end}}', '{{define "u"}}x{{if .}}{{template "u" (slice . 1)}}{{end}}{{end}}'),
      fc.array(fc.oneof(parameter, text, nodes.map((n) => `{{if true}}${n.nodes}{{end}}`)), { maxLength: 5 }),
    ).map(([define, recursive, body]) => (define ?? '') + recursive + body.join('')),
  },
  { weight: 2, arbitrary: nodes.map((n) => n.nodes) },
  // Token soup: mostly parse errors, in every position of the lexer and parser.
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(
      fc.constantFrom('{{', '}}', '{{-', '-}}', '(', ')', '|', ' ', '"', '`', "'", ':=', '=', ',', 'if', 'else', 'end', 'range', 'define', 'template', 'block',
        'with', 'break', 'continue', '.a', '$x', '1', '0x', '1e', '/*', '*/', '\n', 'nil', 'true', 'printf', 'required', 'pattern'),
      text,
    ), { maxLength: 24 }).map((parts) => parts.join('')),
  },
);

/** Inputs as hoop receives them: strings, sometimes base64, sometimes invalid UTF-16, sometimes missing. */
export const inputs: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(...NAMES),
  fc.oneof(text, fc.constantFrom('', 'aGk=', '/w==', 'gP8=', '!!!!', 'é', 'a'.repeat(200))),
  { maxKeys: NAMES.length },
);

const MISSING = /^the following inputs are missing \[(.*)\]$/;

function renderOutcome(parsed: RunbookTemplate, values: Record<string, string> | null): { output?: string; error?: string } {
  try {
    const result = parsed.render(values);
    assert.equal(typeof result.output, 'string');
    assert.ok(Buffer.byteLength(result.output) <= MAX_TEMPLATE_OUTPUT_BYTES, 'output past the cap');
    return { output: result.output };
  } catch (e) {
    if (e instanceof TemplateExecError) return { error: e.message };
    throw e;
  }
}

/**
 * The properties: parsing succeeds or throws TemplateParseError; rendering succeeds or throws TemplateExecError,
 * the same way every time; discovery agrees with rendering on which inputs are missing.
 */
export function checkTemplate(text: string, values: Record<string, string>): void {
  let parsed: RunbookTemplate;
  try {
    parsed = parseRunbookTemplate(text);
  } catch (e) {
    if (e instanceof TemplateParseError) return;
    throw e;
  }
  const first = renderOutcome(parsed, values);
  assert.deepStrictEqual(renderOutcome(parsed, values), first, 'rendering twice gives the same answer');

  const required = Object.keys(parsed.attributes).filter((name) => !parsed.attributes[name].default);
  const missingError = renderOutcome(parsed, {}).error?.match(MISSING);
  assert.deepStrictEqual(missingError ? missingError[1].split(' ').sort() : [], required.sort(), 'missing inputs = discovered inputs without a default');
  const all = Object.fromEntries(Object.keys(parsed.attributes).map((name) => [name, values[name] ?? 'v']));
  assert.doesNotMatch(renderOutcome(parsed, all).error ?? '', MISSING, 'no input is missing once every discovered one is given');
}
