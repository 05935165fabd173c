import { describe, expect, it } from '@jest/globals';
import { bankPrintedName, disbursementIdFor, uuidV5 } from '@ledger/domain';
import fc from 'fast-check';
import { contractValidator, schemaFileOf } from './testing/contract-schemas.js';
import { InternalHistory, publishHistory } from './testing/internal-history.js';
import { PUBLISHED_AS, type InternalEventType } from './to-integration-events.js';

/**
 * Whatever a province records, its integration events carry nothing that names a person: no
 * national id, no name, no account number, no holder name — not even where the province's own free
 * text (reasons, notes) quotes them, as real reasons do.
 */

const PERSON_NAMESPACE = '6a5b4c3d-2e1f-5a0b-9c8d-7e6f5a4b3c2d';
const PROGRAMS = ['MERITORIOUS', 'SOCIAL_ASSISTANCE'] as const;
const UNITS = ['899', '900', '901', '91'] as const;
const BANKS = ['VBA', 'BIDV', 'VCB'] as const;
const PERIODS = ['2024-01', '2024-02', '2024-03', '2024-04'] as const;

const letter = fc.constantFrom(...'abcdeghiklmnopqrstuvxyàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ');
const syllable = fc.array(letter, { minLength: 2, maxLength: 7 }).map((letters) => letters.join('').replace(/^./, (first) => first.toUpperCase()));
const person = fc.record({
  nationalId: fc.stringMatching(/^[0-9]{12}$/),
  fullName: fc.tuple(fc.constantFrom('Nguyễn', 'Trần', 'Lê', 'Phạm', 'Bùi', 'Đặng', 'Hồ'), syllable, syllable).map((parts) => parts.join(' ')),
  accountNumber: fc.stringMatching(/^[0-9]{8,16}$/),
  /** The holder as the bank prints the name, or someone else's name on the account (an UNVERIFIED opening). */
  holderIsAnother: fc.boolean(),
  otherHolder: fc.tuple(syllable, syllable, syllable).map((parts) => bankPrintedName(parts.join(' '))),
});
type Person = typeof person extends fc.Arbitrary<infer P> ? P : never;

/** Free text as operators, banks and clerks write it: sometimes a code first, often the person's name or account. */
const freeText = (who: Person, holder: string) =>
  fc.constantFrom(
    `AC04: account ${who.accountNumber} of ${holder} closed`,
    `NARR: ${who.fullName} moved away`,
    `${who.fullName} không có mặt`,
    `NO_REASON_GIVEN: ${holder}`,
    `Số tài khoản ${who.accountNumber}, CCCD ${who.nationalId}`,
    'NOT_COLLECTED',
    'AM04',
  );

