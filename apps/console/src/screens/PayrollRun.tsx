import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { download, ok } from '../api.js';
import { CommandForm, useCommand } from '../components/forms.js';
import { Badge, Field, Loading, PageHeader, Pager, ProblemAlert, useCursorPages } from '../components/ui.js';
import { formatCount, formatPeriod, formatVnd } from '../format.js';
import { mayAct, useLedger, useSignedIn } from '../session.js';
import { unitName } from '../units.js';
import { PaymentTable } from './Person.js';
import { runTone } from './PayrollRuns.js';

/**
 * One payroll run: what it holds, who created it and who may approve it (maker-checker: never its
 * creator), sending it, and every payment file it wrote, in each format the paying agent takes.
 */
export function PayrollRun() {
  const { t } = useTranslation();
  const { runId = '' } = useParams();
  const ledger = useLedger();
  const run = useQuery({ queryKey: ['payroll-run', runId], queryFn: () => ok(ledger.GET('/v1/payroll-runs/{runId}', { params: { path: { runId } } })) });
  if (run.isPending) return <Loading />;
  if (run.error) return <ProblemAlert error={run.error} />;
  const view = run.data;
  return (
    <>
      <PageHeader title={t('runs.runOf', { period: formatPeriod(view.period) })}>
        <p>
          <Badge tone={runTone(view.status)}>{t(`runStatus.${view.status}`)}</Badge> {view.unitCode ? unitName(view.unitCode) : t('runs.allUnits')} ·{' '}
          {view.program ? t(`programs.${view.program}`, { defaultValue: view.program }) : t('common.allPrograms')}
        </p>
      </PageHeader>
      <Holdings view={view} />
      <MakerChecker view={view} />
      {view.paymentFiles && view.paymentFiles.length > 0 && <PaymentFiles view={view} />}
      <RunPayments view={view} />
    </>
  );
}

