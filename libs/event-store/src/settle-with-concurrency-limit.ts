/**
 * Runs `task` over every item with at most `limit` calls in flight, settling each on its own:
 * Promise.allSettled's outcomes, in item order, without starting every call at once. A server that
 * times writes out (EventStoreDB after 2 s) fails a wave of thousands started together; a pool keeps
 * each call's wait in the server's queue short.
 */
export async function settleEachWithLimit<Item, Result>(
  items: readonly Item[],
  limit: number,
  task: (item: Item, index: number) => Promise<Result>,
): Promise<Array<PromiseSettledResult<Result>>> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`A concurrency limit must be a positive integer, not ${limit}`);
  const outcomes = new Array<PromiseSettledResult<Result>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { status: 'fulfilled', value: await task(items[index]!, index) };
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}
