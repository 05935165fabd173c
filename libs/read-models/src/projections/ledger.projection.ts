import {
  aggregateOfStream,
  ENROLLMENT_STATUS,
  bankPrintedName,
  AccountNumberEventType as A,
  BeneficiaryEventType as B,
  DisbursementEventType as D,
  FileImportEventType as F,
  PayrollRunEventType as P,
  ProviderReferenceEventType as R,
  upcast,
  type AccountNumberEvent,
  type BeneficiaryEvent,
  type DisbursementEvent,
  type FileImportEvent,
  type PayrollRunEvent,
  type ProviderReferenceEvent,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import type { RowChange, SqlValue } from '../row-changes.js';

type LedgerEvent = BeneficiaryEvent | DisbursementEvent | PayrollRunEvent | ProviderReferenceEvent | AccountNumberEvent | FileImportEvent;

/**
 * The read models as a function of one event: the row changes it implies. Applying the same event
 * twice gives the same rows, and the store writes the checkpoint in the same transaction, so a
 * crash never double counts.
 *
 * Rows matched by what they hold rather than by key — the open suspension a resumption ends, the
 * spell a termination ends, the termination a correction moves — are those of the enrollment's
 * latest spell, which is all its events act on. A batch applied again after a crash may reach a
 * row its first application did not: one created later in the same batch. So the events that
 * create such rows (EnrollmentStarted, EnrollmentSuspended) write them whole, setting again
 * whatever an earlier event of the batch may have touched.
 */
export function projectLedgerEvent(recorded: RecordedEvent): RowChange[] {
  const event = upcast(recorded) as LedgerEvent;
  const position = recorded.globalPosition.toString();
  const stream = aggregateOfStream(recorded.streamName);
  const disbursementId = stream?.aggregate === 'disbursement' ? stream.id : '';
  const runId = stream?.aggregate === 'payrollRun' ? stream.id : '';

  switch (event.type) {
    case B.Registered: {
      const { beneficiaryId, nationalId, fullName, dateOfBirth, gender, unitCode } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'beneficiaries',
          row: {
            beneficiary_id: beneficiaryId,
            national_id: nationalId,
            full_name: fullName,
            date_of_birth: dateOfBirth,
            gender,
            unit_code: unitCode,
            registered_position: position,
            // The name as a search compares it: 'bui trung tai' finds 'Bùi Trung Tài'.
            folded_name: bankPrintedName(fullName),
          },
        },
      ];
    }
    case B.EnrollmentStarted: {
      // The first enrollment in a program, or a re-enrollment after a termination: a new spell either way.
      const { beneficiaryId, program, unitCode, coefficient, effectiveFrom, decision } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'enrollments',
          row: {
            beneficiary_id: beneficiaryId,
            program,
            unit_code: unitCode,
            status: ENROLLMENT_STATUS.ACTIVE,
            coefficient,
            effective_from: effectiveFrom,
            suspended_from: null,
            terminated_on: null,
            termination_reason: null,
          },
        },
        {
          kind: 'upsert',
          table: 'enrollment_spells',
          row: {
            beneficiary_id: beneficiaryId,
            program,
            effective_from: effectiveFrom,
            coefficient,
            decision_number: decision.number,
            decision_date: decision.date,
            started_position: position,
            terminated_on: null,
            termination_reason: null,
          },
        },
      ];
    }
    case B.EnrollmentSuspended: {
      const { beneficiaryId, program, effectiveFrom, reason } = event.data;
      return [
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: beneficiaryId, program }, set: { status: ENROLLMENT_STATUS.SUSPENDED, suspended_from: effectiveFrom } },
        {
          // Whole, not insert-if-absent: see "matched by what they hold" above projectLedgerEvent.
          kind: 'upsert',
          table: 'enrollment_suspensions',
          row: { beneficiary_id: beneficiaryId, program, position, suspended_from: effectiveFrom, reason, resumed_from: null, ended_by_termination_on: null },
        },
      ];
    }
    case B.EnrollmentResumed: {
      const { beneficiaryId, program, effectiveFrom } = event.data;
      return [
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: beneficiaryId, program }, set: { status: ENROLLMENT_STATUS.ACTIVE, suspended_from: null } },
        { kind: 'update', table: 'enrollment_suspensions', where: openSuspensionOf(beneficiaryId, program), set: { resumed_from: effectiveFrom } },
      ];
    }
    case B.EnrollmentTerminated: {
      // Ends the latest spell, the only one not terminated yet; an open suspension ends with it.
      const { beneficiaryId, program, effectiveDate, reason } = event.data;
      return [
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: beneficiaryId, program }, set: { status: ENROLLMENT_STATUS.TERMINATED, terminated_on: effectiveDate, termination_reason: reason } },
        { kind: 'update', table: 'enrollment_spells', where: { beneficiary_id: beneficiaryId, program, terminated_on: null }, set: { terminated_on: effectiveDate, termination_reason: reason } },
        { kind: 'update', table: 'enrollment_suspensions', where: openSuspensionOf(beneficiaryId, program), set: { ended_by_termination_on: effectiveDate } },
      ];
    }
    case B.EnrollmentTerminationCorrected: {
      // The latest spell's termination: terminations of different spells never share a date.
      const { beneficiaryId, program, effectiveDate, previousEffectiveDate } = event.data;
      return [
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: beneficiaryId, program }, set: { terminated_on: effectiveDate } },
        { kind: 'update', table: 'enrollment_spells', where: { beneficiary_id: beneficiaryId, program, terminated_on: previousEffectiveDate }, set: { terminated_on: effectiveDate } },
        {
          kind: 'update',
          table: 'enrollment_suspensions',
          where: { beneficiary_id: beneficiaryId, program, ended_by_termination_on: previousEffectiveDate },
          set: { ended_by_termination_on: effectiveDate },
        },
      ];
    }
    case B.EnrollmentTerminationRevoked: {
      // As if never terminated: a suspension open at the termination is open again.
      const { beneficiaryId, program, revokedEffectiveDate } = event.data;
      const enrollment = { beneficiary_id: beneficiaryId, program };
      return [
        { kind: 'update', table: 'enrollments', where: enrollment, set: { status: ENROLLMENT_STATUS.SUSPENDED, terminated_on: null, termination_reason: null } },
        { kind: 'update', table: 'enrollments', where: { ...enrollment, suspended_from: null }, set: { status: ENROLLMENT_STATUS.ACTIVE } },
        { kind: 'update', table: 'enrollment_spells', where: { ...enrollment, terminated_on: revokedEffectiveDate }, set: { terminated_on: null, termination_reason: null } },
        { kind: 'update', table: 'enrollment_suspensions', where: { ...enrollment, ended_by_termination_on: revokedEffectiveDate }, set: { ended_by_termination_on: null } },
      ];
    }
    case B.Relocated:
      return [
        { kind: 'update', table: 'beneficiaries', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
        // A report waiting for review moves to the operators of the new unit; so do the person's findings.
        { kind: 'update', table: 'death_reports', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
        { kind: 'update', table: 'cross_province_findings', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
      ];
    case B.PaymentAccountOpened: {
      const { accountId, beneficiaryId, bankCode, accountNumber, holderName, openedOn, status, unverifiedReason, openedBy } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'payment_accounts',
          row: {
            account_id: accountId,
            beneficiary_id: beneficiaryId,
            bank_code: bankCode,
            account_number: accountNumber,
            holder_name: holderName,
            opened_on: openedOn,
            status,
            verified_position: status === 'VERIFIED' ? position : null,
            unverified_reason: unverifiedReason ?? null,
            opened_by: openedBy ?? null,
            verified_by: null,
          },
        },
      ];
    }
    case B.PaymentAccountVerified:
      return [
        {
          kind: 'update',
          table: 'payment_accounts',
          where: { account_id: event.data.accountId },
          set: { status: 'VERIFIED', verified_position: position, verified_by: event.data.verifiedBy ?? null },
        },
      ];
    case B.PaymentAccountClosed:
      return [{ kind: 'update', table: 'payment_accounts', where: { account_id: event.data.accountId }, set: { status: 'CLOSED' } }];
    case B.IdentityCheckAnswerRecorded:
      return [
        {
          kind: 'update',
          table: 'beneficiaries',
          where: { beneficiary_id: event.data.beneficiaryId },
          set: { identity_check: event.data.outcome, identity_check_fields: event.data.mismatchedFields?.join(',') ?? null, identity_checked_at: recorded.recordedAt.toISOString() },
        },
      ];
    case B.DeathReported: {
      const { beneficiaryId, unitCode, dateOfDeath, importId, line } = event.data;
      return [
        {
          // Whole: a batch applied again after a crash may have moved or decided it already; the events after it in the batch set that again.
          kind: 'upsert',
          table: 'death_reports',
          row: {
            beneficiary_id: beneficiaryId,
            import_id: importId,
            line,
            unit_code: unitCode,
            date_of_death: dateOfDeath,
            reported_at: recorded.recordedAt.toISOString(),
            reported_position: position,
            status: 'OPEN',
            decided_by: null,
            decided_at: null,
            rejection_reason: null,
          },
        },
      ];
    }
    case B.DeathReportConfirmed: {
      const { beneficiaryId, importId, line, confirmedBy } = event.data;
      return [
        {
          kind: 'update',
          table: 'death_reports',
          where: { beneficiary_id: beneficiaryId, import_id: importId, line },
          set: { status: 'CONFIRMED', decided_by: confirmedBy, decided_at: recorded.recordedAt.toISOString() },
        },
      ];
    }
    case B.DeathReportRejected: {
      const { beneficiaryId, importId, line, rejectedBy, reason } = event.data;
      return [
        {
          kind: 'update',
          table: 'death_reports',
          where: { beneficiary_id: beneficiaryId, import_id: importId, line },
          set: { status: 'REJECTED', decided_by: rejectedBy, decided_at: recorded.recordedAt.toISOString(), rejection_reason: reason },
        },
      ];
    }
    case B.CrossProvinceFindingRecorded: {
      const { beneficiaryId, unitCode, findingId, kind, program, period, otherProvinces, foundAt } = event.data;
      return [
        {
          // Whole: a batch applied again after a crash may have moved or resolved it already; the events after it in the batch set that again.
          kind: 'upsert',
          table: 'cross_province_findings',
          row: {
            finding_id: findingId,
            beneficiary_id: beneficiaryId,
            unit_code: unitCode,
            kind,
            program,
            period: period ?? null,
            other_provinces: otherProvinces.join(','),
            found_at: foundAt,
            recorded_position: position,
            status: 'OPEN',
            decision: null,
            reason: null,
            resolved_by: null,
            resolved_at: null,
          },
        },
      ];
    }
    case B.CrossProvinceFindingResolved: {
      const { beneficiaryId, findingId, decision, reason, resolvedBy } = event.data;
      return [
        {
          kind: 'update',
          table: 'cross_province_findings',
          where: { beneficiary_id: beneficiaryId, finding_id: findingId },
          set: { status: 'RESOLVED', decision, reason, resolved_by: resolvedBy, resolved_at: recorded.recordedAt.toISOString() },
        },
      ];
    }

    case D.Scheduled: {
      const d = event.data;
      return [
        {
          kind: 'upsert',
          table: 'disbursements',
          row: {
            disbursement_id: d.disbursementId,
            beneficiary_id: d.beneficiaryId,
            program: d.program,
            period: d.period,
            unit_code: d.unitCode,
            amount: d.amount,
            channel: d.channel,
            bank_code: d.account?.bankCode ?? null,
            status: 'SCHEDULED',
            due_date: d.dueDate,
            arrears: d.arrears,
            attempt: d.attempt,
            payroll_run_id: d.payrollRunId,
            paid_at: null,
            days_late: null,
            provider_reference: null,
            overpayment: false,
            termination_date: null,
            updated_position: position,
            overpayment_reason: null,
            channel_change_reason: null,
          },
        },
      ];
    }
    case D.AssignedToRun:
      return [disbursementUpdate(disbursementId, position, { payroll_run_id: event.data.payrollRunId })];
    case D.Sent:
      return [disbursementUpdate(disbursementId, position, { status: 'SENT', payroll_run_id: event.data.payrollRunId })];
    case D.Paid:
      return [disbursementUpdate(disbursementId, position, { status: 'PAID', paid_at: event.data.paidAt, days_late: event.data.daysLate, provider_reference: event.data.providerReference })];
    case D.Failed:
      return [disbursementUpdate(disbursementId, position, { status: 'FAILED' })];
    case D.Returned:
      return [disbursementUpdate(disbursementId, position, { status: 'RETURNED' })];
    case D.Rescheduled:
      return [
        disbursementUpdate(disbursementId, position, {
          status: 'SCHEDULED',
          attempt: event.data.attempt,
          channel: event.data.channel,
          bank_code: event.data.account?.bankCode ?? null,
          payroll_run_id: null,
          channel_change_reason: null,
        }),
      ];
    case D.Cancelled:
      // Also a FAILED or RETURNED month no longer owed: no longer late, no longer to pay.
      return [disbursementUpdate(disbursementId, position, { status: 'CANCELLED' })];
    case D.DuplicatePaymentRejected: {
      const { providerReference, paidUnderReference, amount, paidAt, reason } = event.data;
      return [
        {
          kind: 'insert',
          table: 'duplicate_attempts',
          row: {
            position,
            disbursement_id: disbursementId,
            provider_reference: providerReference,
            paid_under_reference: paidUnderReference ?? null,
            amount,
            paid_at: paidAt,
            recorded_at: recorded.recordedAt.toISOString(),
            reason: reason ?? 'PAID_UNDER_ANOTHER_REFERENCE',
          },
        },
      ];
    }
    case D.OverpaymentFlagged:
      return [
        disbursementUpdate(disbursementId, position, {
          overpayment: true,
          overpayment_reason: event.data.reasonCode ?? 'TERMINATED_BEFORE_PERIOD',
          termination_date: event.data.terminationEffectiveDate ?? null,
        }),
      ];
    case D.OverpaymentWithdrawn:
      // The termination that made the month an overpayment no longer stands: owed after all, nothing to recover.
      return [disbursementUpdate(disbursementId, position, { overpayment: false, overpayment_reason: null, termination_date: null })];
    case D.ChannelChanged:
      return [
        disbursementUpdate(disbursementId, position, { channel: event.data.channel, bank_code: event.data.account?.bankCode ?? null, channel_change_reason: event.data.reason }),
      ];
    case D.Relocated:
      return [
        disbursementUpdate(disbursementId, position, { unit_code: event.data.toUnitCode }),
        // An unsent attempt leaves its run for the new unit's next run; a failed or returned one keeps the run that sent it.
        { kind: 'update', table: 'disbursements', where: { disbursement_id: disbursementId, status: 'SCHEDULED' }, set: { payroll_run_id: null } },
      ];
    case D.ReleasedFromRun:
      return [disbursementUpdate(disbursementId, position, { payroll_run_id: null })];

    case P.Created: {
      const { runId: id, period, program, unitCode, createdBy } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'payroll_runs',
          row: {
            run_id: id,
            period,
            program,
            unit_code: unitCode,
            status: 'SCHEDULING',
            created_by: createdBy,
            approved_by: null,
            scheduled: 0,
            already_scheduled: 0,
            arrears: 0,
            total_amount: 0,
            sent: 0,
            cancelled: 0,
            large_arrears: 0,
            rejected_by: null,
            rejection_reason: null,
          },
        },
      ];
    }
    case P.DisbursementsIncluded:
      return [];
    case P.Scheduled:
      return [
        runUpdate(runId, {
          status: 'SCHEDULED',
          scheduled: event.data.scheduled,
          already_scheduled: event.data.alreadyScheduled,
          arrears: event.data.arrears,
          total_amount: event.data.totalAmount,
          large_arrears: event.data.largeArrears?.length ?? 0,
        }),
      ];
    case P.Approved:
      return [runUpdate(runId, { status: 'APPROVED', approved_by: event.data.approvedBy })];
    case P.Sent:
      return [runUpdate(runId, { status: 'SENT', sent: event.data.sent, cancelled: event.data.cancelled })];
    case P.Abandoned:
      return [runUpdate(runId, { status: 'ABANDONED' })];
    case P.Rejected:
      return [runUpdate(runId, { status: 'REJECTED', rejected_by: event.data.rejectedBy, rejection_reason: event.data.reason })];

    // Reservations that keep a provider reference or an account number to one holder: the write
    // side's uniqueness, which no report needs.
    case R.Claimed:
    case A.Claimed:
    case A.Released:
      return [];

    case F.Started: {
      const { importId, kind, format, sha256, byteLength, lineCount, importedBy, units, startedAt } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'file_imports',
          row: {
            import_id: importId,
            kind,
            format,
            sha256,
            byte_length: byteLength,
            line_count: lineCount,
            imported_by: importedBy,
            units: units.join(','),
            started_at: startedAt,
            started_position: position,
            completed_at: null,
            ...Object.fromEntries(IMPORT_COUNT_COLUMNS.map((column) => [column, null])),
          },
        },
      ];
    }
    // The lines themselves stay on the import's stream: the report reads them there.
    case F.LinesReconciled:
      return [];
    case F.Completed: {
      const { counts, completedAt } = event.data;
      const importId = stream?.aggregate === 'fileImport' ? stream.id : '';
      return [
        {
          kind: 'update',
          table: 'file_imports',
          where: { import_id: importId },
          set: {
            completed_at: completedAt,
            applied: counts.APPLIED,
            already_recorded: counts.ALREADY_RECORDED,
            unmatched: counts.UNMATCHED,
            out_of_scope: counts.OUT_OF_SCOPE,
            amount_mismatch: counts.AMOUNT_MISMATCH,
            duplicate: counts.DUPLICATE,
            refused: counts.REFUSED,
            unreadable: counts.UNREADABLE,
            ignored: counts.IGNORED,
          },
        },
      ];
    }
    default:
      return notProjected(event);
  }
}

const IMPORT_COUNT_COLUMNS = ['applied', 'already_recorded', 'unmatched', 'out_of_scope', 'amount_mismatch', 'duplicate', 'refused', 'unreadable', 'ignored'] as const;

/** Every event type of the ledger has its case above (the compiler checks); one it does not know, written by a newer ledger, has no rows here. */
const notProjected = (_event: never): RowChange[] => [];

/** The suspension of a program that is open: not resumed, and its spell not terminated. */
const openSuspensionOf = (beneficiaryId: string, program: string) => ({ beneficiary_id: beneficiaryId, program, resumed_from: null, ended_by_termination_on: null });

// Module-level rather than closures made per event: a rebuild projects millions of events.
const disbursementUpdate = (disbursementId: string, position: string, set: Record<string, SqlValue>): RowChange => ({
  kind: 'update',
  table: 'disbursements',
  where: { disbursement_id: disbursementId },
  set: { ...set, updated_position: position },
});

const runUpdate = (runId: string, set: Record<string, string | number | null>): RowChange => ({ kind: 'update', table: 'payroll_runs', where: { run_id: runId }, set });
