import { describe, expect, it } from '@jest/globals';
import { HubConfigurationError, loadHubConfig } from './hub-config.js';

const required = { HUB_DATABASE_URL: 'postgres://hub@db:5432/national' };

describe('the hub’s configuration', () => {
  it('has a default for everything but the database', () => {
    const config = loadHubConfig({ ...required, NODE_ENV: 'development' });
    expect(config).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      databaseSchema: 'national_hub',
      host: '127.0.0.1',
      port: 3100,
      consumerName: 'national-hub',
      maxBatch: 2_000,
      ackWaitMs: 30_000,
      logLevel: 'info',
      jwtSecretGenerated: true,
    });
    expect(config.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(() => loadHubConfig({})).toThrow(HubConfigurationError);
  });

  it('reads every setting', () => {
    const config = loadHubConfig({
      ...required,
      NATS_URL: 'nats://nats:4222',
      HUB_DATABASE_SCHEMA: 'hub_test',
      HUB_JWT_SECRET: 's'.repeat(32),
      PORT: '0',
      HOST: '0.0.0.0',
      HUB_CONSUMER: 'hub-2',
      HUB_MAX_BATCH: '500',
      HUB_ACK_WAIT_MS: '5000',
      LOG_LEVEL: 'WARN',
    });
    expect(config).toMatchObject({ natsUrl: 'nats://nats:4222', databaseSchema: 'hub_test', jwtSecret: 's'.repeat(32), jwtSecretGenerated: false, port: 0, host: '0.0.0.0', consumerName: 'hub-2', maxBatch: 500, ackWaitMs: 5_000, logLevel: 'warn' });
  });

  it('needs a secret of its own in production, and a long one anywhere', () => {
    expect(() => loadHubConfig({ ...required, NODE_ENV: 'production' })).toThrow('HUB_JWT_SECRET must be set when NODE_ENV=production');
    expect(() => loadHubConfig({ ...required, HUB_JWT_SECRET: 'short' })).toThrow('at least 32 characters');
    expect(loadHubConfig({ ...required, NODE_ENV: 'production', HUB_JWT_SECRET: 's'.repeat(32) }).host).toBe('0.0.0.0');
  });

  it.each([
    ['HUB_DATABASE_SCHEMA', 'National-Hub; DROP'],
    ['HUB_CONSUMER', 'hub.events'],
    ['HUB_MAX_BATCH', '0'],
    ['PORT', 'http'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadHubConfig({ ...required, [name]: value })).toThrow(HubConfigurationError);
  });
});
