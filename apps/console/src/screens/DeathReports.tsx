import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { ok } from '../api.js';
import { CommandForm, useCommand } from '../components/forms.js';
import { Field, Loading, PageHeader, Pager, ProblemAlert, useCursorPages } from '../components/ui.js';
import { formatDate, formatInstant } from '../format.js';
import { mayAct, useLedger, useSignedIn } from '../session.js';
import { unitName } from '../units.js';

/**
 * Deaths the population database reported, oldest first: the person's payments are held until an
 * operator other than the one who imported the answer confirms the death or rejects the report.
 */
export function DeathReports() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const pages = useCursorPages();
  const reports = useQuery({
    queryKey: ['death-reports', pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/death-reports', { params: { query: { limit: 20, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  return (
    <>
      <PageHeader title={t('deaths.title')}>
        <p>{t('deaths.help')}</p>
      </PageHeader>
      <ProblemAlert error={reports.error} />
      {reports.isPending && <Loading />}
      {reports.data && reports.data.items.length === 0 && <p className="card">{t('deaths.none')}</p>}
      {reports.data?.items.map((report) => <DeathReport key={`${report.beneficiaryId}-${report.importId}`} report={report} />)}
      {reports.data && <Pager page={pages.page} next={reports.data.next} onNext={() => pages.next(reports.data.next)} onPrevious={pages.previous} />}
    </>
  );
}

function DeathReport({ report }: { report: Schema<'DeathReportView'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const session = useSignedIn();
  const person = useQuery({
    queryKey: ['beneficiary', report.beneficiaryId],
    queryFn: () => ok(ledger.GET('/v1/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId: report.beneficiaryId } } })),
  });
  const [reason, setReason] = useState('');
  const path = { beneficiaryId: report.beneficiaryId };
  const confirm = useCommand((key) => ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/death-report/confirm', { params: { path, header: { 'Idempotency-Key': key } } })));
  const reject = useCommand((key) => ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/death-report/reject', { params: { path, header: { 'Idempotency-Key': key } }, body: { reason } })));
  const name = person.data?.fullName ?? report.beneficiaryId;
  return (
    <section className="card" aria-label={name}>
      <h2>
        <Link to={`/people/${report.beneficiaryId}`}>{name}</Link>
      </h2>
      <dl className="facts">
        <dt>{t('deaths.dateOfDeath')}</dt>
        <dd>{formatDate(report.dateOfDeath)}</dd>
        <dt>{t('common.unit')}</dt>
        <dd>{unitName(report.unitCode)}</dd>
        <dt>{t('deaths.reportedAt')}</dt>
        <dd>
          {formatInstant(report.reportedAt)} · <Link to={`/imports/${report.importId}`}>{t('deaths.fromImport', { line: report.line })}</Link>
        </dd>
      </dl>
      {mayAct(session) && (
        <div className="grid-2">
          <CommandForm title={t('deaths.confirm')} submitLabel={t('deaths.confirmSubmit')} command={confirm} danger success={t('common.done')}>
            <p>{t('deaths.confirmHelp')}</p>
          </CommandForm>
          <CommandForm title={t('deaths.reject')} submitLabel={t('deaths.rejectSubmit')} command={reject} success={t('common.done')}>
            <Field label={t('common.reason')} name="reason" error={reject.error} required>
              {(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} />}
            </Field>
          </CommandForm>
        </div>
      )}
    </section>
  );
}
