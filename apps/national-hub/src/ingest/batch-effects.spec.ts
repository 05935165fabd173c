import { describe, expect, it } from '@jest/globals';
import { provinceEvents } from '../testing/integration-events.js';
import { batchEffectsOf } from './batch-effects.js';

const p91 = provinceEvents('91');
const p89 = provinceEvents('89');

describe('the effects of a batch of new events', () => {
  it('keeps the latest snapshot of each disbursement by its position in the province’s log, whatever the order of arrival', () => {
    const person = p91.person('one');
    const snapshot = p91.snapshot(person, 'MERITORIOUS', '2024-04');
    const [scheduled, sent, paid] = [p91.schedule(snapshot), p91.send(snapshot), p91.pay(snapshot)];
    const effects = batchEffectsOf([paid, scheduled, sent]);
    expect(effects.disbursements).toEqual([expect.objectContaining({ province: '91', disbursementRef: snapshot.disbursementRef, status: 'PAID', sourcePosition: BigInt(paid.sourcePosition) })]);
    expect(effects.personKeysNowPaid).toEqual([person.personKey]);
  });

  it('keeps one enrollment per province, person and program, with the standing its latest event leaves', () => {
    const person = p91.person('two');
    const effects = batchEffectsOf([p91.enroll(person, 'MERITORIOUS'), p91.suspend(person, 'MERITORIOUS'), p91.enroll(person, 'SOCIAL_ASSISTANCE'), p91.end(person, 'SOCIAL_ASSISTANCE')]);
    expect(effects.enrollments.map((row) => [row.program, row.status])).toEqual([
      ['MERITORIOUS', 'SUSPENDED'],
      ['SOCIAL_ASSISTANCE', 'TERMINATED'],
    ]);
    // A suspended enrollment still counts as enrolled; a terminated one cannot start a finding.
    expect(effects.personKeysNowEnrolled).toEqual([person.personKey]);
  });

  it('looks for findings only where a row entered a standing that can make one', () => {
    const person = p91.person('three');
    const snapshot = p91.snapshot(person, 'MERITORIOUS', '2024-04');
    const effects = batchEffectsOf([p91.end(person, 'MERITORIOUS'), p91.schedule(snapshot), p91.fail(snapshot)]);
    expect([effects.personKeysNowEnrolled, effects.personKeysNowPaid]).toEqual([[], []]);
  });

  it('counts every account opened, by province and bank', () => {
    const effects = batchEffectsOf([p91.openAccount(p91.person('a'), 'VBA'), p91.openAccount(p91.person('b'), 'VBA'), p89.openAccount(p89.person('c'), 'BIDV')]);
    expect(effects.accountsOpened).toEqual([
      { province: '91', bankCode: 'VBA', opened: 2 },
      { province: '89', bankCode: 'BIDV', opened: 1 },
    ]);
  });

  it('keeps a province’s latest decision on each finding', () => {
    const person = p91.person('four');
    const findingId = '5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60';
    const effects = batchEffectsOf([p91.resolve(person, findingId, 'MERITORIOUS', 'KEEP'), p91.resolve(person, findingId, 'MERITORIOUS', 'TERMINATE')]);
    expect(effects.resolutions).toEqual([expect.objectContaining({ findingId, province: '91', decision: 'TERMINATE' })]);
  });
});
