import { strict as assert } from 'node:assert';
import { turnTaker } from '../../src/core/turns';

describe('long loops over output that has already arrived (turnTaker)', () => {
  it('let timers run meanwhile: a loop of microtasks alone would hold them back until it ends', async () => {
    for (const takeTurns of [false, true]) {
      const takeTurn = turnTaker(5);
      let timerRan = false;
      setTimeout(() => (timerRan = true), 0);
      const until = performance.now() + 100;
      while (performance.now() < until && !timerRan) {
        await Promise.resolve(); // a stream's buffered chunk: a microtask, not a turn of the event loop
        if (takeTurns) await takeTurn();
      }
      assert.equal(timerRan, takeTurns, takeTurns ? 'the timer ran during the loop' : 'without turns, the timer waits for the loop');
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  });
});
