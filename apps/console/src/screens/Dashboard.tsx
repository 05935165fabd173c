import { useMemo, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Schema } from '@ledger/api-client';
import { download, ok, XLSX } from '../api.js';
import { Chart, type ChartOption } from '../components/Chart.js';
import { Loading, PageHeader, ProblemAlert } from '../components/ui.js';
import { formatCount, formatPeriod, formatShare, formatVnd } from '../format.js';
import { useLedger } from '../session.js';
import { shortUnitName } from '../units.js';

type Report = '/v1/reports/coverage' | '/v1/reports/summary' | '/v1/reports/late-payments' | '/v1/reports/duplicate-attempts' | '/v1/reports/overpayments';

/** Every page of a report, 1,000 rows at a time (the API's largest page). */
async function allPages<Item>(page: (cursor: string | undefined) => Promise<{ items: Item[]; next: string | null }>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.next ?? undefined;
  } while (cursor);
  return items;
}

const COLOURS = ['#0b4fa8', '#c2410c', '#1d6b35', '#8f1d1d', '#6b21a8', '#0f766e', '#a16207', '#334155'];

/** A chart with its title, the numbers behind it as a table, and the report they come from to download as CSV or XLSX. */
function ChartCard({ id, title, help, report, children, table }: { id: string; title: string; help: string; report: Report; children: ReactNode; table: ReactNode }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const save = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') =>
      download(ledger.GET(report, { params: { query: {} }, headers: { accept: format === 'csv' ? 'text/csv' : XLSX }, parseAs: 'blob' }), `${report.split('/').at(-1)}.${format}`),
  });
  return (
    <section className="card" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      <p className="note">{help}</p>
      {children}
      <details>
        <summary>{t('dashboard.numbers')}</summary>
        <div className="table-scroll" tabIndex={0}>{table}</div>
      </details>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => save.mutate('csv')} aria-label={t('dashboard.downloadCsv', { chart: title })}>
          {t('common.downloadCsv')}
        </button>
        <button type="button" className="secondary" onClick={() => save.mutate('xlsx')} aria-label={t('dashboard.downloadXlsx', { chart: title })}>
          {t('common.downloadXlsx')}
        </button>
      </div>
      <ProblemAlert error={save.error} />
    </section>
  );
}

/** The analysts' dashboard: the reports of the API as charts, each chart's numbers downloadable from the report it is drawn from. */
export default function Dashboard() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const coverage = useQuery({ queryKey: ['report', 'coverage'], queryFn: () => allPages((cursor) => ok(ledger.GET('/v1/reports/coverage', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } }))) });
  const summary = useQuery({ queryKey: ['report', 'summary'], queryFn: () => allPages((cursor) => ok(ledger.GET('/v1/reports/summary', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } }))) });
  const late = useQuery({ queryKey: ['report', 'late'], queryFn: () => allPages((cursor) => ok(ledger.GET('/v1/reports/late-payments', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } }))) });
  const duplicates = useQuery({
    queryKey: ['report', 'duplicates'],
    queryFn: () => allPages((cursor) => ok(ledger.GET('/v1/reports/duplicate-attempts', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } }))),
  });
  const overpayments = useQuery({
    queryKey: ['report', 'overpayments'],
    queryFn: () => allPages((cursor) => ok(ledger.GET('/v1/reports/overpayments', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } }))),
  });
  return (
    <>
      <PageHeader title={t('dashboard.title')}>
        <p>{t('dashboard.help')}</p>
      </PageHeader>
      <div className="charts">
        {coverage.data ? <Coverage items={coverage.data} /> : <Pending error={coverage.error} />}
        {summary.data ? <MonthlyTotals items={summary.data} /> : <Pending error={summary.error} />}
        {late.data ? <LateByDistrict items={late.data} /> : <Pending error={late.error} />}
        {duplicates.data ? <Duplicates items={duplicates.data} /> : <Pending error={duplicates.error} />}
        {overpayments.data ? <Overpayments items={overpayments.data} /> : <Pending error={overpayments.error} />}
      </div>
    </>
  );
}

function Pending({ error }: { error: unknown }) {
  return <section className="card">{error ? <ProblemAlert error={error} /> : <Loading />}</section>;
}

function usePrograms() {
  const { t } = useTranslation();
  return (code: string) => t(`programs.${code}`, { defaultValue: code });
}

