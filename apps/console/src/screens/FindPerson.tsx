import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { ok } from '../api.js';
import { Field, Loading, PageHeader, Pager, ProblemAlert, useCursorPages } from '../components/ui.js';
import { formatDate } from '../format.js';
import { useLedger } from '../session.js';
import { unitName } from '../units.js';

type Search = { readonly name: string; readonly unitCode?: string } | { readonly nationalId: string };

/**
 * Find a person by name (any accents, any case, the whole name or its first words) or by national
 * id. A name search lives in the address, so the back button returns to it; a national id never
 * does: it travels in the request body only, as the API takes it.
 */
export function FindPerson() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const [params, setParams] = useSearchParams();
  const [mode, setMode] = useState<'name' | 'nationalId'>('name');
  const [name, setName] = useState(params.get('name') ?? '');
  const [unitCode, setUnitCode] = useState(params.get('unit') ?? '');
  const [nationalId, setNationalId] = useState('');
  const [byNationalId, setByNationalId] = useState<string | undefined>();
  const pages = useCursorPages();

  const search: Search | undefined = byNationalId
    ? { nationalId: byNationalId }
    : params.get('name')
      ? { name: params.get('name')!, ...(params.get('unit') ? { unitCode: params.get('unit')! } : {}) }
      : undefined;

  const found = useQuery({
    queryKey: ['search', search, pages.cursor],
    enabled: search !== undefined,
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.POST('/v1/beneficiaries/search', { body: { ...search!, limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } })),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    if (mode === 'name') {
      setByNationalId(undefined);
      setParams(unitCode.trim() ? { name: name.trim(), unit: unitCode.trim() } : { name: name.trim() });
    } else {
      setParams({});
      setByNationalId(nationalId.trim());
    }
  };

  return (
    <>
      <PageHeader title={t('find.title')}>
        <p>{t('find.help')}</p>
      </PageHeader>
      <form className="card search-form" onSubmit={submit} role="search" noValidate>
        <fieldset className="choice">
          <legend>{t('find.by')}</legend>
          <label>
            <input type="radio" name="mode" value="name" checked={mode === 'name'} onChange={() => setMode('name')} /> {t('find.byName')}
          </label>
          <label>
            <input type="radio" name="mode" value="nationalId" checked={mode === 'nationalId'} onChange={() => setMode('nationalId')} /> {t('find.byNationalId')}
          </label>
        </fieldset>
        {mode === 'name' ? (
          <div className="row">
            <Field label={t('find.name')} name="name" error={found.error}>
              {(props) => <input {...props} type="search" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />}
            </Field>
            <Field label={t('find.unit')} name="unitCode" error={found.error}>
              {(props) => <input {...props} value={unitCode} onChange={(event) => setUnitCode(event.target.value)} inputMode="numeric" size={6} />}
            </Field>
          </div>
        ) : (
          <Field label={t('find.nationalId')} name="nationalId" error={found.error}>
            {(props) => <input {...props} value={nationalId} onChange={(event) => setNationalId(event.target.value)} inputMode="numeric" autoComplete="off" />}
          </Field>
        )}
        <button type="submit" className="primary">
          {t('common.search')}
        </button>
      </form>
      <ProblemAlert error={found.error} />
      {found.isFetching && !found.data && <Loading />}
      {found.data && <Results page={found.data} />}
      {found.data && <Pager page={pages.page} next={found.data.next} onNext={() => pages.next(found.data.next)} onPrevious={pages.previous} />}
    </>
  );
}

function Results({ page }: { page: Schema<'BeneficiaryPage'> }) {
  const { t } = useTranslation();
  if (page.items.length === 0) return <p role="status">{t('find.noResult')}</p>;
  return (
    <section aria-labelledby="results">
      <h2 id="results">{t('find.results')}</h2>
      <div className="table-scroll" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('find.fullName')}</th>
              <th scope="col">{t('find.nationalId')}</th>
              <th scope="col">{page.items.some((item) => item.dateOfBirth) ? t('find.dateOfBirth') : t('find.birthYear')}</th>
              <th scope="col">{t('common.unit')}</th>
              <th scope="col">{t('find.enrollments')}</th>
              <th scope="col">{t('find.channel')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((person) => (
              <tr key={person.beneficiaryId}>
                <td>
                  <Link to={`/people/${person.beneficiaryId}`}>{person.fullName}</Link>
                </td>
                <td className="mono">{person.nationalId}</td>
                <td>{person.dateOfBirth ? formatDate(person.dateOfBirth) : (person.birthYear ?? '—')}</td>
                <td>{unitName(person.unitCode)}</td>
                <td>
                  {person.enrollments.map((enrollment) => (
                    <div key={enrollment.program}>
                      {t(`programs.${enrollment.program}`, { defaultValue: enrollment.program })}: {t(`enrollmentStatus.${enrollment.status}`)}
                    </div>
                  ))}
                </td>
                <td>{t(`channel.${person.channel}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
