import { describe, expect, it } from '@jest/globals';
import { AGGREGATES, aggregateOfStream, streamNameOf, type AggregateName } from './stream-command.js';

describe('the registry of aggregates', () => {
  const id = '5b0c6a52-3f4e-5d3a-9a7e-1c2b3d4e5f60';

  it('names each aggregate’s streams `<category>-<id>` and reads the name back', () => {
    for (const aggregate of Object.keys(AGGREGATES) as AggregateName[]) {
      const streamName = streamNameOf({ aggregate, id });
      expect(streamName).toBe(`${AGGREGATES[aggregate].category}-${id}`);
      expect(aggregateOfStream(streamName)).toEqual({ aggregate, id });
    }
  });

  it('tells apart categories that share a prefix, and knows no other stream', () => {
    expect(aggregateOfStream(`payroll-run-${id}`)).toEqual({ aggregate: 'payrollRun', id });
    expect(aggregateOfStream(`provider-reference-${id}`)).toEqual({ aggregate: 'providerReference', id });
    expect(aggregateOfStream(`$ce-disbursement`)).toBeUndefined();
    expect(aggregateOfStream('idempotency')).toBeUndefined();
  });
});
