/**
 * The one worker pool: `work` runs on each item, at most `limit` at a time, the items taken in
 * order from one shared iterator, so a list of a million writes never becomes a million promises.
 * `shouldStop` is asked after each item; once it says yes no item starts and those running finish
 * (a Lambda nearing its deadline). The first error rejects the run, as `Promise.all` does.
 *
 * Workers call `next()` one after another on the shared iterator; async generators queue such
 * calls, so any `async function*` source (a DynamoDB query's pages) is safe.
 */
export async function runBounded<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<{ complete: boolean }> {
  const iterator: Iterator<T> | AsyncIterator<T> = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let stopped = false;
  let exhausted = false;
  const worker = async (): Promise<void> => {
    while (!stopped && !exhausted) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      await work(next.value);
      if (shouldStop()) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (!exhausted) {
    // Stopped early: complete only if nothing was left (the last item happened to be taken).
    exhausted = (await iterator.next()).done === true;
    await iterator.return?.();
  }
  return { complete: exhausted };
}
