import {
  BeneficiaryEventType as B,
  DisbursementEventType as D,
  PayrollRunEventType as P,
  upcast,
  type BeneficiaryEvent,
  type DisbursementEvent,
  type PayrollRunEvent,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import type { RowChange } from '../row-changes.js';

type LedgerEvent = BeneficiaryEvent | DisbursementEvent | PayrollRunEvent;

/**
 * The read models as a function of one event: the row changes it implies. Applying the same event
 * twice gives the same rows, and the store writes the checkpoint in the same transaction, so a
 * crash never double counts.
 */
export function projectLedgerEvent(recorded: RecordedEvent): RowChange[] {
  const event = upcast(recorded) as LedgerEvent;
  const position = recorded.globalPosition.toString();
  const disbursementId = recorded.streamName.startsWith('disbursement-') ? recorded.streamName.slice('disbursement-'.length) : '';
  const runId = recorded.streamName.startsWith('payroll-run-') ? recorded.streamName.slice('payroll-run-'.length) : '';

  switch (event.type) {
    case B.Registered: {
      const { beneficiaryId, nationalId, fullName, dateOfBirth, gender, unitCode } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'beneficiaries',
          row: { beneficiary_id: beneficiaryId, national_id: nationalId, full_name: fullName, date_of_birth: dateOfBirth, gender, unit_code: unitCode, registered_position: position },
        },
      ];
    }
    case B.EnrollmentStarted: {
      const { beneficiaryId, program, unitCode, coefficient, effectiveFrom } = event.data;
      return [
        {
          kind: 'upsert',
          table: 'enrollments',
          row: {
            beneficiary_id: beneficiaryId,
            program,
            unit_code: unitCode,
            status: 'ACTIVE',
            coefficient,
            effective_from: effectiveFrom,
            suspended_from: null,
            terminated_on: null,
            termination_reason: null,
          },
        },
      ];
    }
    case B.EnrollmentSuspended:
      return [{ kind: 'update', table: 'enrollments', where: { beneficiary_id: event.data.beneficiaryId, program: event.data.program }, set: { status: 'SUSPENDED', suspended_from: event.data.effectiveFrom } }];
    case B.EnrollmentResumed:
      return [{ kind: 'update', table: 'enrollments', where: { beneficiary_id: event.data.beneficiaryId, program: event.data.program }, set: { status: 'ACTIVE', suspended_from: null } }];
    case B.EnrollmentTerminated:
      return [
        {
          kind: 'update',
          table: 'enrollments',
          where: { beneficiary_id: event.data.beneficiaryId, program: event.data.program },
          set: { status: 'TERMINATED', terminated_on: event.data.effectiveDate, termination_reason: event.data.reason },
        },
      ];
    case B.Relocated:
      return [
        { kind: 'update', table: 'beneficiaries', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
        { kind: 'update', table: 'enrollments', where: { beneficiary_id: event.data.beneficiaryId }, set: { unit_code: event.data.toUnitCode } },
      ];
    case B.PaymentAccountOpened: {
      const { accountId, beneficiaryId, bankCode, accountNumber, holderName, openedOn, status } = event.data;
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
          },
        },
      ];
    }
    case B.PaymentAccountVerified:
      return [{ kind: 'update', table: 'payment_accounts', where: { account_id: event.data.accountId }, set: { status: 'VERIFIED', verified_position: position } }];
    case B.PaymentAccountClosed:
      return [{ kind: 'update', table: 'payment_accounts', where: { account_id: event.data.accountId }, set: { status: 'CLOSED' } }];

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
        disbursementUpdate(disbursementId, position, { status: 'SCHEDULED', attempt: event.data.attempt, channel: event.data.channel, bank_code: event.data.account?.bankCode ?? null, payroll_run_id: null }),
      ];
    case D.Cancelled:
      return [disbursementUpdate(disbursementId, position, { status: 'CANCELLED' })];
    case D.DuplicatePaymentRejected: {
      const { providerReference, paidUnderReference, amount, paidAt } = event.data;
      return [
        {
          kind: 'insert',
          table: 'duplicate_attempts',
          row: {
            position,
            disbursement_id: disbursementId,
            provider_reference: providerReference,
            paid_under_reference: paidUnderReference,
            amount,
            paid_at: paidAt,
            recorded_at: recorded.recordedAt.toISOString(),
          },
        },
      ];
    }
    case D.OverpaymentFlagged:
      return [disbursementUpdate(disbursementId, position, { overpayment: true, termination_date: event.data.terminationEffectiveDate })];

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
        }),
      ];
    case P.Approved:
      return [runUpdate(runId, { status: 'APPROVED', approved_by: event.data.approvedBy })];
    case P.Sent:
      return [runUpdate(runId, { status: 'SENT', sent: event.data.sent, cancelled: event.data.cancelled })];
    case P.Abandoned:
      return [runUpdate(runId, { status: 'ABANDONED' })];
    default:
      return [];
  }
}

// Module-level rather than closures made per event: a rebuild projects millions of events.
const disbursementUpdate = (disbursementId: string, position: string, set: Record<string, string | number | boolean | null>): RowChange => ({
  kind: 'update',
  table: 'disbursements',
  where: { disbursement_id: disbursementId },
  set: { ...set, updated_position: position },
});

const runUpdate = (runId: string, set: Record<string, string | number | null>): RowChange => ({ kind: 'update', table: 'payroll_runs', where: { run_id: runId }, set });
