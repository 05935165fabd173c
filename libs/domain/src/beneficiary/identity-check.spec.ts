import { describe, expect, it } from '@jest/globals';
import { InvalidValue } from '../shared/index.js';
import { fingerprintOf, parseIdentityCheckAnswer, parseImportId, parseLineNumber, sameIdentityCheckAnswer } from './identity-check.js';

describe('reading an answer of the population database', () => {
  it('reads each outcome, and nothing of a line beyond what its outcome says', () => {
    expect(parseIdentityCheckAnswer({ outcome: 'MATCHED', dateOfDeath: '2024-05-20' })).toEqual({ outcome: 'MATCHED' });
    expect(parseIdentityCheckAnswer({ outcome: 'MISMATCHED', mismatchedFields: ['gender', 'nationalId'] })).toEqual({ outcome: 'MISMATCHED', mismatchedFields: ['nationalId', 'gender'] });
    expect(parseIdentityCheckAnswer({ outcome: 'DECEASED', dateOfDeath: '2024-05-20' })).toEqual({ outcome: 'DECEASED', dateOfDeath: '2024-05-20' });
  });

  it.each([
    [{ outcome: 'deceased', dateOfDeath: '2024-05-20' }, 'outcome'],
    [undefined, 'outcome'],
    [{ outcome: 'MISMATCHED' }, 'mismatchedFields'],
    [{ outcome: 'MISMATCHED', mismatchedFields: 'fullName' }, 'mismatchedFields'],
    [{ outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'address'] }, 'mismatchedFields'],
    [{ outcome: 'MISMATCHED', mismatchedFields: ['gender', 'gender'] }, 'mismatchedFields'],
    [{ outcome: 'DECEASED' }, 'dateOfDeath'],
    [{ outcome: 'DECEASED', dateOfDeath: '20/05/2024' }, 'dateOfDeath'],
  ])('refuses %j, naming the field', (raw, field) => {
    expect(() => parseIdentityCheckAnswer(raw)).toThrow(InvalidValue);
    expect(() => parseIdentityCheckAnswer(raw)).toThrow(expect.objectContaining({ field }));
  });

  it('takes an import id of printable characters without spaces, and a line from 1', () => {
    expect(parseImportId('sha256:9f86d081884c7d65')).toBe('sha256:9f86d081884c7d65');
    expect(parseLineNumber(1)).toBe(1);
    for (const raw of ['', 'with space', 'x'.repeat(129), 42, 'tab\there']) expect(() => parseImportId(raw)).toThrow(expect.objectContaining({ field: 'importId' }));
    for (const raw of [0, -1, 2.5, '3', Number.MAX_SAFE_INTEGER + 1]) expect(() => parseLineNumber(raw)).toThrow(expect.objectContaining({ field: 'line' }));
  });

  it('tells the same answer from another whatever order its fields came in', () => {
    expect(sameIdentityCheckAnswer({ outcome: 'MISMATCHED', mismatchedFields: ['gender', 'fullName'] }, { outcome: 'MISMATCHED', mismatchedFields: ['fullName', 'gender'] })).toBe(true);
    expect(sameIdentityCheckAnswer({ outcome: 'DECEASED', dateOfDeath: '2024-05-20' as never }, { outcome: 'DECEASED', dateOfDeath: '2024-05-21' as never })).toBe(false);
    expect(fingerprintOf({ outcome: 'MATCHED' })).not.toBe(fingerprintOf({ outcome: 'MISMATCHED', mismatchedFields: ['fullName'] }));
  });
});
