import { describe, expect, it } from '@jest/globals';
import { settleEachWithLimit } from './settle-with-concurrency-limit.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('settleEachWithLimit', () => {
  describe('when there are more items than the limit', () => {
    it('never has more than the limit in flight, and runs every item', async () => {
      let inFlight = 0;
      let most = 0;
      const outcomes = await settleEachWithLimit(Array.from({ length: 200 }, (_, n) => n), 8, async (n) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick();
        inFlight -= 1;
        return n * 2;
      });
      expect(most).toBe(8);
      expect(outcomes).toHaveLength(200);
      expect(outcomes.every((outcome, n) => outcome.status === 'fulfilled' && outcome.value === n * 2)).toBe(true);
    });
  });

  describe('when some tasks fail', () => {
    it('settles each on its own, in item order, like Promise.allSettled', async () => {
      const outcomes = await settleEachWithLimit(['a', 'b', 'c', 'd'], 2, async (item, index) => {
        await new Promise((resolve) => setTimeout(resolve, (4 - index) * 2));
        if (item === 'b') throw new Error('b refused');
        if (item === 'd') throw new Error('d refused');
        return item.toUpperCase();
      });
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'A' });
      expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('b refused'));
    });
  });

  describe('when there is nothing to do', () => {
    it('settles at once with no outcomes', async () => {
      expect(await settleEachWithLimit([], 4, async () => 1)).toEqual([]);
    });
  });

  describe('when the limit is not a positive integer', () => {
    it('refuses it', async () => {
      await expect(settleEachWithLimit([1], 0, async () => 1)).rejects.toBeInstanceOf(RangeError);
    });
  });
});
