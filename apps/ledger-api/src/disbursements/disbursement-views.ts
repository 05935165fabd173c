import { daysLateOnDate, localDateInVietnam, type DisbursementState, type LocalDate } from '@ledger/domain';

/** A disbursement as the API shows it (SPEC 8). Account numbers are never part of it. */
export function disbursementView(state: DisbursementState, today: Date) {
  const daysLate = state.payment ? state.payment.daysLate : state.status === 'CANCELLED' ? 0 : daysLateOnDate(state.dueDate as LocalDate, localDateInVietnam(today));
  return {
    disbursementId: state.disbursementId,
    beneficiaryId: state.beneficiaryId,
    program: state.program,
    period: state.period,
    unitCode: state.unitCode,
    amount: state.amount,
    channel: state.channel,
    ...(state.account ? { bankCode: state.account.bankCode } : {}),
    status: state.status,
    dueDate: state.dueDate,
    daysLate,
    arrears: state.arrears,
    attempt: state.attempt,
    payrollRunId: state.payrollRunId,
    ...(state.payment ? { paidAt: state.payment.paidAt, providerReference: state.payment.providerReference } : {}),
    overpayment: state.overpaymentFlagged,
  };
}
