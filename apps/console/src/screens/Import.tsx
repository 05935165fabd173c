import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { download, ok } from '../api.js';
import { Badge, Field, Loading, PageHeader, ProblemAlert } from '../components/ui.js';
import { formatCount, formatInstant, formatVnd } from '../format.js';
import { useLedger } from '../session.js';
import { Stat } from './PayrollRun.js';

const OUTCOMES = ['APPLIED', 'ALREADY_RECORDED', 'UNMATCHED', 'OUT_OF_SCOPE', 'AMOUNT_MISMATCH', 'DUPLICATE', 'REFUSED', 'UNREADABLE', 'IGNORED'] as const;
type Outcome = (typeof OUTCOMES)[number];
/** A page shows this many lines; the outcome filter or the CSV give the rest. */
const SHOWN_LINES = 500;

function outcomeTone(outcome: Outcome): 'good' | 'bad' | 'warn' | 'neutral' {
  return outcome === 'APPLIED' ? 'good' : outcome === 'ALREADY_RECORDED' || outcome === 'IGNORED' ? 'neutral' : outcome === 'DUPLICATE' || outcome === 'OUT_OF_SCOPE' ? 'warn' : 'bad';
}

/** How many lines ended each way; outcomes no line had are left out. */
export function LineCounts({ counts, compact = false }: { counts: Schema<'LineCounts'>; compact?: boolean }) {
  const { t } = useTranslation();
  const present = OUTCOMES.filter((outcome) => counts[outcome] > 0);
  if (compact) return <>{present.map((outcome) => `${t(`outcome.${outcome}`)}: ${formatCount(counts[outcome])}`).join(' · ')}</>;
  return (
    <div className="stats">
      {present.map((outcome) => (
        <Stat key={outcome} label={t(`outcome.${outcome}`)} value={formatCount(counts[outcome])} />
      ))}
    </div>
  );
}

/** An import's reconciliation: every line of the file with its outcome, filterable, and the whole report as CSV. */
export function Import() {
  const { t } = useTranslation();
  const { importId = '' } = useParams();
  const ledger = useLedger();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const report = useQuery({
    queryKey: ['import', importId, outcome],
    queryFn: () => ok(ledger.GET('/v1/imports/{importId}', { params: { path: { importId }, query: outcome ? { outcome } : {} } })),
  });
  const csv = useMutation({
    mutationFn: () => download(ledger.GET('/v1/imports/{importId}', { params: { path: { importId } }, headers: { accept: 'text/csv' }, parseAs: 'blob' }), `import-${importId}.csv`),
  });
  if (report.isPending) return <Loading />;
  if (report.error) return <ProblemAlert error={report.error} />;
  const view = report.data;
  return (
    <>
      <PageHeader title={t('imports.report')}>
        <p>
          {t(`imports.kinds.${view.kind}`)} · {t(`imports.formats.${view.format}`)} · {view.importedBy} · {formatInstant(view.startedAt)}
        </p>
        <p>
          <Link to="/imports">{t('imports.backToList')}</Link>
        </p>
      </PageHeader>
      <section className="card" aria-labelledby="summary">
        <h2 id="summary">{t('imports.summary', { lines: formatCount(view.lineCount) })}</h2>
        <LineCounts counts={view.counts} />
        <p className="note mono">SHA-256 {view.sha256}</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => csv.mutate()}>
            {t('imports.downloadCsv')}
          </button>
        </div>
        <ProblemAlert error={csv.error} />
      </section>
      <section className="card" aria-labelledby="lines">
        <h2 id="lines">{t('imports.linesTitle')}</h2>
        <Field label={t('imports.outcomeFilter')} name="outcome">
          {(props) => (
            <select {...props} value={outcome} onChange={(event) => setOutcome(event.target.value as Outcome | '')}>
              <option value="">{t('imports.allOutcomes')}</option>
              {OUTCOMES.map((code) => (
                <option key={code} value={code}>
                  {t(`outcome.${code}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col" className="number">
                  {t('imports.line')}
                </th>
                <th scope="col">{t('imports.outcome')}</th>
                <th scope="col">{t('imports.reported')}</th>
                <th scope="col">{t('imports.matched')}</th>
                <th scope="col">{t('imports.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {view.lines.slice(0, SHOWN_LINES).map((line) => (
                <tr key={`${line.line}-${line.disbursementId ?? line.beneficiaryId ?? ''}`}>
                  <td className="number">{line.line}</td>
                  <td>
                    <Badge tone={outcomeTone(line.outcome)}>{t(`outcome.${line.outcome}`)}</Badge>
                  </td>
                  <td>{line.reported ? t(`reported.${line.reported}`, { defaultValue: line.reported }) : '—'}</td>
                  <td className="mono">
                    {line.beneficiaryId ? <Link to={`/people/${line.beneficiaryId}`}>{line.beneficiaryId.slice(0, 8)}…</Link> : line.disbursementId ? `${line.disbursementId.slice(0, 8)}…` : '—'}
                  </td>
                  <td>
                    {line.code && <span className="mono">{line.code} </span>}
                    {line.expectedAmount !== undefined && t('imports.amounts', { expected: formatVnd(line.expectedAmount), stated: formatVnd(line.statedAmount) })}
                    {line.expectedAmount === undefined && line.detail}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {view.lines.length > SHOWN_LINES && <p className="note">{t('imports.moreLines', { shown: formatCount(SHOWN_LINES), total: formatCount(view.lines.length) })}</p>}
      </section>
    </>
  );
}
