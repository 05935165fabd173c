import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { ok } from '../api.js';
import { Badge, Loading, PageHeader, Pager, ProblemAlert, paymentTone, useCursorPages } from '../components/ui.js';
import { formatDate, formatInstant, formatPeriod, formatVnd } from '../format.js';
import { mayAct, mayAudit, useLedger, useSignedIn } from '../session.js';
import { shortUnitName, unitName } from '../units.js';
import { PersonActions } from './PersonActions.js';

/** A person's page: who they are, what they are enrolled in, their accounts, and every payment with its status and days late. */
export function Person() {
  const { t } = useTranslation();
  const { beneficiaryId = '' } = useParams();
  const ledger = useLedger();
  const session = useSignedIn();
  const person = useQuery({
    queryKey: ['beneficiary', beneficiaryId],
    queryFn: () => ok(ledger.GET('/v1/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId } } })),
  });

  if (person.isPending) return <Loading />;
  if (person.error) return <ProblemAlert error={person.error} />;
  const view = person.data;
  return (
    <>
      <PageHeader title={view.fullName}>
        <p>{t('person.title')}</p>
        {mayAudit(session) && (
          <p>
            <Link to={`/audit/streams/${beneficiaryId}`}>{t('person.auditHistory')}</Link>
          </p>
        )}
      </PageHeader>
      <Identity view={view} />
      <Enrollments view={view} />
      <Accounts view={view} />
      {mayAct(session) && <PersonActions view={view} />}
      <Payments beneficiaryId={beneficiaryId} />
    </>
  );
}

function Identity({ view }: { view: Schema<'BeneficiaryView'> }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="identity">
      <h2 id="identity">{t('person.identity')}</h2>
      <dl className="facts">
        <dt>{t('person.nationalId')}</dt>
        <dd className="mono">{view.nationalId}</dd>
        {view.dateOfBirth ? (
          <>
            <dt>{t('person.dateOfBirth')}</dt>
            <dd>{formatDate(view.dateOfBirth)}</dd>
          </>
        ) : (
          <>
            <dt>{t('person.birthYear')}</dt>
            <dd>{view.birthYear ?? '—'}</dd>
          </>
        )}
        <dt>{t('person.gender')}</dt>
        <dd>{t(`gender.${view.gender}`)}</dd>
        <dt>{t('person.unit')}</dt>
        <dd>{unitName(view.unitCode)}</dd>
        <dt>{t('person.channel')}</dt>
        <dd>{t(`channel.${view.channel}`)}</dd>
      </dl>
    </section>
  );
}

function Enrollments({ view }: { view: Schema<'BeneficiaryView'> }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="enrollments">
      <h2 id="enrollments">{t('person.enrollments')}</h2>
      <div className="table-scroll" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('person.program')}</th>
              <th scope="col">{t('person.coefficient')}</th>
              <th scope="col">{t('person.effectiveFrom')}</th>
              <th scope="col">{t('person.status')}</th>
            </tr>
          </thead>
          <tbody>
            {view.enrollments.map((enrollment) => (
              <tr key={enrollment.program}>
                <td>{t(`programs.${enrollment.program}`, { defaultValue: enrollment.program })}</td>
                <td>{(enrollment.coefficient / 1000).toFixed(3).replace('.', ',')}</td>
                <td>{formatPeriod(enrollment.effectiveFrom)}</td>
                <td>
                  <Badge tone={enrollment.status === 'ACTIVE' ? 'good' : enrollment.status === 'SUSPENDED' ? 'warn' : 'neutral'}>{t(`enrollmentStatus.${enrollment.status}`)}</Badge>{' '}
                  {enrollment.status === 'SUSPENDED' && t('person.since', { date: formatPeriod(enrollment.suspendedFrom) })}
                  {enrollment.status === 'TERMINATED' && (
                    <>
                      {t('person.since', { date: formatDate(enrollment.terminatedOn) })}
                      {enrollment.terminationReason && ` · ${t(`terminationReason.${enrollment.terminationReason}`)}`}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Accounts({ view }: { view: Schema<'BeneficiaryView'> }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="accounts">
      <h2 id="accounts">{t('person.accounts')}</h2>
      {view.accounts.length === 0 ? (
        <p>{t('person.noAccount')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('person.bank')}</th>
                <th scope="col">{t('person.accountNumber')}</th>
                <th scope="col">{t('person.holderName')}</th>
                <th scope="col">{t('person.status')}</th>
                <th scope="col">{t('person.paymentAccount')}</th>
              </tr>
            </thead>
            <tbody>
              {view.accounts.map((account) => (
                <tr key={account.accountId}>
                  <td>{account.bankCode}</td>
                  <td className="mono">{account.accountNumber}</td>
                  <td>{account.holderName}</td>
                  <td>
                    <Badge tone={account.status === 'VERIFIED' ? 'good' : account.status === 'UNVERIFIED' ? 'warn' : 'neutral'}>{t(`accountStatus.${account.status}`)}</Badge>
                  </td>
                  <td>{account.paymentAccount ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Payments({ beneficiaryId }: { beneficiaryId: string }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const pages = useCursorPages();
  const payments = useQuery({
    queryKey: ['disbursements', { beneficiaryId }, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/disbursements', { params: { query: { beneficiaryId, limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  return (
    <section className="card" aria-labelledby="payments">
      <h2 id="payments">{t('person.payments')}</h2>
      <ProblemAlert error={payments.error} />
      {payments.isPending && <Loading />}
      {payments.data && payments.data.items.length === 0 && <p>{t('person.noPayments')}</p>}
      {payments.data && payments.data.items.length > 0 && <PaymentTable payments={newestFirst(payments.data.items)} showPerson={false} />}
      {payments.data && <Pager page={pages.page} next={payments.data.next} onNext={() => pages.next(payments.data.next)} onPrevious={pages.previous} />}
    </section>
  );
}

/** A person's payments, the latest month first (the page as the API ordered it otherwise). */
function newestFirst(payments: ReadonlyArray<Schema<'DisbursementView'>>): Array<Schema<'DisbursementView'>> {
  return [...payments].sort((a, b) => b.period.localeCompare(a.period) || a.program.localeCompare(b.program));
}

/** Payments as operators read them: month, program, amount, how, status, due and paid dates, days late. */
export function PaymentTable({ payments, showPerson }: { payments: ReadonlyArray<Schema<'DisbursementView'>>; showPerson: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="payments">
        <thead>
          <tr>
            {showPerson && <th scope="col">{t('person.title')}</th>}
            {showPerson && <th scope="col">{t('common.unit')}</th>}
            <th scope="col">{t('person.period')}</th>
            <th scope="col">{t('person.program')}</th>
            <th scope="col" className="number">
              {t('person.amount')}
            </th>
            <th scope="col">{t('person.channelColumn')}</th>
            <th scope="col">{t('person.status')}</th>
            <th scope="col">{t('person.dueDate')}</th>
            <th scope="col">{t('person.paidAt')}</th>
            <th scope="col" className="number">
              {t('person.daysLate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.disbursementId} data-period={payment.period}>
              {showPerson && (
                <td>
                  <Link to={`/people/${payment.beneficiaryId}`}>{payment.beneficiaryId.slice(0, 8)}…</Link>
                </td>
              )}
              {showPerson && <td>{shortUnitName(payment.unitCode)}</td>}
              <td>{formatPeriod(payment.period)}</td>
              <td>
                {t(`programs.${payment.program}`, { defaultValue: payment.program })}
                {payment.arrears && <span className="note"> · {t('person.arrears')}</span>}
              </td>
              <td className="number">{formatVnd(payment.amount)}</td>
              <td>
                {t(`channel.${payment.channel}`)}
                {payment.bankCode && payment.channel === 'BANK' && ` · ${payment.bankCode}`}
              </td>
              <td>
                <Badge tone={paymentTone(payment.status)}>{t(`paymentStatus.${payment.status}`)}</Badge>
                {payment.attempt > 1 && <span className="note"> · {t('person.retried', { attempt: payment.attempt })}</span>}
                {payment.overpayment && <span className="note"> · {t('person.overpayment')}</span>}
              </td>
              <td>{formatDate(payment.dueDate)}</td>
              <td>{payment.paidAt ? formatInstant(payment.paidAt).slice(0, 10) : '—'}</td>
              <td className="number">{payment.daysLate > 0 ? t('person.late', { days: payment.daysLate }) : t('person.onTime')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
