import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schema } from '@ledger/api-client';
import { ok } from '../api.js';
import { CommandForm, useCommand, useDateInput, usePeriodInput } from '../components/forms.js';
import { Field } from '../components/ui.js';
import { useLedger } from '../session.js';
import { districtUnits, unitName } from '../units.js';

type Action =
  | { kind: 'suspend' | 'resume' | 'terminate'; program: string }
  | { kind: 'relocate' | 'openAccount' }
  | { kind: 'verifyAccount' | 'closeAccount'; accountId: string };

const BANKS = ['VBA', 'AGRIBANK', 'VCB', 'BIDV', 'VIETINBANK'];

/** What an operator may do to a person, each a form that shows the API's field errors beside the fields. Only what the person's state allows is offered. */
export function PersonActions({ view }: { view: Schema<'BeneficiaryView'> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Action | undefined>();
  const choices: Array<{ action: Action; label: string }> = [
    ...view.enrollments.flatMap((enrollment) => {
      const program = t(`programs.${enrollment.program}`, { defaultValue: enrollment.program });
      const own: Array<{ action: Action; label: string }> = [];
      if (enrollment.status === 'ACTIVE') own.push({ action: { kind: 'suspend', program: enrollment.program }, label: t('actions.suspend', { program }) });
      if (enrollment.status === 'SUSPENDED') own.push({ action: { kind: 'resume', program: enrollment.program }, label: t('actions.resume', { program }) });
      if (enrollment.status !== 'TERMINATED') own.push({ action: { kind: 'terminate', program: enrollment.program }, label: t('actions.terminate', { program }) });
      return own;
    }),
    { action: { kind: 'relocate' }, label: t('actions.relocate') },
    { action: { kind: 'openAccount' }, label: t('actions.openAccount') },
    ...view.accounts.flatMap((account) => [
      ...(account.status === 'UNVERIFIED' ? [{ action: { kind: 'verifyAccount', accountId: account.accountId } as Action, label: t('actions.verifyAccount', { account: `${account.bankCode} ${account.accountNumber}` }) }] : []),
      ...(account.status !== 'CLOSED' ? [{ action: { kind: 'closeAccount', accountId: account.accountId } as Action, label: t('actions.closeAccount', { account: `${account.bankCode} ${account.accountNumber}` }) }] : []),
    ]),
  ];
  const same = (a: Action | undefined, b: Action) => JSON.stringify(a) === JSON.stringify(b);
  return (
    <section className="card" aria-labelledby="actions">
      <h2 id="actions">{t('actions.title')}</h2>
      <div className="actions">
        {choices.map(({ action, label }) => (
          <button key={JSON.stringify(action)} type="button" className="secondary" aria-expanded={same(open, action)} onClick={() => setOpen(same(open, action) ? undefined : action)}>
            {label}
          </button>
        ))}
      </div>
      {open && <ActionForm key={JSON.stringify(open)} action={open} view={view} />}
    </section>
  );
}

function ActionForm({ action, view }: { action: Action; view: Schema<'BeneficiaryView'> }) {
  switch (action.kind) {
    case 'suspend':
      return <Suspend beneficiaryId={view.beneficiaryId} program={action.program} />;
    case 'resume':
      return <Resume beneficiaryId={view.beneficiaryId} program={action.program} />;
    case 'terminate':
      return <Terminate beneficiaryId={view.beneficiaryId} program={action.program} />;
    case 'relocate':
      return <Relocate view={view} />;
    case 'openAccount':
      return <OpenAccount beneficiaryId={view.beneficiaryId} />;
    case 'verifyAccount':
    case 'closeAccount':
      return <AccountReason beneficiaryId={view.beneficiaryId} accountId={action.accountId} kind={action.kind} />;
  }
}

function Suspend({ beneficiaryId, program }: { beneficiaryId: string; program: string }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const from = usePeriodInput();
  const [reason, setReason] = useState('');
  const command = useCommand((key) =>
    ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/suspend', { params: { path: { beneficiaryId, program }, header: { 'Idempotency-Key': key } }, body: { effectiveFrom: from.value ?? from.text, reason } })),
  );
  return (
    <CommandForm title={t('actions.suspend', { program: t(`programs.${program}`, { defaultValue: program }) })} submitLabel={t('actions.suspendSubmit')} command={command} validate={from.check} success={t('common.done')}>
      <Field label={t('actions.suspendFrom')} name="effectiveFrom" hint={t('common.periodHint')} error={command.error} localError={from.error} required>
        {(props) => <input {...props} value={from.text} onChange={(event) => from.setText(event.target.value)} />}
      </Field>
      <Field label={t('common.reason')} name="reason" error={command.error} required>
        {(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} />}
      </Field>
    </CommandForm>
  );
}

function Resume({ beneficiaryId, program }: { beneficiaryId: string; program: string }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const from = usePeriodInput();
  const command = useCommand((key) =>
    ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/resume', { params: { path: { beneficiaryId, program }, header: { 'Idempotency-Key': key } }, body: { effectiveFrom: from.value ?? from.text } })),
  );
  return (
    <CommandForm title={t('actions.resume', { program: t(`programs.${program}`, { defaultValue: program }) })} submitLabel={t('actions.resumeSubmit')} command={command} validate={from.check} success={t('common.done')}>
      <Field label={t('actions.resumeFrom')} name="effectiveFrom" hint={t('common.periodHint')} error={command.error} localError={from.error} required>
        {(props) => <input {...props} value={from.text} onChange={(event) => from.setText(event.target.value)} />}
      </Field>
    </CommandForm>
  );
}

function Terminate({ beneficiaryId, program }: { beneficiaryId: string; program: string }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const date = useDateInput();
  const [reason, setReason] = useState<'DECEASED' | 'NO_LONGER_ELIGIBLE' | 'MOVED_OUT'>('NO_LONGER_ELIGIBLE');
  const command = useCommand((key) =>
    ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/enrollments/{program}/terminate', { params: { path: { beneficiaryId, program }, header: { 'Idempotency-Key': key } }, body: { effectiveDate: date.value ?? date.text, reason } })),
  );
  return (
    <CommandForm title={t('actions.terminate', { program: t(`programs.${program}`, { defaultValue: program }) })} submitLabel={t('actions.terminateSubmit')} command={command} validate={date.check} success={t('common.done')} danger>
      <Field label={t('common.reason')} name="reason" error={command.error} required>
        {(props) => (
          <select {...props} value={reason} onChange={(event) => setReason(event.target.value as typeof reason)}>
            {(['DECEASED', 'NO_LONGER_ELIGIBLE', 'MOVED_OUT'] as const).map((code) => (
              <option key={code} value={code}>
                {t(`terminationReason.${code}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('actions.terminateOn')} name="effectiveDate" hint={t('common.dateHint')} error={command.error} localError={date.error} required>
        {(props) => <input {...props} value={date.text} onChange={(event) => date.setText(event.target.value)} />}
      </Field>
    </CommandForm>
  );
}

function Relocate({ view }: { view: Schema<'BeneficiaryView'> }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const [unitCode, setUnitCode] = useState('');
  const command = useCommand((key) =>
    ok(ledger.POST('/v1/beneficiaries/{beneficiaryId}/relocate', { params: { path: { beneficiaryId: view.beneficiaryId }, header: { 'Idempotency-Key': key } }, body: { unitCode } })),
  );
  return (
    <CommandForm title={t('actions.relocate')} submitLabel={t('actions.relocateSubmit')} command={command} success={command.data && t('actions.relocated', { count: command.data.movedDisbursements })}>
      <p>{t('actions.relocateHelp', { unit: unitName(view.unitCode) })}</p>
      <Field label={t('actions.relocateTo')} name="unitCode" error={command.error} required>
        {(props) => (
          <select {...props} value={unitCode} onChange={(event) => setUnitCode(event.target.value)}>
            <option value="">—</option>
            {districtUnits()
              .filter((code) => code !== view.unitCode)
              .map((code) => (
                <option key={code} value={code}>
                  {unitName(code)}
                </option>
              ))}
          </select>
        )}
      </Field>
    </CommandForm>
  );
}

function OpenAccount({ beneficiaryId }: { beneficiaryId: string }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const [bankCode, setBankCode] = useState(BANKS[0]!);
  const [accountNumber, setAccountNumber] = useState('');
  const [holderName, setHolderName] = useState('');
  const openedOn = useDateInput();
  const command = useCommand((key) =>
    ok(
      ledger.POST('/v1/beneficiaries/{beneficiaryId}/accounts', {
        params: { path: { beneficiaryId }, header: { 'Idempotency-Key': key } },
        body: { bankCode, accountNumber, holderName, openedOn: openedOn.value ?? openedOn.text },
      }),
    ),
  );
  return (
    <CommandForm
      title={t('actions.openAccount')}
      submitLabel={t('actions.openAccountSubmit')}
      command={command}
      validate={openedOn.check}
      success={command.data && (command.data.status === 'VERIFIED' ? t('actions.accountVerified') : t('actions.accountUnverified', { reason: command.data.unverifiedReason ?? '' }))}
    >
      <div className="row">
        <Field label={t('person.bank')} name="bankCode" error={command.error} required>
          {(props) => (
            <select {...props} value={bankCode} onChange={(event) => setBankCode(event.target.value)}>
              {BANKS.map((bank) => (
                <option key={bank}>{bank}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('person.accountNumber')} name="accountNumber" error={command.error} required>
          {(props) => <input {...props} value={accountNumber} onChange={(event) => setAccountNumber(event.target.value)} inputMode="numeric" />}
        </Field>
      </div>
      <Field label={t('person.holderName')} name="holderName" hint={t('actions.holderNameHint')} error={command.error} required>
        {(props) => <input {...props} value={holderName} onChange={(event) => setHolderName(event.target.value)} />}
      </Field>
      <Field label={t('actions.openedOn')} name="openedOn" hint={t('common.dateHint')} error={command.error} localError={openedOn.error} required>
        {(props) => <input {...props} value={openedOn.text} onChange={(event) => openedOn.setText(event.target.value)} />}
      </Field>
    </CommandForm>
  );
}

function AccountReason({ beneficiaryId, accountId, kind }: { beneficiaryId: string; accountId: string; kind: 'verifyAccount' | 'closeAccount' }) {
  const { t } = useTranslation();
  const ledger = useLedger();
  const [reason, setReason] = useState('');
  const path = kind === 'verifyAccount' ? '/v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/verify' : '/v1/beneficiaries/{beneficiaryId}/accounts/{accountId}/close';
  const command = useCommand((key) => ok(ledger.POST(path, { params: { path: { beneficiaryId, accountId }, header: { 'Idempotency-Key': key } }, body: { reason } })));
  return (
    <CommandForm title={t(kind === 'verifyAccount' ? 'actions.verifyAccountTitle' : 'actions.closeAccountTitle')} submitLabel={t(kind === 'verifyAccount' ? 'actions.verifySubmit' : 'actions.closeSubmit')} command={command} success={t('common.done')}>
      {kind === 'verifyAccount' && <p>{t('actions.verifyHelp')}</p>}
      <Field label={t('common.reason')} name="reason" error={command.error} required>
        {(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} />}
      </Field>
    </CommandForm>
  );
}