function Coverage({ items }: { items: ReadonlyArray<Schema<'CoverageItem'>> }) {
  const { t } = useTranslation();
  const program = usePrograms();
  const { units, programs, option } = useMemo(() => {
    const units = [...new Set(items.map((item) => item.unitCode))].sort();
    const programs = [...new Set(items.map((item) => item.program))].sort();
    const share = (unit: string, code: string) => {
      const item = items.find((row) => row.unitCode === unit && row.program === code);
      return item && item.activeBeneficiaries > 0 ? Math.round((item.verifiedAccounts / item.activeBeneficiaries) * 1000) / 10 : null;
    };
    const option: ChartOption = {
      color: COLOURS,
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => (value === null ? '—' : `${String(value).replace('.', ',')} %`) },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: units.map(shortUnitName), axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: programs.map((code) => ({ type: 'bar', name: program(code), data: units.map((unit) => share(unit, code)) })),
    };
    return { units, programs, option };
  }, [items, program]);
  return (
    <ChartCard
      id="chart-coverage"
      title={t('dashboard.coverage')}
      help={t('dashboard.coverageHelp')}
      report="/v1/reports/coverage"
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.unit')}</th>
              <th scope="col">{t('common.program')}</th>
              <th scope="col" className="number">
                {t('dashboard.active')}
              </th>
              <th scope="col" className="number">
                {t('dashboard.verifiedAccounts')}
              </th>
              <th scope="col" className="number">
                {t('dashboard.bankShare')}
              </th>
            </tr>
          </thead>
          <tbody>
            {units.flatMap((unit) =>
              programs.map((code) => {
                const item = items.find((row) => row.unitCode === unit && row.program === code);
                return item ? (
                  <tr key={`${unit}-${code}`}>
                    <td>{shortUnitName(unit)}</td>
                    <td>{program(code)}</td>
                    <td className="number">{formatCount(item.activeBeneficiaries)}</td>
                    <td className="number">{formatCount(item.verifiedAccounts)}</td>
                    <td className="number">{formatShare(item.bankShareInLatestPeriod)}</td>
                  </tr>
                ) : null;
              }),
            )}
          </tbody>
        </table>
      }
    >
      <Chart option={option} label={t('dashboard.coverage')} />
    </ChartCard>
  );
}

