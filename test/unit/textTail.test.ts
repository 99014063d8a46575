import { strict as assert } from 'node:assert';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
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

  it('holds on to no more than the end it keeps, however much went through it (110 MiB of output must not stay in memory)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const maxChars = 1024 * 1024;
    const tail = new TextTail(maxChars);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 1500; index++) {
      tail.append(Buffer.alloc(100_000, 97 + (index % 26)).toString('latin1'));
    }
    gc();
    const held = process.memoryUsage().heapUsed - before;
    assert.equal(tail.text.length, maxChars);
    assert.ok(held < 8 * maxChars, `150 MB went through a tail of 1 MiB, and ${(held / 1e6).toFixed(0)} MB stayed in memory`);
  });
});
