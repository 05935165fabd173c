import { useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { download, ok } from '../api.js';
import { useCommand } from '../components/forms.js';
import { Field, Loading, PageHeader, Pager, ProblemAlert, useCursorPages } from '../components/ui.js';
import { formatCount, formatInstant } from '../format.js';
import { mayAct, useLedger, useSignedIn } from '../session.js';
import { LineCounts } from './Import.js';

const KINDS = {
  BANK_RESULTS: '/v1/bank-results',
  POST_OFFICE_RETURNS: '/v1/post-office-returns',
  IDENTITY_CHECK_ANSWERS: '/v1/identity-checks/results',
} as const;
type Kind = keyof typeof KINDS;

/** Files back from the banks, the Post Office and the population database: uploaded here, each read line by line into a reconciliation. */
export function Imports() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const session = useSignedIn();
  const pages = useCursorPages();
  const imports = useQuery({
    queryKey: ['imports', pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/imports', { params: { query: { limit: 20, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  return (
    <>
      <PageHeader title={t('imports.title')}>
        <p>{t('imports.help')}</p>
      </PageHeader>
      {mayAct(session) && <Upload />}
      {mayAct(session) && <RequestFile />}
      <section className="card" aria-labelledby="imports">
        <h2 id="imports">{t('imports.list')}</h2>
        <ProblemAlert error={imports.error} />
        {imports.isPending && <Loading />}
        {imports.data && imports.data.items.length === 0 && <p>{t('common.none')}</p>}
        {imports.data && imports.data.items.length > 0 && <ImportList items={imports.data.items} />}
        {imports.data && <Pager page={pages.page} next={imports.data.next} onNext={() => pages.next(imports.data.next)} onPrevious={pages.previous} />}
      </section>
    </>
  );
}

function ImportList({ items }: { items: ReadonlyArray<Schema<'ImportSummary'>> }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('imports.importedAt')}</th>
            <th scope="col">{t('imports.kind')}</th>
            <th scope="col">{t('imports.format')}</th>
            <th scope="col">{t('imports.importedBy')}</th>
            <th scope="col" className="number">
              {t('imports.lines')}
            </th>
            <th scope="col">{t('imports.outcomes')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.importId}>
              <td>
                <Link to={`/imports/${item.importId}`}>{formatInstant(item.startedAt)}</Link>
              </td>
              <td>{t(`imports.kinds.${item.kind}`)}</td>
              <td>{t(`imports.formats.${item.format}`)}</td>
              <td>{item.importedBy}</td>
              <td className="number">{formatCount(item.lineCount)}</td>
              <td>{item.counts ? <LineCounts counts={item.counts} compact /> : t(`imports.status.${item.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Upload() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const [kind, setKind] = useState<Kind>('BANK_RESULTS');
  const [file, setFile] = useState<File | undefined>();
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const command = useCommand((key) =>
    ok(
      ledger.POST(KINDS[kind], {
        params: { header: { 'Idempotency-Key': key } },
        // The route takes the file's bytes as they are: its content, not its name or type, says what format it is.
        body: file as unknown as string,
        bodySerializer: (body: unknown) => body,
        headers: { 'content-type': 'application/octet-stream' },
      }),
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!file);
    if (file) command.mutate();
  };
  return (
    <section className="card" aria-labelledby="upload">
      <h2 id="upload">{t('imports.upload')}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset className="choice">
          <legend>{t('imports.kind')}</legend>
          {(Object.keys(KINDS) as Kind[]).map((code) => (
            <label key={code}>
              <input type="radio" name="kind" value={code} checked={kind === code} onChange={() => setKind(code)} /> {t(`imports.kinds.${code}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('imports.file')} name="file" hint={t(`imports.fileHint.${kind}`)} localError={missing ? t('imports.chooseFile') : undefined} required>
          {(props) => <input {...props} ref={input} type="file" accept=".csv,.xml,.txt,.sta,.940" onChange={(event) => setFile(event.target.files?.[0])} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={command.isPending}>
            {t('imports.submit')}
          </button>
        </div>
      </form>
      <ProblemAlert error={command.error} />
      {command.data && <ImportOutcome result={command.data} />}
    </section>
  );
}

/** The file the population database's data-matching service is sent: everyone registered in the operator's units. */
function RequestFile() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const fetchFile = useMutation({ mutationFn: () => download(ledger.GET('/v1/identity-checks/request-file', { parseAs: 'blob' }), 'identity-check-request.csv') });
  return (
    <section className="card" aria-labelledby="request-file">
      <h2 id="request-file">{t('imports.requestFile')}</h2>
      <p>{t('imports.requestFileHelp')}</p>
      <button type="button" className="secondary" onClick={() => fetchFile.mutate()} disabled={fetchFile.isPending}>
        {t('imports.requestFileSubmit')}
      </button>
      <ProblemAlert error={fetchFile.error} />
    </section>
  );
}

function ImportOutcome({ result }: { result: Schema<'ImportResult'> }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-success" role="status" data-testid="import-result">
      <p>
        <strong>{result.repeat ? t('imports.repeat') : t('imports.imported', { lines: formatCount(result.lineCount), format: t(`imports.formats.${result.format}`) })}</strong>
      </p>
      <LineCounts counts={result.counts} />
      <p>
        <Link to={`/imports/${result.importId}`}>{t('imports.openReport')}</Link>
      </p>
    </div>
  );
}
