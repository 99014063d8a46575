import { strict as assert } from 'node:assert';
import { initialValue, isRememberable, parameterSpecs, validateParameter, type ParameterSpec } from '../../src/core/parameters';
import { parseRunbookTemplate } from '../../src/core/template';

const spec = (overrides: Partial<ParameterSpec>): ParameterSpec => ({ name: 'value', type: 'text', description: '', required: false, ...overrides });

describe('parameterSpecs', () => {
  it("orders like hoop's web form: by order, then the rest alphabetically", () => {
    const specs = parameterSpecs({
      zeta: { description: '', required: false, type: 'text' },
      alpha: { description: '', required: false, type: 'text' },
      second: { description: '', required: false, type: 'text', order: 2 },
      first: { description: '', required: false, type: 'text', order: 1 },
    });
    assert.deepEqual(
      specs.map((s) => s.name),
      ['first', 'second', 'alpha', 'zeta'],
    );
  });

  it('reads string lengths, unknown types as text, and patterns from the local parse', () => {
    const [name] = parameterSpecs({ name: { type: 'bogus', minlength: '2', maxlength: '5', required: true } }, { patterns: { name: '^[a-z]+$' } });
    assert.equal(name.type, 'text');
    assert.equal(name.minLength, 2);
    assert.equal(name.maxLength, 5);
    assert.equal(name.required, true);
    assert.equal(name.pattern, '^[a-z]+$');
  });
});

describe('validateParameter', () => {
  it('requires a value only when required', () => {
    assert.equal(validateParameter(spec({ required: true }), ''), 'value is required.');
    assert.equal(validateParameter(spec({}), ''), undefined);
  });

  it('checks minlength and maxlength in characters', () => {
    assert.match(validateParameter(spec({ minLength: 3 }), 'ab') ?? '', /Minimum length is 3/);
    assert.match(validateParameter(spec({ maxLength: 2 }), 'abc') ?? '', /Maximum length is 2/);
    assert.equal(validateParameter(spec({ maxLength: 2 }), 'éé'), undefined);
  });

  it('checks the input types the web form checks', () => {
    const cases: Array<[ParameterSpec['type'], string, boolean]> = [
      ['number', '42', true],
      ['number', '4.2', false],
      ['number', '1e3', false],
      ['email', 'ana@example.com', true],
      ['email', 'ana', false],
      ['url', 'https://example.com/x', true],
      ['url', 'example.com', false],
      ['date', '2026-02-28', true],
      ['date', '2026-02-30', false],
      ['time', '09:30', true],
      ['time', '24:00', false],
      ['tel', '+1 555 0100', true],
      ['tel', 'call me', false],
    ];
    for (const [type, value, ok] of cases) {
      assert.equal(validateParameter(spec({ type }), value) === undefined, ok, `${type} ${value}`);
    }
  });

  it('applies pattern unanchored, like Go regexp.Match', () => {
    assert.equal(validateParameter(spec({ pattern: '[0-9]+' }), 'abc123'), undefined);
    assert.equal(validateParameter(spec({ pattern: '^[0-9]+$' }), 'abc123'), 'value must match the pattern ^[0-9]+$.');
  });

  it("names the field and shows its description when the pattern fails, and shows the author's required message", () => {
    assert.equal(validateParameter(spec({ name: 'ticket', description: 'Jira key, e.g. OPS-12', pattern: '^[A-Z]+-[0-9]+$' }), 'ops12'), 'ticket (Jira key, e.g. OPS-12) must match the pattern ^[A-Z]+-[0-9]+$.');
    assert.equal(validateParameter(spec({ required: true, requiredMessage: 'the customer id is needed to find the refund' }), ''), 'the customer id is needed to find the refund');
    assert.equal(validateParameter(spec({ name: 'id', required: true }), ''), 'id is required.');
  });

  it('takes the required message and pattern of the last occurrence from the local parse', () => {
    const template = parseRunbookTemplate('{{ .id | required "first message" }}\n{{ .id | required "the id, please" | pattern "^[0-9]+$" }}\n{{ .name }}\n');
    const specs = parameterSpecs(template.attributes, template);
    const id = specs.find((candidate) => candidate.name === 'id')!;
    assert.equal(id.requiredMessage, 'the id, please');
    assert.equal(id.pattern, '^[0-9]+$');
    assert.equal(specs.find((candidate) => candidate.name === 'name')!.requiredMessage, undefined);
  });
});

describe('remembered values', () => {
  it('prefers the last value for this runbook and connection, then the default; never remembers secrets or files', () => {
    assert.equal(initialValue(spec({ default: 'pro' }), { value: 'basic' }), 'basic');
    assert.equal(initialValue(spec({ type: 'select', default: 'pro' }), { value: 'basic' }), 'basic');
    assert.equal(initialValue(spec({ default: 'pro' }), undefined), 'pro');
    assert.equal(initialValue(spec({}), { value: 'basic' }), 'basic');
    assert.equal(initialValue(spec({ type: 'password' }), { value: 'hunter2' }), '');
    assert.equal(initialValue(spec({ asenv: 'DB_PASS', default: 'x' }), { value: 'hunter2' }), 'x');
    assert.equal(isRememberable(spec({ asenv: 'DB_PASS' })), false);
    assert.equal(isRememberable(spec({ type: 'password' })), false);
    assert.equal(isRememberable(spec({ type: 'file' })), false);
    assert.equal(isRememberable(spec({ type: 'select' })), true);
  });
});
