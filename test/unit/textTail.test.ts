import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TextTail } from '../../src/core/run/textTail';

describe("the end a run keeps of its output (TextTail)", () => {
  it('is always the last characters of everything appended, and counts the rest, however the pieces come and whenever it is read', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.tuple(fc.string({ maxLength: 30 }), fc.boolean()), { maxLength: 3000 }), (maxChars, steps) => {
        const tail = new TextTail(maxChars);
        let all = '';
        for (const [piece, read] of steps) {
          tail.append(piece);
          all += piece;
          if (read) {
            assert.equal(tail.text, all.slice(-maxChars));
            assert.equal(tail.charsDropped, all.length - tail.text.length);
          }
        }
        assert.equal(tail.text, all.slice(-maxChars));
        assert.equal(tail.charsDropped, all.length - tail.text.length);
      }),
      { numRuns: 300 },
    );
  });

  it('starts again from a text that had its start cut on the way', () => {
    const tail = new TextTail(4);
    tail.append('abcdefgh');
    tail.reset('xyz', 10);
    assert.equal(tail.text, 'xyz');
    assert.equal(tail.charsDropped, 10);
    tail.append('12');
    assert.equal(tail.text, 'yz12');
    assert.equal(tail.charsDropped, 11);
  });
});
