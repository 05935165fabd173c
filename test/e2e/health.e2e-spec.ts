import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';

describe('health', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger();
  });
  afterAll(() => ledger.close());

  it('answers live', async () => {
    const response = await ledger.request('GET', '/health/live');
    expect(response.status).toBe(200);
  });

  it('answers ready with the event store head once the store is open', async () => {
    const response = await ledger.request('GET', '/health/ready');
    expect(response.status).toBe(200);
    // A new store holds one event from its first start: how it derives beneficiary ids (ADR 0007).
    expect(response.body).toMatchObject({ eventStore: { status: 'up', headPosition: expect.stringMatching(/^\d+$/) } });
  });
});
