import type { ScriptedLedger } from './scripted-ledger.js';

/**
 * The ledger's stored events, written the way its deciders write them, for scripted read-model
 * specs: one short call per fact, so that a spec reads as the story it tells.
 */
export function scriptedEvents(ledger: ScriptedLedger) {
  const beneficiary = (id: string) => `beneficiary-${id}`;
  const disbursement = (id: string) => `disbursement-${id}`;
  let references = 0;
  return {
    register: (id: string, unitCode: string) =>
      ledger.append(beneficiary(id), 'BeneficiaryRegistered', { beneficiaryId: id, nationalId: '091152000001', fullName: 'Lê Thị Hoa', dateOfBirth: '1952-03-14', gender: 'FEMALE', unitCode }),
    enroll: (id: string, program: string, unitCode: string, effectiveFrom: string) =>
      ledger.append(beneficiary(id), 'EnrollmentStarted', {
        beneficiaryId: id,
        program,
        unitCode,
        coefficient: 1000,
        effectiveFrom,
        decision: { number: `${id}/${effectiveFrom}`, date: `${effectiveFrom}-01` },
      }),
    suspend: (id: string, program: string, effectiveFrom: string) => ledger.append(beneficiary(id), 'EnrollmentSuspended', { beneficiaryId: id, program, reason: 'Under review', effectiveFrom }),
    resume: (id: string, program: string, effectiveFrom: string) => ledger.append(beneficiary(id), 'EnrollmentResumed', { beneficiaryId: id, program, effectiveFrom }),
    terminate: (id: string, program: string, effectiveDate: string, recordedOn = effectiveDate) =>
      ledger.append(beneficiary(id), 'EnrollmentTerminated', { beneficiaryId: id, program, reason: 'DECEASED', effectiveDate, recordedOn }),
    correctTermination: (id: string, program: string, previousEffectiveDate: string, effectiveDate: string, recordedOn: string) =>
      ledger.append(beneficiary(id), 'EnrollmentTerminationCorrected', { beneficiaryId: id, program, effectiveDate, previousEffectiveDate, reason: 'Date on the death certificate', recordedOn }),
    revokeTermination: (id: string, program: string, revokedEffectiveDate: string, recordedOn: string) =>
      ledger.append(beneficiary(id), 'EnrollmentTerminationRevoked', { beneficiaryId: id, program, reason: 'Recorded for the wrong person', revokedEffectiveDate, recordedOn }),
    relocate: (id: string, fromUnitCode: string, toUnitCode: string) => ledger.append(beneficiary(id), 'BeneficiaryRelocated', { beneficiaryId: id, fromUnitCode, toUnitCode }),
    openAccount: (id: string, accountId: string, status: 'VERIFIED' | 'UNVERIFIED', extra: object = {}) =>
      ledger.append(beneficiary(id), 'PaymentAccountOpened', {
        beneficiaryId: id,
        accountId,
        bankCode: 'VBA',
        accountNumber: '770012345678',
        holderName: 'LE THI HOA',
        openedOn: '2024-01-02',
        status,
        ...extra,
      }),

    /** The population database's answer about `id`, from line `line` of import `importId`. */
    answerIdentityCheck: (id: string, importId: string, line: number, answer: { outcome: 'MATCHED' } | { outcome: 'MISMATCHED'; mismatchedFields: string[] } | { outcome: 'DECEASED'; dateOfDeath: string }) =>
      ledger.append(beneficiary(id), 'IdentityCheckAnswerRecorded', { beneficiaryId: id, importId, line, ...answer, recordedOn: '2024-06-05' }),
    /** A DECEASED answer that holds the person's payments for review, as the decider records it. */
    reportDeath: async (id: string, unitCode: string, importId: string, line: number, dateOfDeath: string) => {
      await ledger.append(beneficiary(id), 'IdentityCheckAnswerRecorded', { beneficiaryId: id, importId, line, outcome: 'DECEASED', dateOfDeath, recordedOn: '2024-06-05' });
      return ledger.append(beneficiary(id), 'DeathReported', { beneficiaryId: id, unitCode, dateOfDeath, importId, line, recordedOn: '2024-06-05' });
    },
    confirmDeath: (id: string, importId: string, line: number, dateOfDeath: string, confirmedBy = 'officer-2') =>
      ledger.append(beneficiary(id), 'DeathReportConfirmed', { beneficiaryId: id, dateOfDeath, importId, line, confirmedBy, recordedOn: '2024-06-10' }),
    rejectDeath: (id: string, importId: string, line: number, dateOfDeath: string, reason: string, rejectedBy = 'officer-2') =>
      ledger.append(beneficiary(id), 'DeathReportRejected', { beneficiaryId: id, dateOfDeath, importId, line, rejectedBy, reason, recordedOn: '2024-06-10' }),

    /** A finding of the national hub about `id`: enrolled in `program` in provinces 01 and 79 too, or paid there for `period` as well. */
    recordFinding: (id: string, unitCode: string, findingId: string, program: string, period?: string) =>
      ledger.append(beneficiary(id), 'CrossProvinceFindingRecorded', {
        beneficiaryId: id,
        unitCode,
        findingId,
        kind: period ? 'PAID_IN_TWO_PROVINCES' : 'ENROLLED_IN_TWO_PROVINCES',
        program,
        ...(period ? { period } : {}),
        otherProvinces: ['01', '79'],
        foundAt: '2024-06-04T03:00:00.000Z',
        recordedOn: '2024-06-05',
      }),
    resolveFinding: (id: string, findingId: string, program: string, decision: 'KEEP' | 'TERMINATE', reason: string, resolvedBy = 'officer-2') =>
      ledger.append(beneficiary(id), 'CrossProvinceFindingResolved', {
        beneficiaryId: id,
        findingId,
        program,
        decision,
        reason,
        resolvedBy,
        recordedOn: '2024-06-10',
        ...(decision === 'TERMINATE' ? { effectiveDate: '2024-05-31' } : {}),
      }),

    /** A disbursement `id` of `beneficiaryId` scheduled in `run` (BANK into account a-<beneficiary>, or CASH). */
    schedule: (id: string, beneficiaryId: string, program: string, period: string, unitCode: string, channel: 'BANK' | 'CASH', run = `run-${period}`) =>
      ledger.append(disbursement(id), 'DisbursementScheduled', {
        disbursementId: id,
        beneficiaryId,
        program,
        period,
        unitCode,
        amount: 500_000,
        channel,
        account: channel === 'BANK' ? { accountId: `a-${beneficiaryId}`, bankCode: 'VBA', accountNumber: '770012345678', holderName: 'LE THI HOA' } : null,
        dueDate: `${period}-10`,
        arrears: false,
        payrollRunId: run,
        attempt: 1,
      }),
    send: (id: string, run: string) => ledger.append(disbursement(id), 'DisbursementSent', { payrollRunId: run, attempt: 1 }),
    pay: (id: string, paidAt: string, daysLate = 0) =>
      ledger.append(disbursement(id), 'DisbursementPaid', { attempt: 1, providerReference: `FT${++references}`, paidAt, amount: 500_000, daysLate }),
    disbursementEvent: (id: string, type: string, data: object, schemaVersion?: number) => ledger.append(disbursement(id), type, data, schemaVersion),
    beneficiaryEvent: (id: string, type: string, data: object, schemaVersion?: number) => ledger.append(beneficiary(id), type, data, schemaVersion),
  };
}
