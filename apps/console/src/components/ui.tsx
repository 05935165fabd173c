import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api.js';
import { programCodes } from '../programs.js';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** A refusal of the API (or any failure), in words: the code's translation when the console knows it, else the API's own detail. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error.problem : undefined;
  const known = problem ? t(`problems.${problem.code}`, { defaultValue: '' }) : '';
  return (
    <div className="alert alert-error" role="alert">
      <strong>{title ?? t('common.refused')}</strong>
      <p>{known || problem?.detail || (error as Error).message}</p>
      {problem?.errors && problem.errors.length > 0 && <p>{t('common.fieldErrors')}</p>}
      {problem && <p className="problem-code">{problem.code}</p>}
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

/** A status as a word on a coloured badge; the colour only repeats the word. */
export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'neutral' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function paymentTone(status: string): 'good' | 'bad' | 'warn' | 'neutral' | 'info' {
  switch (status) {
    case 'PAID':
      return 'good';
    case 'FAILED':
    case 'RETURNED':
      return 'bad';
    case 'CANCELLED':
      return 'neutral';
    case 'SENT':
      return 'info';
    default:
      return 'warn';
  }
}

interface FieldProps {
  readonly label: string;
  /** The API's field name, for its error (`decision.number`). */
  readonly name: string;
  readonly error?: unknown;
  /** An error found before sending (a date that is not one). */
  readonly localError?: string | undefined;
  readonly hint?: string;
  readonly required?: boolean;
  readonly children: (props: { id: string; name: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean; required?: boolean }) => ReactNode;
}

/** A labelled control with its hint and the API's error for it right below, tied to it for screen readers. */
export function Field({ label, name, error, localError, hint, required, children }: FieldProps) {
  const id = useId();
  const message = localError ?? (error instanceof ApiProblem ? error.fieldError(name) : undefined);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${message ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children({ id, name, ...(described ? { 'aria-describedby': described } : {}), ...(message ? { 'aria-invalid': true } : {}), ...(required ? { required: true } : {}) })}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {message && (
        <span className="field-error" id={`${id}-error`}>
          {message}
        </span>
      )}
    </div>
  );
}

/** The options of a program choice: the configured programs by their names, after "all programs" where the choice may be none. */
export function ProgramOptions({ allLabel }: { allLabel?: string }) {
  const { t } = useTranslation();
  return (
    <>
      {allLabel !== undefined && <option value="">{allLabel}</option>}
      {programCodes().map((code) => (
        <option key={code} value={code}>
          {t(`programs.${code}`, { defaultValue: code })}
        </option>
      ))}
    </>
  );
}

/** Pages of a list the API pages by cursor: the cursors seen so far make "previous" possible. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors.at(-1);
  return {
    cursor,
    page: cursors.length,
    next: (nextCursor: string | null | undefined) => nextCursor && setCursors((seen) => [...seen, nextCursor]),
    previous: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    reset: () => setCursors([undefined]),
  };
}

export function Pager({ page, next, onNext, onPrevious }: { page: number; next: string | null | undefined; onNext: () => void; onPrevious: () => void }) {
  const { t } = useTranslation();
  if (page === 1 && !next) return null;
  return (
    <nav className="pager" aria-label={t('common.page', { page })}>
      <button type="button" onClick={onPrevious} disabled={page === 1}>
        {t('common.previous')}
      </button>
      <span>{t('common.page', { page })}</span>
      <button type="button" onClick={onNext} disabled={!next}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/** A page's heading and what it is for; every screen starts with one (the h1 the skip link lands near). */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children}
    </header>
  );
}
