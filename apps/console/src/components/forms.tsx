import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../api.js';
import { parseDate, parsePeriod } from '../format.js';
import { ProblemAlert, Success } from './ui.js';

/**
 * One command a person sends from a form. The Idempotency-Key is kept until the command succeeds,
 * so sending the same form again after a lost answer (or a double click) never does it twice;
 * after a success the next submission is a new action with a new key. Every query is refreshed
 * afterwards: the screen then shows what the command changed.
 */
export function useCommand<Result>(run: (idempotencyKey: string) => Promise<Result>, onDone?: (result: Result) => void) {
  const key = useRef(newIdempotencyKey());
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => run(key.current),
    onSuccess: async (result) => {
      key.current = newIdempotencyKey();
      await queries.invalidateQueries();
      onDone?.(result);
    },
  });
}

/** A form around one command: its fields, a submit button, and the command's refusal (field errors show beside their fields). */
export function CommandForm({
  title,
  submitLabel,
  command,
  validate,
  success,
  children,
  danger,
}: {
  title?: string;
  submitLabel: string;
  command: ReturnType<typeof useCommand<unknown>>;
  /** Problems found before sending (a date that is not one): nothing is sent while there are any. */
  validate?: () => boolean;
  success?: ReactNode;
  children: ReactNode;
  danger?: boolean;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (validate && !validate()) return;
    command.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="command-form">
      {title && <h3>{title}</h3>}
      {children}
      <div className="actions">
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={command.isPending}>
          {submitLabel}
        </button>
      </div>
      <ProblemAlert error={command.error} />
      {command.isSuccess && success && <Success>{success}</Success>}
    </form>
  );
}

/** A date typed `dd/mm/yyyy`, with the API's `YYYY-MM-DD` and its local error. */
export function useDateInput(initial = '') {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [checked, setChecked] = useState(false);
  const value = parseDate(text);
  return {
    text,
    setText,
    value,
    error: checked && !value ? t('common.badDate') : undefined,
    check: () => (setChecked(true), value !== undefined),
  };
}

/** A month typed `mm/yyyy`, with the API's period `YYYY-MM` and its local error. */
export function usePeriodInput(initial = '') {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [checked, setChecked] = useState(false);
  const value = parsePeriod(text);
  return {
    text,
    setText,
    value,
    error: checked && !value ? t('common.badPeriod') : undefined,
    check: () => (setChecked(true), value !== undefined),
  };
}
