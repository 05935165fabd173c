import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../config/ledger-config.js';
import { createLedgerLogger, logLevelFrom } from './ledger-logger.js';
import { requestIdOf } from './request-id.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, logger: createLedgerLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) };
};

describe('the ledger logger', () => {
  describe('when an object carrying personal data is logged by mistake', () => {
    it('censors national ids, names, account numbers, tokens, bodies and raw URLs', () => {
      const { lines, logger } = capture();
      logger.info(
        {
          nationalId: '091052000123',
          beneficiary: { fullName: 'Bùi Trung Tài', account: { accountNumber: '7700205123456', holderName: 'BUI TRUNG TAI' } },
          req: { method: 'GET', url: '/v1/beneficiaries?nationalId=091052000123', headers: { authorization: 'Bearer eyJ.secret' } },
          body: { name: 'bui trung tai' },
        },
        'oops',
      );
      const text = lines.join('');
      for (const secret of ['091052000123', 'Bùi Trung Tài', '7700205123456', 'BUI TRUNG TAI', 'eyJ.secret', 'bui trung tai']) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
      expect(JSON.parse(text)).toMatchObject({ level: 30, msg: 'oops', req: { method: 'GET' }, time: expect.stringMatching(/Z$/) });
    });
  });

  describe('when LOG_LEVEL is read', () => {
    it('is info by default, silent under the test runner, and refuses a level pino does not have', () => {
      expect(logLevelFrom({})).toBe('info');
      expect(logLevelFrom({ NODE_ENV: 'test' })).toBe('silent');
      expect(logLevelFrom({ NODE_ENV: 'test', LOG_LEVEL: 'debug' })).toBe('debug');
      expect(logLevelFrom({ LOG_LEVEL: ' WARN ' })).toBe('warn');
      expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(ConfigurationError);
    });
  });
});

describe('the request id', () => {
  it("keeps a caller's UUID or short safe token, and replaces anything else with a new UUID", () => {
    const uuid = 'b0c5a4f2-1d5e-4c1a-9a43-6f1e1c2d3e4f';
    expect(requestIdOf({ headers: { 'x-request-id': uuid } })).toBe(uuid);
    expect(requestIdOf({ headers: { 'x-request-id': 'lb-01.abc_DEF' } })).toBe('lb-01.abc_DEF');
    for (const unsafe of ['', 'a'.repeat(65), 'has space', 'line\nbreak', '{"level":60}', '091052000123 Bùi']) {
      expect(requestIdOf({ headers: { 'x-request-id': unsafe } })).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(requestIdOf({ headers: {} })).not.toBe(requestIdOf({ headers: {} }));
  });
});
