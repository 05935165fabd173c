import { useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Schema } from '@ledger/api-client';
import { ok, saveFile } from '../api.js';
import { Badge, Field, Loading, PageHeader, Pager, ProblemAlert, paymentTone, Success, useCursorPages } from '../components/ui.js';
import { formatCount, formatDate, formatInstant, formatPeriod, formatVnd, parseInstantInVietnam } from '../format.js';
import { useLedger } from '../session.js';
import { unitName } from '../units.js';

/** An event as an auditor reads it: what happened (in words, with the stored type beside), when, by whom, under which command, and its data as stored. */
function EventItem({ event, showStream }: { event: Schema<'AuditEvent'>; showStream: boolean }) {
  const { t } = useTranslation();
  const metadata = event.metadata as { actorId?: string; actorRole?: string; command?: string; correlationId?: string };
  return (
    <li>
      <div>
        <strong>{t(`events.${event.type}`, { defaultValue: event.type })}</strong> <span className="mono note">{event.type}</span>
      </div>
      <div className="note">
        {t('audit.eventLine', { position: event.position, revision: event.streamRevision, at: formatInstant(event.recordedAt), actor: metadata.actorId ?? '—', role: metadata.actorRole ?? '—' })}
        {metadata.command && ` · ${metadata.command}`}
        {showStream && <span className="mono"> · {event.streamName}</span>}
      </div>
      <pre>{JSON.stringify(event.data, null, 2)}</pre>
    </li>
  );
}

/** Where an auditor starts: the history of any record by its id (a person, a payment, a payroll run). */
export function AuditHistory() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim()) navigate(`/audit/streams/${encodeURIComponent(id.trim())}`);
  };
  return (
    <>
      <PageHeader title={t('audit.historyTitle')}>
        <p>{t('audit.historyHelp')}</p>
      </PageHeader>
      <form className="card" onSubmit={submit} noValidate>
        <Field label={t('audit.recordId')} name="id" hint={t('audit.recordIdHint')}>
          {(props) => <input {...props} value={id} onChange={(event) => setId(event.target.value)} className="mono" size={40} />}
        </Field>
        <button type="submit" className="primary">
          {t('audit.openHistory')}
        </button>
      </form>
      <p>
        <Link to="/find">{t('audit.findFirst')}</Link>
      </p>
    </>
  );
}

