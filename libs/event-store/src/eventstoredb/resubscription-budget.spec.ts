import { describe, expect, it } from '@jest/globals';
import { ResubscriptionBudget } from './resubscription-budget.js';

const settings = { maxAttempts: 4, firstDelayMs: 100, maxDelayMs: 250, healthyAfterMs: 30_000 };

describe('ResubscriptionBudget', () => {
  describe('when attempts keep failing', () => {
    it('backs off exponentially up to the cap, then gives up', () => {
      const budget = new ResubscriptionBudget(settings);
      expect([budget.afterDrop(0), budget.afterDrop(0), budget.afterDrop(0), budget.afterDrop(0)]).toEqual([100, 200, 250, undefined]);
    });
  });

  describe('when an event arrives or the subscription catches up between drops', () => {
    it('starts the budget again', () => {
      const budget = new ResubscriptionBudget(settings);
      for (let drop = 0; drop < 10; drop += 1) {
        expect(budget.afterDrop(drop)).toBe(100);
        budget.healthy();
      }
    });
  });

  describe('when a quiet log drops an open subscription now and then', () => {
    it('counts a connection that stayed open for the quiet period as healthy, so the drops never add up', () => {
      const budget = new ResubscriptionBudget(settings);
      let now = 0;
      for (let drop = 0; drop < 20; drop += 1) {
        budget.opened(now);
        now += 60_000;
        expect(budget.afterDrop(now)).toBe(100);
      }
    });

    it('still gives up on connections that drop soon after opening', () => {
      const budget = new ResubscriptionBudget(settings);
      const delays = [0, 1, 2, 3].map((n) => {
        budget.opened(n * 1_000);
        return budget.afterDrop(n * 1_000 + 500);
      });
      expect(delays).toEqual([100, 200, 250, undefined]);
    });
  });
});
