import { describe, expect, it } from '@jest/globals';
import { loadProjectorConfig } from './projector-config.js';

describe('projector configuration', () => {
  it('starts in production without the API secrets it has no use for', () => {
    const config = loadProjectorConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/ledger', EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113?tls=false' });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3001,
      dataDirectory: './data',
      eventStoreConnectionString: 'esdb://es:2113?tls=false',
      databaseUrl: 'postgres://db/ledger',
      maxBatch: 2_000,
    });
  });

  it('takes port 0 (chosen by the system) and a batch size', () => {
    expect(loadProjectorConfig({ PROJECTOR_PORT: '0', LEDGER_PROJECTOR_BATCH: '250' })).toMatchObject({ port: 0, maxBatch: 250, host: '127.0.0.1' });
  });

  it.each([
    ['LEDGER_PROJECTOR_BATCH', '0'],
    ['LEDGER_PROJECTOR_BATCH', 'many'],
    ['PROJECTOR_PORT', '-1'],
    ['PROJECTOR_PORT', '30.5'],
  ])('refuses %s=%s by name', (name, value) => {
    expect(() => loadProjectorConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be an integer`));
  });
});