const step = fc.oneof(
  fc.record({ kind: fc.constantFrom('enroll', 'suspend', 'resume', 'terminate', 'correct', 'revoke', 'findingRecorded', 'findingResolved'), program: fc.constantFrom(...PROGRAMS) }),
  fc.record({ kind: fc.constantFrom('relocate', 'openAccount', 'verifyAccount', 'closeAccount', 'identityCheck', 'deathReported', 'deathDecided'), unit: fc.constantFrom(...UNITS), bank: fc.constantFrom(...BANKS) }),
  fc.record({ kind: fc.constant('schedule'), program: fc.constantFrom(...PROGRAMS), period: fc.constantFrom(...PERIODS), bank: fc.boolean(), arrears: fc.boolean() }),
  fc.record({
    kind: fc.constantFrom('assign', 'send', 'pay', 'fail', 'return', 'reschedule', 'cancel', 'changeChannel', 'relocateDisbursement', 'release', 'duplicate', 'flag', 'withdraw'),
    which: fc.nat(),
    bank: fc.boolean(),
    unit: fc.constantFrom(...UNITS),
    paidAt: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2024-12-31T23:59:59Z'), noInvalidDate: true }),
  }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** A history of one to three people, each registered first, then the steps in order, the ones that make no sense just then left out. */
function historyOf(people: readonly Person[], stepsByPerson: ReadonlyArray<readonly Step[]>, reasons: readonly string[]) {
  const history = new InternalHistory();
  let reasonIndex = 0;
  const reason = () => reasons[reasonIndex++ % reasons.length]!;
  people.forEach((who, index) => {
    const beneficiaryId = uuidV5(who.nationalId, PERSON_NAMESPACE);
    const holder = who.holderIsAnother ? who.otherHolder : bankPrintedName(who.fullName);
    const account = { accountId: `a-${index}`, bankCode: 'VBA', accountNumber: who.accountNumber, holderName: holder };
    const b = (type: string, data: object) => history.beneficiary(beneficiaryId, type, { beneficiaryId, ...data });
    const d = (id: string, type: string, data: object) => history.disbursement(id, type, data);
    const terminated = new Set<string>();
    const disbursements: string[] = [];
    b('BeneficiaryRegistered', { nationalId: who.nationalId, fullName: who.fullName, dateOfBirth: '1950-01-01', gender: 'MALE', unitCode: '899' });
    for (const s of stepsByPerson[index] ?? []) {
      const attempt = 1;
      switch (s.kind) {
        case 'enroll':
          b('EnrollmentStarted', { program: s.program, unitCode: '899', coefficient: 1000, effectiveFrom: '2024-01', decision: { number: `${who.fullName}/1`, date: '2023-12-20' } });
          break;
        case 'suspend':
          b('EnrollmentSuspended', { program: s.program, reason: reason(), effectiveFrom: '2024-02' });
          break;
        case 'resume':
          b('EnrollmentResumed', { program: s.program, effectiveFrom: '2024-03' });
          break;
        case 'terminate':
          b('EnrollmentTerminated', { program: s.program, reason: 'NO_LONGER_ELIGIBLE', effectiveDate: '2024-02-10', recordedOn: '2024-02-11' });
          terminated.add(s.program);
          break;
        case 'correct':
          if (terminated.has(s.program)) b('EnrollmentTerminationCorrected', { program: s.program, effectiveDate: '2024-03-10', previousEffectiveDate: '2024-02-10', reason: reason(), recordedOn: '2024-03-11' });
          break;
        case 'revoke':
          if (terminated.delete(s.program)) b('EnrollmentTerminationRevoked', { program: s.program, reason: reason(), revokedEffectiveDate: '2024-02-10', recordedOn: '2024-03-11' });
          break;
        case 'findingRecorded':
          b('CrossProvinceFindingRecorded', { unitCode: '899', findingId: uuidV5(`${who.nationalId}/${s.program}`, PERSON_NAMESPACE), kind: 'ENROLLED_IN_TWO_PROVINCES', program: s.program, otherProvinces: ['79'], foundAt: '2024-05-01T00:00:00.000Z', recordedOn: '2024-05-01' });
          break;
        case 'findingResolved':
          b('CrossProvinceFindingResolved', { findingId: uuidV5(`${who.nationalId}/${s.program}`, PERSON_NAMESPACE), program: s.program, decision: 'KEEP', reason: reason(), resolvedBy: 'hoa.operator', recordedOn: '2024-05-02' });
          break;
        case 'relocate':
          b('BeneficiaryRelocated', { fromUnitCode: '899', toUnitCode: s.unit });
          break;
        case 'openAccount':
          b('PaymentAccountOpened', { ...account, bankCode: s.bank, openedOn: '2024-01-05', status: who.holderIsAnother ? 'UNVERIFIED' : 'VERIFIED', ...(who.holderIsAnother && { unverifiedReason: 'NAME_MISMATCH' }) });
          break;
        case 'verifyAccount':
          b('PaymentAccountVerified', { accountId: account.accountId, reason: reason(), verifiedBy: 'hoa.operator' });
          break;
        case 'closeAccount':
          b('PaymentAccountClosed', { accountId: account.accountId, reason: reason() });
          break;
        case 'identityCheck':
          b('IdentityCheckAnswerRecorded', { importId: 'import-1', line: 1, outcome: 'MISMATCHED', mismatchedFields: ['fullName'], recordedOn: '2024-06-01' });
          break;
        case 'deathReported':
          b('DeathReported', { unitCode: s.unit, dateOfDeath: '2024-05-20', importId: 'import-1', line: 1, recordedOn: '2024-06-01' });
          break;
        case 'deathDecided':
          b('DeathReportRejected', { dateOfDeath: '2024-05-20', importId: 'import-1', line: 1, rejectedBy: 'hoa.operator', reason: reason(), recordedOn: '2024-06-02' });
          break;
        case 'schedule': {
          const id = disbursementIdFor(beneficiaryId, s.program, s.period);
          if (disbursements.includes(id)) break;
          disbursements.push(id);
          d(id, 'DisbursementScheduled', {
            disbursementId: id,
            beneficiaryId,
            program: s.program,
            period: s.period,
            unitCode: '899',
            amount: 1_500_000,
            channel: s.bank ? 'BANK' : 'CASH',
            account: s.bank ? account : null,
            dueDate: `${s.period}-10`,
            arrears: s.arrears,
            payrollRunId: 'run-1',
            attempt,
          });
          break;
        }
        default: {
          const id = disbursements[s.which % Math.max(disbursements.length, 1)];
          if (id === undefined) break;
          const events: Record<typeof s.kind, () => void> = {
            assign: () => d(id, 'DisbursementAssignedToRun', { payrollRunId: 'run-2', attempt }),
            send: () => d(id, 'DisbursementSent', { payrollRunId: 'run-1', attempt }),
            pay: () => d(id, 'DisbursementPaid', { attempt, providerReference: `FT-${who.accountNumber}`, paidAt: s.paidAt.toISOString(), amount: 1_500_000, daysLate: 0 }),
            fail: () => d(id, 'DisbursementFailed', { attempt, reason: reason() }),
            return: () => d(id, 'DisbursementReturned', { attempt, reason: reason() }),
            reschedule: () => d(id, 'DisbursementRescheduled', { attempt: 2, previousAttempt: 1, channel: s.bank ? 'BANK' : 'CASH', account: s.bank ? account : null, reason: reason() }),
            cancel: () => d(id, 'DisbursementCancelled', { attempt, reason: 'ENROLLMENT_SUSPENDED' }),
            changeChannel: () => d(id, 'DisbursementChannelChanged', { attempt, channel: 'CASH', account: null, reason: 'ACCOUNT_CLOSED' }),
            relocateDisbursement: () => d(id, 'DisbursementRelocated', { attempt, fromUnitCode: '899', toUnitCode: s.unit }),
            release: () => d(id, 'DisbursementReleasedFromRun', { payrollRunId: 'run-1', attempt }),
            duplicate: () =>
              d(id, 'DuplicatePaymentRejected', { disbursementId: id, providerReference: `FT-${who.accountNumber}-2`, paidAt: s.paidAt.toISOString(), amount: 1_500_000, reason: 'PAID_UNDER_ANOTHER_REFERENCE' }),
            flag: () => d(id, 'OverpaymentFlagged', { amount: 1_500_000, reason: reason(), reasonCode: 'TERMINATED_BEFORE_PERIOD', terminationEffectiveDate: '2024-02-10' }),
            withdraw: () => d(id, 'OverpaymentWithdrawn', { amount: 1_500_000, reason: reason() }),
          };
          events[s.kind]();
        }
      }
    }
  });
  return history.events;
}

const histories = fc
  .array(person, { minLength: 1, maxLength: 3 })
  .chain((people) =>
    fc.tuple(
      fc.constant(people),
      fc.array(fc.array(step, { maxLength: 30 }), { minLength: people.length, maxLength: people.length }),
      fc.array(fc.oneof(...people.map((who) => freeText(who, who.holderIsAnother ? who.otherHolder : bankPrintedName(who.fullName)))), { minLength: 1, maxLength: 8 }),
    ),
  );

describe('integration events published from any history', () => {
  const validate = contractValidator();

  it('never carry a national id, a name, an account number or a holder name, and are valid against their schemas', () => {
    fc.assert(
      fc.property(histories, ([people, steps, reasons]) => {
        const events = historyOf(people, steps, reasons);
        const { published } = publishHistory(events, { province: '91', nationalKey: 'property-national-key' });
        const personal = people.flatMap((who) => [who.nationalId, who.fullName, who.accountNumber, who.otherHolder, bankPrintedName(who.fullName)]);
        for (const message of published) {
          const json = JSON.stringify(message);
          for (const secret of personal) if (json.includes(secret)) throw new Error(`${message.type} carries personal data: ${json}`);
          const errors = validate(schemaFileOf(message.type), message);
          if (errors.length > 0) throw new Error(`${message.type} is invalid: ${errors.join('; ')}\n${json}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('do carry the facts the hub needs: the property is not won by publishing nothing', () => {
    fc.assert(
      fc.property(histories, ([people, steps, reasons]) => {
        const events = historyOf(people, steps, reasons);
        const { published } = publishHistory(events, { province: '91', nationalKey: 'property-national-key' });
        const publishable = events.filter((event) => PUBLISHED_AS[event.type as InternalEventType] !== 'NOT_PUBLISHED');
        expect(published.map((message) => message.sourcePosition)).toEqual(publishable.map((event) => event.globalPosition.toString()));
      }),
      { numRuns: 50 },
    );
  });
});
