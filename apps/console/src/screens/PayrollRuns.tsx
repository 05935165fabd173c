import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ok } from '../api.js';
import { CommandForm, useCommand, usePeriodInput } from '../components/forms.js';
import { Badge, Field, Loading, PageHeader, Pager, ProblemAlert, ProgramOptions, useCursorPages } from '../components/ui.js';
import { formatCount, formatPeriod, formatVnd } from '../format.js';
import { mayAct, useLedger, useSignedIn } from '../session.js';
import { unitName } from '../units.js';

export type RunStatus = 'SCHEDULING' | 'SCHEDULED' | 'APPROVED' | 'SENT' | 'REJECTED' | 'ABANDONED';

export function runTone(status: RunStatus): 'good' | 'bad' | 'warn' | 'neutral' | 'info' {
  return status === 'SENT' ? 'good' : status === 'APPROVED' ? 'info' : status === 'SCHEDULED' || status === 'SCHEDULING' ? 'warn' : 'neutral';
}

/** The payroll runs of the caller's units, newest period first; an operator creates the next one here. */
export function PayrollRuns() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const session = useSignedIn();
  const pages = useCursorPages();
  const [status, setStatus] = useState<RunStatus | ''>('');
  const runs = useQuery({
    queryKey: ['payroll-runs', status, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/payroll-runs', { params: { query: { limit: 20, ...(status ? { status } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  return (
    <>
      <PageHeader title={t('runs.title')}>
        <p>{t('runs.help')}</p>
      </PageHeader>
      {mayAct(session) && <CreateRun />}
      <section className="card" aria-labelledby="runs">
        <h2 id="runs">{t('runs.list')}</h2>
        <div className="row">
          <Field label={t('common.status')} name="status">
            {(props) => (
              <select
                {...props}
                value={status}
                onChange={(event) => {
                  pages.reset();
                  setStatus(event.target.value as RunStatus | '');
                }}
              >
                <option value="">{t('runs.anyStatus')}</option>
                {(['SCHEDULED', 'APPROVED', 'SENT', 'REJECTED', 'ABANDONED', 'SCHEDULING'] as const).map((code) => (
                  <option key={code} value={code}>
                    {t(`runStatus.${code}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ProblemAlert error={runs.error} />
        {runs.isPending && <Loading />}
        {runs.data && runs.data.items.length === 0 && <p>{t('common.none')}</p>}
        {runs.data && runs.data.items.length > 0 && (
          <div className="table-scroll" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('common.period')}</th>
                  <th scope="col">{t('runs.scope')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('runs.createdBy')}</th>
                  <th scope="col">{t('runs.approvedBy')}</th>
                  <th scope="col" className="number">
                    {t('runs.payments')}
                  </th>
                  <th scope="col" className="number">
                    {t('runs.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((run) => (
                  <tr key={run.runId}>
                    <td>
                      <Link to={`/payroll-runs/${run.runId}`}>{t('runs.runOf', { period: formatPeriod(run.period) })}</Link>
                    </td>
                    <td>
                      {run.unitCode ? unitName(run.unitCode) : t('runs.allUnits')} · {run.program ? t(`programs.${run.program}`, { defaultValue: run.program }) : t('common.allPrograms')}
                    </td>
                    <td>
                      <Badge tone={runTone(run.status)}>{t(`runStatus.${run.status}`)}</Badge>
                    </td>
                    <td>{run.createdBy}</td>
                    <td>{run.approvedBy ?? '—'}</td>
                    <td className="number">{formatCount(run.scheduled)}</td>
                    <td className="number">{formatVnd(run.totalAmount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {runs.data && <Pager page={pages.page} next={runs.data.next} onNext={() => pages.next(runs.data.next)} onPrevious={pages.previous} />}
      </section>
    </>
  );
}

function CreateRun() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const navigate = useNavigate();
  const period = usePeriodInput();
  const [program, setProgram] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const command = useCommand(
    (key) =>
      ok(
        ledger.POST('/v1/payroll-runs', {
          params: { header: { 'Idempotency-Key': key } },
          body: { period: period.value ?? period.text, ...(program ? { program } : {}), ...(unitCode.trim() ? { unitCode: unitCode.trim() } : {}) },
        }),
      ),
    (run) => navigate(`/payroll-runs/${run.runId}`),
  );
  return (
    <section className="card" aria-labelledby="create-run">
      <h2 id="create-run">{t('runs.create')}</h2>
      <p>{t('runs.createHelp')}</p>
      <CommandForm submitLabel={t('runs.createSubmit')} command={command} validate={period.check}>
        <div className="row">
          <Field label={t('common.period')} name="period" hint={t('common.periodHint')} error={command.error} localError={period.error} required>
            {(props) => <input {...props} value={period.text} onChange={(event) => period.setText(event.target.value)} size={8} />}
          </Field>
          <Field label={t('common.program')} name="program" error={command.error}>
            {(props) => (
              <select {...props} value={program} onChange={(event) => setProgram(event.target.value)}>
                <ProgramOptions allLabel={t('common.allPrograms')} />
              </select>
            )}
          </Field>
          <Field label={t('runs.unitOptional')} name="unitCode" error={command.error}>
            {(props) => <input {...props} value={unitCode} onChange={(event) => setUnitCode(event.target.value)} inputMode="numeric" size={6} />}
          </Field>
        </div>
      </CommandForm>
    </section>
  );
}
