import { describe, expect, it } from '@jest/globals';
import { uuidV5 } from '@ledger/domain';
import { personKeyOf } from '../testing/integration-events.js';
import { CROSS_PROVINCE_FINDING_NAMESPACE, crossProvinceFindingId, findingsOf, findingStatusOf, noticeFor } from './cross-province-findings.js';

const personKey = personKeyOf('shared');

describe('cross-province findings', () => {
  it('are named by kind, person key, program and period, the same every time they are found', () => {
    expect(crossProvinceFindingId('PAID_IN_TWO_PROVINCES', personKey, 'MERITORIOUS', '2024-04')).toBe(uuidV5(`PAID_IN_TWO_PROVINCES|${personKey}|MERITORIOUS|2024-04`, CROSS_PROVINCE_FINDING_NAMESPACE));
    expect(crossProvinceFindingId('ENROLLED_IN_TWO_PROVINCES', personKey, 'MERITORIOUS', null)).toBe(uuidV5(`ENROLLED_IN_TWO_PROVINCES|${personKey}|MERITORIOUS|`, CROSS_PROVINCE_FINDING_NAMESPACE));
  });

  it('make one party per province, and nothing of an overlap within one province', () => {
    const detected = findingsOf([
      { kind: 'ENROLLED_IN_TWO_PROVINCES', personKey, program: 'MERITORIOUS', period: null, standings: [{ province: '91', beneficiaryRef: 'r91' }, { province: '89', beneficiaryRef: 'r89' }, { province: '91', beneficiaryRef: 'r91-again' }] },
      { kind: 'ENROLLED_IN_TWO_PROVINCES', personKey: personKeyOf('alone'), program: 'MERITORIOUS', period: null, standings: [{ province: '91', beneficiaryRef: 'x' }, { province: '91', beneficiaryRef: 'y' }] },
    ]);
    const findingId = crossProvinceFindingId('ENROLLED_IN_TWO_PROVINCES', personKey, 'MERITORIOUS', null);
    expect(detected.findings).toEqual([{ findingId, kind: 'ENROLLED_IN_TWO_PROVINCES', personKey, program: 'MERITORIOUS', period: null }]);
    expect(detected.parties).toEqual([
      { findingId, province: '89', beneficiaryRef: 'r89' },
      { findingId, province: '91', beneficiaryRef: 'r91' },
    ]);
  });

  it('tell each province about its own person and name the others by code only', () => {
    const overlap = { kind: 'PAID_IN_TWO_PROVINCES', personKey, program: 'MERITORIOUS', period: '2024-04', standings: [{ province: '01', beneficiaryRef: 'r01' }, { province: '89', beneficiaryRef: 'r89' }, { province: '91', beneficiaryRef: 'r91' }] } as const;
    const findingId = crossProvinceFindingId('PAID_IN_TWO_PROVINCES', personKey, 'MERITORIOUS', '2024-04');
    expect(noticeFor({ findingId, province: '89', beneficiaryRef: 'r89' }, overlap, new Date('2024-04-11T03:00:00Z'))).toEqual({
      findingId,
      version: 1,
      kind: 'PAID_IN_TWO_PROVINCES',
      province: '89',
      beneficiaryRef: 'r89',
      personKey,
      program: 'MERITORIOUS',
      period: '2024-04',
      otherProvinces: ['01', '91'],
      foundAt: '2024-04-11T03:00:00.000Z',
    });
  });

  it('are resolved once every province concerned has resolved its side', () => {
    expect(findingStatusOf([{ decision: 'KEEP' }, { decision: null }])).toBe('OPEN');
    expect(findingStatusOf([{ decision: 'KEEP' }, { decision: 'TERMINATE' }])).toBe('RESOLVED');
    expect(findingStatusOf([])).toBe('OPEN');
  });
});