function Holdings({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const skipped = Object.entries(view.skipped ?? {}).filter(([, count]) => count > 0);
  return (
    <section className="card" aria-labelledby="holdings">
      <h2 id="holdings">{t('runs.holds')}</h2>
      <div className="stats">
        <Stat label={t('runs.payments')} value={formatCount(view.disbursements)} />
        <Stat label={t('runs.total')} value={formatVnd(view.totalAmount)} />
        <Stat label={t('runs.arrears')} value={formatCount(view.arrears)} />
        <Stat label={t('runs.alreadyScheduled')} value={formatCount(view.alreadyScheduled)} />
        {view.sent !== undefined && <Stat label={t('runs.sent')} value={formatCount(view.sent)} />}
        {view.cancelled !== undefined && <Stat label={t('runs.cancelled')} value={formatCount(view.cancelled)} />}
      </div>
      {view.unchangedSince && (
        <p>
          {t('runs.unchangedSince', { people: formatCount(view.unchangedSince.beneficiaries) })}{' '}
          <Link to={`/payroll-runs/${view.unchangedSince.runId}`}>{t('runs.earlierRun')}</Link>
        </p>
      )}
      {skipped.length > 0 && (
        <>
          <h3>{t('runs.skipped')}</h3>
          <ul>
            {skipped.map(([reason, count]) => (
              <li key={reason}>
                {t(`skipReason.${reason}`, { defaultValue: reason })}: {formatCount(count)}
              </li>
            ))}
          </ul>
        </>
      )}
      {view.largeArrears && view.largeArrears.length > 0 && (
        <>
          <h3>{t('runs.largeArrears')}</h3>
          <p>{t('runs.largeArrearsHelp')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('person.title')}</th>
                <th scope="col" className="number">
                  {t('runs.months')}
                </th>
                <th scope="col" className="number">
                  {t('runs.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.largeArrears.map((arrears) => (
                <tr key={arrears.beneficiaryId}>
                  <td>
                    <Link to={`/people/${arrears.beneficiaryId}`}>{arrears.beneficiaryId}</Link>
                  </td>
                  <td className="number">{arrears.months}</td>
                  <td className="number">{formatVnd(arrears.totalAmount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** Who made the run, who checked it, and what this user may do next: the approve and reject forms are never offered to the run's creator. */
function MakerChecker({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const isCreator = session.userId === view.createdBy;
  return (
    <section className="card" aria-labelledby="maker-checker">
      <h2 id="maker-checker">{t('runs.makerChecker')}</h2>
      <dl className="facts">
        <dt>{t('runs.createdBy')}</dt>
        <dd data-testid="created-by">{view.createdBy}</dd>
        <dt>{t('runs.approvedBy')}</dt>
        <dd data-testid="approved-by">{view.approvedBy ?? (view.status === 'SCHEDULED' ? t('runs.awaitingApproval') : '—')}</dd>
        {view.rejectedBy && (
          <>
            <dt>{t('runs.rejectedBy')}</dt>
            <dd>
              {view.rejectedBy}: {view.rejectionReason}
            </dd>
          </>
        )}
      </dl>
      {mayAct(session) && view.status === 'SCHEDULED' && isCreator && (
        <div className="alert alert-info" role="note" data-testid="not-your-approval">
          {t('runs.youCreatedIt', { user: view.createdBy })}
        </div>
      )}
      {mayAct(session) && view.status === 'SCHEDULED' && !isCreator && <Review view={view} />}
      {mayAct(session) && view.status === 'APPROVED' && <Send view={view} />}
    </section>
  );
}

function Review({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const needsAcknowledgement = (view.largeArrears?.length ?? 0) > 0;
  const [acknowledged, setAcknowledged] = useState(false);
  const [reason, setReason] = useState('');
  const approve = useCommand((key) =>
    ok(
      ledger.POST('/v1/payroll-runs/{runId}/approve', {
        params: { path: { runId: view.runId }, header: { 'Idempotency-Key': key } },
        body: needsAcknowledgement ? { acknowledgeLargeArrears: acknowledged } : {},
      }),
    ),
  );
  const reject = useCommand((key) => ok(ledger.POST('/v1/payroll-runs/{runId}/reject', { params: { path: { runId: view.runId }, header: { 'Idempotency-Key': key } }, body: { reason } })));
  return (
    <div className="grid-2">
      <CommandForm title={t('runs.approve')} submitLabel={t('runs.approveSubmit')} command={approve}>
        <p>{t('runs.approveHelp', { user: view.createdBy })}</p>
        {needsAcknowledgement && (
          <label className="check">
            <input type="checkbox" name="acknowledgeLargeArrears" checked={acknowledged} onChange={(event) => setAcknowledged(event.target.checked)} />
            <span>{t('runs.acknowledge', { count: view.largeArrears!.length })}</span>
          </label>
        )}
      </CommandForm>
      <CommandForm title={t('runs.reject')} submitLabel={t('runs.rejectSubmit')} command={reject} danger>
        <Field label={t('common.reason')} name="reason" error={reject.error} required>
          {(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
      </CommandForm>
    </div>
  );
}

function Send({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const send = useCommand((key) => ok(ledger.POST('/v1/payroll-runs/{runId}/send', { params: { path: { runId: view.runId }, header: { 'Idempotency-Key': key } } })));
  return (
    <CommandForm title={t('runs.send')} submitLabel={t('runs.sendSubmit')} command={send}>
      <p>{t('runs.sendHelp')}</p>
    </CommandForm>
  );
}

const FORMATS = {
  csv: { accept: 'text/csv', extension: 'csv' },
  xml: { accept: 'application/xml', extension: 'xml' },
  pdf: { accept: 'application/pdf', extension: 'pdf' },
} as const;

/** A sent run's files: each bank's (CSV, or its pain.001 XML) and the Post Office's cash list (CSV, or the printable PDF). */
function PaymentFiles({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const fetchFile = useMutation({
    mutationFn: ({ paymentFile, format }: { paymentFile: string; format: keyof typeof FORMATS }) =>
      download(
        ledger.GET('/v1/payroll-runs/{runId}/payment-files/{paymentFile}', { params: { path: { runId: view.runId, paymentFile } }, headers: { accept: FORMATS[format].accept }, parseAs: 'blob' }),
        `${view.period}-${paymentFile}.${FORMATS[format].extension}`,
      ),
  });
  return (
    <section className="card" aria-labelledby="payment-files">
      <h2 id="payment-files">{t('runs.paymentFiles')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('runs.payingAgent')}</th>
            <th scope="col" className="number">
              {t('runs.payments')}
            </th>
            <th scope="col" className="number">
              {t('runs.total')}
            </th>
            <th scope="col">{t('common.download')}</th>
          </tr>
        </thead>
        <tbody>
          {view.paymentFiles!.map((file) => {
            const agent = file.paymentFile === 'POST_OFFICE' ? t('runs.postOffice') : file.paymentFile;
            const formats: Array<keyof typeof FORMATS> = file.paymentFile === 'POST_OFFICE' ? ['csv', 'pdf'] : ['csv', 'xml'];
            return (
              <tr key={file.paymentFile}>
                <td>{agent}</td>
                <td className="number">{formatCount(file.count)}</td>
                <td className="number">{formatVnd(file.totalAmount)}</td>
                <td>
                  <div className="actions">
                    {formats.map((format) => (
                      <button key={format} type="button" className="secondary" onClick={() => fetchFile.mutate({ paymentFile: file.paymentFile, format })} aria-label={t(`runs.download.${format}`, { agent })}>
                        {t(`runs.format.${format}`)}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ProblemAlert error={fetchFile.error} />
    </section>
  );
}

/** The payments of the run's month and scope, marked when this run holds them (arrears of earlier months show under their own month). */
function RunPayments({ view }: { view: Schema<'PayrollRun'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const pages = useCursorPages();
  const payments = useQuery({
    queryKey: ['disbursements', { period: view.period, unitCode: view.unitCode, program: view.program }, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () =>
      ok(
        ledger.GET('/v1/disbursements', {
          params: { query: { period: view.period, limit: 25, ...(view.unitCode ? { unitCode: view.unitCode } : {}), ...(view.program ? { program: view.program } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
  });
  return (
    <section className="card" aria-labelledby="run-payments">
      <h2 id="run-payments">{t('runs.periodPayments', { period: formatPeriod(view.period) })}</h2>
      <ProblemAlert error={payments.error} />
      {payments.isPending && <Loading />}
      {payments.data && <PaymentTable payments={payments.data.items} showPerson />}
      {payments.data && <Pager page={pages.page} next={payments.data.next} onNext={() => pages.next(payments.data.next)} onPrevious={pages.previous} />}
    </section>
  );
}
