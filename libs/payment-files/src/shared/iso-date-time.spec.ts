import { describe, expect, it } from '@jest/globals';
import { isoDateTimeInVietnam, localDateOf } from './iso-date-time.js';

describe('isoDateTimeInVietnam', () => {
  it('writes the instant on the clock of Vietnam', () => {
    expect(isoDateTimeInVietnam(new Date('2025-03-14T20:30:05.123Z'))).toBe('2025-03-15T03:30:05+07:00');
  });
});

describe('localDateOf', () => {
  it('reads dates and date-times as dates in Vietnam', () => {
    expect(localDateOf('2025-03-15')).toBe('2025-03-15');
    expect(localDateOf('2025-03-15T10:00:00')).toBe('2025-03-15');
    expect(localDateOf('2025-03-14T20:00:00Z')).toBe('2025-03-15');
    expect(localDateOf('2025-03-15T01:00:00.5+07:00')).toBe('2025-03-15');
  });

  it('gives nothing for what is not a date', () => {
    for (const text of [undefined, '', '15/03/2025', '2025-02-30', '2025-03-15 10:00', 'tomorrow']) expect(localDateOf(text)).toBeUndefined();
  });
});