/** A stream's events one by one, oldest first, paged by revision; for a person, the way to see them as they stood at an instant. */
export function StreamHistory() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const ledger = useLedger();
  const pages = useCursorPages();
  const history = useQuery({
    queryKey: ['audit-stream', id, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/audit/streams/{id}', { params: { path: { id }, query: { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  return (
    <>
      <PageHeader title={t('audit.streamTitle')}>
        <p className="mono">{history.data?.streamName ?? id}</p>
        {history.data?.beneficiaryId && (
          <p>
            <Link to={`/people/${history.data.beneficiaryId}`}>{t('audit.openPerson')}</Link>
          </p>
        )}
      </PageHeader>
      {history.data?.beneficiaryId && <AsOfForm beneficiaryId={history.data.beneficiaryId} />}
      <ProblemAlert error={history.error} />
      {history.isPending && <Loading />}
      {history.data && (
        <section className="card" aria-labelledby="events">
          <h2 id="events">{t('audit.events')}</h2>
          <ol className="events">
            {history.data.items.map((event) => (
              <EventItem key={event.eventId} event={event} showStream={false} />
            ))}
          </ol>
          <Pager page={pages.page} next={history.data.next} onNext={() => pages.next(history.data.next)} onPrevious={pages.previous} />
        </section>
      )}
    </>
  );
}

function AsOfForm({ beneficiaryId }: { beneficiaryId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [checked, setChecked] = useState(false);
  const invalid = checked && parseInstantInVietnam(text) === undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (parseInstantInVietnam(text)) navigate(`/audit/people/${beneficiaryId}/as-of?at=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="as-of">
      <h2 id="as-of">{t('audit.asOfTitle')}</h2>
      <div className="row">
        <Field label={t('audit.asOfDate')} name="asOf" hint={t('audit.asOfHint')} localError={invalid ? t('audit.badInstant') : undefined} required>
          {(props) => <input {...props} value={text} onChange={(event) => setText(event.target.value)} size={20} />}
        </Field>
      </div>
      <button type="submit" className="primary">
        {t('audit.showAsOf')}
      </button>
    </form>
  );
}

/** A person as the ledger knew them at the end of a day (Vietnam's time): their record, enrollments, accounts and payments, rebuilt from the events recorded by then. */
export function PersonAsOf() {
  const { t } = useTranslation();
  const { beneficiaryId = '' } = useParams();
  const [params] = useSearchParams();
  const ledger = useLedger();
  const typed = params.get('at') ?? '';
  const asOf = parseInstantInVietnam(typed);
  const view = useQuery({
    queryKey: ['as-of', beneficiaryId, asOf],
    enabled: asOf !== undefined,
    queryFn: () => ok(ledger.GET('/v1/audit/beneficiaries/{beneficiaryId}', { params: { path: { beneficiaryId }, query: { asOf: asOf! } } })),
  });
  if (!asOf) return <ProblemAlert error={new Error(t('audit.badInstant'))} />;
  if (view.isPending) return <Loading />;
  if (view.error) return <ProblemAlert error={view.error} />;
  const { beneficiary, enrollments, accounts, payments } = view.data;
  return (
    <>
      <PageHeader title={t('audit.asOfHeading', { name: beneficiary.fullName, date: typed.trim() })}>
        <p>{t('audit.asOfExplained', { position: view.data.position, at: formatInstant(view.data.asOf) })}</p>
        <p>
          <Link to={`/audit/streams/${beneficiaryId}`}>{t('audit.backToHistory')}</Link>
        </p>
      </PageHeader>
      <section className="card" aria-labelledby="as-of-identity">
        <h2 id="as-of-identity">{t('person.identity')}</h2>
        <dl className="facts">
          <dt>{t('person.nationalId')}</dt>
          <dd className="mono">{beneficiary.nationalId}</dd>
          <dt>{t('person.dateOfBirth')}</dt>
          <dd>{formatDate(beneficiary.dateOfBirth)}</dd>
          <dt>{t('person.unit')}</dt>
          <dd>{unitName(beneficiary.unitCode)}</dd>
          <dt>{t('person.channel')}</dt>
          <dd>{t(`channel.${beneficiary.channel}`)}</dd>
          <dt>{t('audit.firstRecorded')}</dt>
          <dd>{formatInstant(beneficiary.firstRecordedAt)}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="as-of-enrollments">
        <h2 id="as-of-enrollments">{t('person.enrollments')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('person.program')}</th>
              <th scope="col">{t('person.effectiveFrom')}</th>
              <th scope="col">{t('person.status')}</th>
            </tr>
          </thead>
          <tbody>
            {enrollments.map((enrollment) => (
              <tr key={enrollment.program}>
                <td>{t(`programs.${enrollment.program}`, { defaultValue: enrollment.program })}</td>
                <td>{formatPeriod(enrollment.effectiveFrom)}</td>
                <td>
                  {t(`enrollmentStatus.${enrollment.status}`)}
                  {enrollment.termination && ` · ${formatDate(enrollment.termination.effectiveDate)} · ${t(`terminationReason.${enrollment.termination.reason}`)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="as-of-accounts">
        <h2 id="as-of-accounts">{t('person.accounts')}</h2>
        {accounts.length === 0 ? (
          <p>{t('person.noAccount')}</p>
        ) : (
          <ul>
            {accounts.map((account) => (
              <li key={account.accountId}>
                {account.bankCode} <span className="mono">{account.accountNumber}</span> · {account.holderName} · {t(`accountStatus.${account.status}`)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="as-of-payments">
        <h2 id="as-of-payments">{t('person.payments')}</h2>
        {payments.length === 0 ? (
          <p>{t('person.noPayments')}</p>
        ) : (
          <table className="payments">
            <thead>
              <tr>
                <th scope="col">{t('person.period')}</th>
                <th scope="col" className="number">
                  {t('person.amount')}
                </th>
                <th scope="col">{t('person.channelColumn')}</th>
                <th scope="col">{t('person.status')}</th>
                <th scope="col" className="number">
                  {t('person.daysLate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.map((payment) => (
                <tr key={payment.disbursementId} data-period={payment.period}>
                  <td>{formatPeriod(payment.period)}</td>
                  <td className="number">{formatVnd(payment.amount)}</td>
                  <td>{t(`channel.${payment.channel}`)}</td>
                  <td>
                    <Badge tone={paymentTone(payment.status)}>{t(`paymentStatus.${payment.status}`)}</Badge>
                    {payment.attempt > 1 && <span className="note"> · {t('person.retried', { attempt: payment.attempt })}</span>}
                  </td>
                  <td className="number">{payment.daysLate > 0 ? t('person.late', { days: payment.daysLate }) : t('person.onTime')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** The whole log, every unit's events in the order they were written, paged by position. */
export function AuditLog() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const pages = useCursorPages();
  const log = useQuery({
    queryKey: ['audit-log', pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/audit/log', { params: { query: { limit: 50, ...(pages.cursor ? { after: pages.cursor } : {}) } } })),
  });
  return (
    <>
      <PageHeader title={t('audit.logTitle')}>
        <p>{t('audit.logHelp')}</p>
      </PageHeader>
      <ProblemAlert error={log.error} />
      {log.isPending && <Loading />}
      {log.data && (
        <section className="card" aria-label={t('audit.logTitle')}>
          <ol className="events">
            {log.data.items.map((event) => (
              <EventItem key={event.eventId} event={event} showStream />
            ))}
          </ol>
          <Pager page={pages.page} next={log.data.next} onNext={() => pages.next(log.data.next)} onPrevious={pages.previous} />
        </section>
      )}
    </>
  );
}

/**
 * Tamper evidence: take a signed digest of the hash chain's head and keep it outside the system;
 * later, hand it back and the ledger recomputes its chain up to it and says plainly whether the log
 * is as it was.
 */
export function Digest() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const take = useMutation({
    mutationFn: async () => {
      const digest = await ok(ledger.GET('/v1/audit/digest'));
      saveFile(new Blob([JSON.stringify(digest, null, 2)], { type: 'application/json' }), `ledger-digest-${digest.position}.json`);
      return digest;
    },
  });
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | undefined>();
  const [unreadable, setUnreadable] = useState(false);
  const verify = useMutation({
    mutationFn: async (digestFile: File) => {
      let digest: Schema<'Digest'>;
      try {
        digest = JSON.parse(await digestFile.text()) as Schema<'Digest'>;
      } catch {
        setUnreadable(true);
        throw new Error(t('audit.digestUnreadable'));
      }
      return ok(ledger.POST('/v1/audit/verify', { body: digest }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setUnreadable(false);
    if (file) verify.mutate(file);
  };
  return (
    <>
      <PageHeader title={t('audit.digestTitle')}>
        <p>{t('audit.digestHelp')}</p>
      </PageHeader>
      <section className="card" aria-labelledby="take">
        <h2 id="take">{t('audit.take')}</h2>
        <p>{t('audit.takeHelp')}</p>
        <button type="button" className="primary" onClick={() => take.mutate()} disabled={take.isPending}>
          {t('audit.takeSubmit')}
        </button>
        <ProblemAlert error={take.error} />
        {take.data && (
          <Success>
            <p data-testid="digest-taken">{t('audit.taken', { position: take.data.position })}</p>
            <p className="mono">SHA-256 {take.data.hash}</p>
          </Success>
        )}
      </section>
      <section className="card" aria-labelledby="verify">
        <h2 id="verify">{t('audit.verify')}</h2>
        <form onSubmit={submit} noValidate>
          <Field label={t('audit.digestFile')} name="digest" hint={t('audit.digestFileHint')} localError={unreadable ? t('audit.digestUnreadable') : undefined} required>
            {(props) => <input {...props} ref={input} type="file" accept=".json,application/json" onChange={(event) => setFile(event.target.files?.[0])} />}
          </Field>
          <button type="submit" className="primary" disabled={!file || verify.isPending}>
            {t('audit.verifySubmit')}
          </button>
        </form>
        {verify.error && !unreadable && <ProblemAlert error={verify.error} />}
        {verify.data && <Verdict result={verify.data} />}
      </section>
    </>
  );
}

function Verdict({ result }: { result: Schema<'VerifyResult'> }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <div className="alert alert-success" role="status" data-testid="verdict">
        <p className="verdict">{t('audit.intact')}</p>
        <p>{t('audit.intactDetail', { position: result.position ?? '—', events: formatCount(result.eventsChecked) })}</p>
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert" data-testid="verdict">
      <p className="verdict">{t('audit.notIntact')}</p>
      <p>{t(`verifyReason.${result.reason}`, { defaultValue: result.reason ?? '' })}</p>
      {result.firstDifferingPosition && <p>{t('audit.firstDiffering', { position: result.firstDifferingPosition })}</p>}
      {result.detail && <p className="note">{result.detail}</p>}
    </div>
  );
}

/** Rebuilds every read model from the log into scratch storage and compares it, row by row, with the live ones. */
export function ReplayCheck() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const check = useMutation({ mutationFn: () => ok(ledger.POST('/v1/audit/replay-check')) });
  return (
    <>
      <PageHeader title={t('audit.replayTitle')}>
        <p>{t('audit.replayHelp')}</p>
      </PageHeader>
      <section className="card">
        <button type="button" className="primary" onClick={() => check.mutate()} disabled={check.isPending}>
          {check.isPending ? t('audit.replayRunning') : t('audit.replaySubmit')}
        </button>
        <ProblemAlert error={check.error} />
        {check.data && (
          <div className={`alert ${check.data.differences.length === 0 ? 'alert-success' : 'alert-error'}`} role="status" data-testid="replay-verdict">
            <p className="verdict">{check.data.differences.length === 0 ? t('audit.replayMatches') : t('audit.replayDiffers', { count: check.data.differences.length })}</p>
            <p>{t('audit.replayDetail', { events: formatCount(check.data.eventsReplayed), rows: formatCount(check.data.rowsCompared), position: check.data.checkedPosition })}</p>
            {check.data.differences.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.table')}</th>
                    <th scope="col">{t('audit.key')}</th>
                    <th scope="col">{t('audit.column')}</th>
                    <th scope="col">{t('audit.live')}</th>
                    <th scope="col">{t('audit.replayed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {check.data.differences.map((difference, index) => (
                    <tr key={index}>
                      <td>{difference.table}</td>
                      <td className="mono">{JSON.stringify(difference.key)}</td>
                      <td>{difference.column ?? '—'}</td>
                      <td className="mono">{JSON.stringify(difference.live)}</td>
                      <td className="mono">{JSON.stringify(difference.replayed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </section>
    </>
  );
}

/** Who read whose data, and when: every read of a person's record, a search, a payment file, a history. */
export function AccessLog() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const pages = useCursorPages();
  const [beneficiaryId, setBeneficiaryId] = useState('');
  const [actor, setActor] = useState('');
  const [filter, setFilter] = useState<{ beneficiaryId?: string; actor?: string }>({});
  const log = useQuery({
    queryKey: ['access-log', filter, pages.cursor],
    placeholderData: keepPreviousData,
    queryFn: () => ok(ledger.GET('/v1/audit/access-log', { params: { query: { limit: 50, ...filter, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setFilter({ ...(beneficiaryId.trim() ? { beneficiaryId: beneficiaryId.trim() } : {}), ...(actor.trim() ? { actor: actor.trim() } : {}) });
  };
  return (
    <>
      <PageHeader title={t('audit.accessTitle')}>
        <p>{t('audit.accessHelp')}</p>
      </PageHeader>
      <form className="card" onSubmit={submit} noValidate>
        <div className="row">
          <Field label={t('audit.beneficiaryId')} name="beneficiaryId" error={log.error}>
            {(props) => <input {...props} value={beneficiaryId} onChange={(event) => setBeneficiaryId(event.target.value)} className="mono" size={38} />}
          </Field>
          <Field label={t('audit.actor')} name="actor" error={log.error}>
            {(props) => <input {...props} value={actor} onChange={(event) => setActor(event.target.value)} />}
          </Field>
        </div>
        <button type="submit" className="primary">
          {t('common.search')}
        </button>
      </form>
      <ProblemAlert error={log.error} />
      {log.isPending && <Loading />}
      {log.data && (
        <section className="card" aria-label={t('audit.accessTitle')}>
          <div className="table-scroll" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.whose')}</th>
                  <th scope="col">{t('audit.route')}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatInstant(entry.recordedAt)}</td>
                    <td>
                      {entry.actor} <span className="note">({t(`roles.${entry.actorRole}`)})</span>
                    </td>
                    <td>
                      {entry.beneficiaryId ? (
                        <Link className="mono" to={`/people/${entry.beneficiaryId}`}>
                          {entry.beneficiaryId.slice(0, 8)}…
                        </Link>
                      ) : (
                        t('audit.paymentFile', { agent: entry.payingAgent ?? '—' })
                      )}
                    </td>
                    <td className="mono">{entry.route}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={pages.page} next={log.data.next} onNext={() => pages.next(log.data.next)} onPrevious={pages.previous} />
        </section>
      )}
    </>
  );
}
