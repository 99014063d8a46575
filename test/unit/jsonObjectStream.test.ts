import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { JsonObjectStream, JsonStreamError } from '../../src/core/http/jsonObjectStream';

/** Feeds `text` in the pieces `cuts` makes; the streamed text comes back joined, with how many calls it took. */
function readInPieces(text: string, cuts: number[]): { value: Record<string, unknown>; streamed: boolean; output: string; calls: number } {
  const pieces: string[] = [];
  const reader = new JsonObjectStream('output', (piece) => pieces.push(piece));
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    reader.write(text.slice(from, cut));
    from = cut;
  }
  reader.write(text.slice(from));
  return { ...reader.end(), output: pieces.join(''), calls: pieces.length };
}

const answer = fc.record(
  {
    session_id: fc.string(),
    output: fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null)),
    exit_code: fc.oneof(fc.integer(), fc.constant(null)),
    has_review: fc.boolean(),
    nested: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('reading an exec answer as it arrives (JsonObjectStream)', () => {
  it('agrees with JSON.parse on any answer cut anywhere: the output streamed, every other field kept', () => {
    fc.assert(
      fc.property(answer, fc.array(fc.nat()), fc.constantFrom(0, 2), (object, cuts, indent) => {
        const text = JSON.stringify(object, null, indent);
        const { value, streamed, output } = readInPieces(text, cuts);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const streamedOutput = typeof parsed.output === 'string';
        assert.equal(streamed, streamedOutput);
        if (streamedOutput) {
          assert.equal(output, parsed.output);
          delete parsed.output;
        }
        assert.deepEqual(value, parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what JSON.parse accepts as an object, one character changed anywhere', () => {
    fc.assert(
      fc.property(answer, fc.nat(), fc.constantFrom('', '"', '\\', ',', '}', ']', '{', ':', ' ', 'u', '1', '\n'), fc.array(fc.nat()), (object, position, inserted, cuts) => {
        const valid = JSON.stringify(object);
        const at = position % (valid.length + 1);
        const text = valid.slice(0, at) + inserted + valid.slice(at + 1);
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expected = undefined;
        }
        const isObject = typeof expected === 'object' && expected !== null && !Array.isArray(expected);
        let read: ReturnType<typeof readInPieces> | undefined;
        try {
          read = readInPieces(text, cuts);
        } catch (error) {
          assert.ok(error instanceof JsonStreamError, String(error));
        }
        assert.equal(read !== undefined, isObject, text);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a character escaped as a surrogate pair whole when a piece ends inside the escape', () => {
    const text = '{"output":"a\\ud83d\\ude00b\\n\\"c\\u00e9"}';
    for (let cut = 0; cut <= text.length; cut++) {
      assert.equal(readInPieces(text, [cut]).output, 'a😀b\n"cé', `cut at ${cut}`);
    }
  });

  it('hands on the text of one piece in one call, however many escapes it holds', () => {
    const output = 'line\n'.repeat(10_000);
    assert.equal(readInPieces(JSON.stringify({ output }), []).calls, 1);
  });

  it('refuses what JSON.parse refuses, and an object that ends early', () => {
    for (const text of ['', '[]', '{', '{"output":"abc', '{"output":"a\\x"}', '{"output":"a\nb"}', '{"a":1,}', '{"a" 1}', '{"a":1} x', '{,}', '{"a":tru}', '{"a":[1}']) {
      assert.throws(() => readInPieces(text, []), JsonStreamError, JSON.stringify(text));
    }
  });

  it('keeps a "__proto__" key as data, as JSON.parse does', () => {
    const { value } = readInPieces('{"__proto__":{"x":1},"output":"o"}', []);
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('refuses other fields past their cap, however short the output', () => {
    const reader = new JsonObjectStream('output', () => undefined, 100);
    assert.throws(() => reader.write(JSON.stringify({ big: 'x'.repeat(200), output: '' })), /pass 100 characters/);
  });
});
