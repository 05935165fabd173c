import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { download, ok, XLSX } from '../api.js';
import { usePeriodInput } from '../components/forms.js';
import { Field, Loading, PageHeader, Pager, ProblemAlert, ProgramOptions, useCursorPages } from '../components/ui.js';
import { mayReadReports, useLedger, useSignedIn } from '../session.js';
import { PaymentTable } from './Person.js';

/** Payments made after their due date or still unpaid past it, within the caller's units; the whole report downloads as CSV or XLSX for whom may read reports. */
export function LatePayments() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const session = useSignedIn();
  const pages = useCursorPages();
  const period = usePeriodInput();
  const [program, setProgram] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const [filter, setFilter] = useState<{ period?: string; program?: string; unitCode?: string }>({});
  const payments = useQuery({
    queryKey: ['late-payments', filter, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/disbursements', { params: { query: { late: true, limit: 25, ...filter, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  const report = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') =>
      download(ledger.GET('/v1/reports/late-payments', { params: { query: filter }, headers: { accept: format === 'csv' ? 'text/csv' : XLSX }, parseAs: 'blob' }), `late-payments.${format}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (period.text.trim() && !period.check()) return;
    pages.reset();
    setFilter({ ...(period.value ? { period: period.value } : {}), ...(program ? { program } : {}), ...(unitCode.trim() ? { unitCode: unitCode.trim() } : {}) });
  };
  return (
    <>
      <PageHeader title={t('late.title')}>
        <p>{t('late.help')}</p>
      </PageHeader>
      <form className="card" onSubmit={submit} noValidate>
        <div className="row">
          <Field label={t('common.period')} name="period" hint={t('common.periodHint')} error={payments.error} localError={period.error}>
            {(props) => <input {...props} value={period.text} onChange={(event) => period.setText(event.target.value)} size={8} />}
          </Field>
          <Field label={t('common.program')} name="program" error={payments.error}>
            {(props) => (
              <select {...props} value={program} onChange={(event) => setProgram(event.target.value)}>
                <ProgramOptions allLabel={t('common.allPrograms')} />
              </select>
            )}
          </Field>
          <Field label={t('runs.unitOptional')} name="unitCode" error={payments.error}>
            {(props) => <input {...props} value={unitCode} onChange={(event) => setUnitCode(event.target.value)} inputMode="numeric" size={6} />}
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t('late.show')}
          </button>
          {mayReadReports(session) && (
            <>
              <button type="button" className="secondary" onClick={() => report.mutate('csv')}>
                {t('common.downloadCsv')}
              </button>
              <button type="button" className="secondary" onClick={() => report.mutate('xlsx')}>
                {t('common.downloadXlsx')}
              </button>
            </>
          )}
        </div>
      </form>
      <ProblemAlert error={payments.error ?? report.error} />
      {payments.isPending && <Loading />}
      {payments.data && payments.data.items.length === 0 && <p>{t('common.none')}</p>}
      {payments.data && payments.data.items.length > 0 && (
        <section className="card" aria-label={t('late.title')}>
          <PaymentTable payments={payments.data.items} showPerson />
        </section>
      )}
      {payments.data && <Pager page={pages.page} next={payments.data.next} onNext={() => pages.next(payments.data.next)} onPrevious={pages.previous} />}
    </>
  );
}
