/**
 * For loops over data that has already arrived (a stream's buffer drains in microtasks, which never
 * let timers, input or rendering run): the returned function lets the event loop have a turn once the
 * loop has kept it for `everyMs`, and costs nothing otherwise.
 */
export function turnTaker(everyMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since >= everyMs) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  };
}