function MonthlyTotals({ items }: { items: ReadonlyArray<Schema<'SummaryItem'>> }) {
  const { t } = useTranslation();
  const program = usePrograms();
  const { periods, groups, totals, option } = useMemo(() => {
    const periods = [...new Set(items.map((item) => item.period))].sort();
    const groups = [...new Set(items.map((item) => `${item.program}|${item.channel}`))].sort();
    const totals = new Map<string, number>();
    for (const item of items) totals.set(`${item.period}|${item.program}|${item.channel}`, (totals.get(`${item.period}|${item.program}|${item.channel}`) ?? 0) + item.totalAmount);
    const option: ChartOption = {
      color: COLOURS,
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => formatVnd(Number(value) * 1_000_000) },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 64, right: 16, top: 56, bottom: 40 },
      xAxis: { type: 'category', data: periods.map(formatPeriod) },
      yAxis: { type: 'value', name: t('dashboard.millionVnd'), axisLabel: { formatter: (value: number) => formatCount(value) } },
      series: groups.map((group) => {
        const [code, channel] = group.split('|') as [string, 'BANK' | 'CASH'];
        return { type: 'bar', stack: code, name: `${program(code)} · ${t(`channel.${channel}`)}`, data: periods.map((period) => Math.round((totals.get(`${period}|${group}`) ?? 0) / 1_000_000)) };
      }),
    };
    return { periods, groups, totals, option };
  }, [items, program, t]);
  return (
    <ChartCard
      id="chart-monthly"
      title={t('dashboard.monthly')}
      help={t('dashboard.monthlyHelp')}
      report="/v1/reports/summary"
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.period')}</th>
              <th scope="col">{t('common.program')}</th>
              <th scope="col">{t('person.channelColumn')}</th>
              <th scope="col" className="number">
                {t('runs.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {periods.flatMap((period) =>
              groups.map((group) => {
                const [code, channel] = group.split('|') as [string, 'BANK' | 'CASH'];
                return (
                  <tr key={`${period}-${group}`}>
                    <td>{formatPeriod(period)}</td>
                    <td>{program(code)}</td>
                    <td>{t(`channel.${channel}`)}</td>
                    <td className="number">{formatVnd(totals.get(`${period}|${group}`) ?? 0)}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      }
    >
      <Chart option={option} label={t('dashboard.monthly')} />
    </ChartCard>
  );
}

/** Rows counted by district and month, for the late payments and the overpayments. */
function countByUnitAndPeriod(items: ReadonlyArray<{ unitCode: string; period: string }>) {
  const units = [...new Set(items.map((item) => item.unitCode))].sort();
  const periods = [...new Set(items.map((item) => item.period))].sort();
  const counts = new Map<string, number>();
  for (const item of items) counts.set(`${item.unitCode}|${item.period}`, (counts.get(`${item.unitCode}|${item.period}`) ?? 0) + 1);
  return { units, periods, count: (unit: string, period: string) => counts.get(`${unit}|${period}`) ?? 0 };
}

function ByUnitAndPeriodTable({ units, periods, count }: ReturnType<typeof countByUnitAndPeriod>) {
  const { t } = useTranslation();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('common.unit')}</th>
          {periods.map((period) => (
            <th key={period} scope="col" className="number">
              {formatPeriod(period)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {units.map((unit) => (
          <tr key={unit}>
            <th scope="row">{shortUnitName(unit)}</th>
            {periods.map((period) => (
              <td key={period} className="number">
                {formatCount(count(unit, period))}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function stackedByPeriod({ units, periods, count }: ReturnType<typeof countByUnitAndPeriod>): ChartOption {
  return {
    color: COLOURS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 90 },
    xAxis: { type: 'category', data: units.map(shortUnitName), axisLabel: { rotate: 45, interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: periods.map((period) => ({ type: 'bar', stack: 'months', name: formatPeriod(period), data: units.map((unit) => count(unit, period)) })),
  };
}

function LateByDistrict({ items }: { items: ReadonlyArray<Schema<'DisbursementView'>> }) {
  const { t } = useTranslation();
  const counted = useMemo(() => countByUnitAndPeriod(items), [items]);
  const option = useMemo(() => stackedByPeriod(counted), [counted]);
  return (
    <ChartCard id="chart-late" title={t('dashboard.late')} help={t('dashboard.lateHelp', { count: formatCount(items.length) })} report="/v1/reports/late-payments" table={<ByUnitAndPeriodTable {...counted} />}>
      <Chart option={option} label={t('dashboard.late')} />
    </ChartCard>
  );
}

function Overpayments({ items }: { items: ReadonlyArray<Schema<'DisbursementView'>> }) {
  const { t } = useTranslation();
  const counted = useMemo(() => countByUnitAndPeriod(items), [items]);
  const option = useMemo(() => stackedByPeriod(counted), [counted]);
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  return (
    <ChartCard
      id="chart-overpayments"
      title={t('dashboard.overpayments')}
      help={t('dashboard.overpaymentsHelp', { count: formatCount(items.length), amount: formatVnd(total) })}
      report="/v1/reports/overpayments"
      table={<ByUnitAndPeriodTable {...counted} />}
    >
      <Chart option={option} label={t('dashboard.overpayments')} />
    </ChartCard>
  );
}

function Duplicates({ items }: { items: ReadonlyArray<Schema<'DuplicateAttempt'>> }) {
  const { t } = useTranslation();
  const counted = useMemo(() => countByUnitAndPeriod(items), [items]);
  const option = useMemo(() => stackedByPeriod(counted), [counted]);
  return (
    <ChartCard
      id="chart-duplicates"
      title={t('dashboard.duplicates')}
      help={t('dashboard.duplicatesHelp', { count: formatCount(items.length) })}
      report="/v1/reports/duplicate-attempts"
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.period')}</th>
              <th scope="col">{t('common.unit')}</th>
              <th scope="col">{t('dashboard.attemptedReference')}</th>
              <th scope="col">{t('dashboard.paidUnder')}</th>
              <th scope="col" className="number">
                {t('common.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.position}>
                <td>{formatPeriod(item.period)}</td>
                <td>{shortUnitName(item.unitCode)}</td>
                <td className="mono">{item.attemptedReference}</td>
                <td className="mono">{item.paidUnderReference ?? '—'}</td>
                <td className="number">{formatVnd(item.attemptedAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <Chart option={option} label={t('dashboard.duplicates')} />
    </ChartCard>
  );
}
