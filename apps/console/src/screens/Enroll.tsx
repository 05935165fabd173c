import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ok } from '../api.js';
import { CommandForm, useCommand, useDateInput, usePeriodInput } from '../components/forms.js';
import { Field, PageHeader, ProgramOptions } from '../components/ui.js';
import { programCodes } from '../programs.js';
import { useLedger, useSignedIn } from '../session.js';
import { districtUnits, isWithin, unitName } from '../units.js';

/** `1,5` or `1.5` as the API's thousandths (1500); undefined when it is not a number. */
function coefficientOf(text: string): number | undefined {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) ? Math.round(value * 1000) : undefined;
}

/** Enrolls a person in a program. The API judges every field; its errors show beside each one. */
export function Enroll() {
  const { t } = useTranslation();
  const ledger = useLedger();
  const session = useSignedIn();
  const units = districtUnits().filter((code) => isWithin(code, session.units));
  const [nationalId, setNationalId] = useState('');
  const [fullName, setFullName] = useState('');
  const birth = useDateInput();
  const [gender, setGender] = useState<'MALE' | 'FEMALE'>('MALE');
  const [unitCode, setUnitCode] = useState(units[0] ?? '');
  const [program, setProgram] = useState(programCodes()[0] ?? '');
  const [coefficient, setCoefficient] = useState('1,0');
  const [coefficientChecked, setCoefficientChecked] = useState(false);
  const from = usePeriodInput();
  const [decisionNumber, setDecisionNumber] = useState('');
  const decisionDate = useDateInput();
  const command = useCommand((key) =>
    ok(
      ledger.POST('/v1/beneficiaries', {
        params: { header: { 'Idempotency-Key': key } },
        body: {
          nationalId: nationalId.trim(),
          fullName: fullName.trim(),
          dateOfBirth: birth.value ?? birth.text,
          gender,
          unitCode,
          program,
          coefficient: coefficientOf(coefficient) ?? 0,
          effectiveFrom: from.value ?? from.text,
          decision: { number: decisionNumber.trim(), date: decisionDate.value ?? decisionDate.text },
        },
      }),
    ),
  );
  const validate = () => {
    setCoefficientChecked(true);
    const checks = [birth.check(), from.check(), decisionDate.check(), coefficientOf(coefficient) !== undefined];
    return checks.every(Boolean);
  };
  return (
    <>
      <PageHeader title={t('enroll.title')}>
        <p>{t('enroll.help')}</p>
      </PageHeader>
      <div className="card">
        <CommandForm
          submitLabel={t('enroll.submit')}
          command={command}
          validate={validate}
          success={
            command.data && (
              <>
                {t('enroll.enrolled')} <Link to={`/people/${command.data.beneficiaryId}`}>{t('enroll.openPerson')}</Link>
              </>
            )
          }
        >
          <fieldset>
            <legend>{t('enroll.person')}</legend>
            <div className="row">
              <Field label={t('enroll.nationalId')} name="nationalId" error={command.error} required>
                {(props) => <input {...props} value={nationalId} onChange={(event) => setNationalId(event.target.value)} inputMode="numeric" autoComplete="off" />}
              </Field>
              <Field label={t('enroll.fullName')} name="fullName" error={command.error} required>
                {(props) => <input {...props} value={fullName} onChange={(event) => setFullName(event.target.value)} autoComplete="off" />}
              </Field>
            </div>
            <div className="row">
              <Field label={t('enroll.dateOfBirth')} name="dateOfBirth" hint={t('common.dateHint')} error={command.error} localError={birth.error} required>
                {(props) => <input {...props} value={birth.text} onChange={(event) => birth.setText(event.target.value)} />}
              </Field>
              <Field label={t('enroll.gender')} name="gender" error={command.error} required>
                {(props) => (
                  <select {...props} value={gender} onChange={(event) => setGender(event.target.value as 'MALE' | 'FEMALE')}>
                    <option value="MALE">{t('gender.MALE')}</option>
                    <option value="FEMALE">{t('gender.FEMALE')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('enroll.unit')} name="unitCode" error={command.error} required>
                {(props) => (
                  <select {...props} value={unitCode} onChange={(event) => setUnitCode(event.target.value)}>
                    {units.map((code) => (
                      <option key={code} value={code}>
                        {unitName(code)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('enroll.enrollment')}</legend>
            <div className="row">
              <Field label={t('enroll.program')} name="program" error={command.error} required>
                {(props) => (
                  <select {...props} value={program} onChange={(event) => setProgram(event.target.value)}>
                    <ProgramOptions />
                  </select>
                )}
              </Field>
              <Field
                label={t('enroll.coefficient')}
                name="coefficient"
                hint={t('enroll.coefficientHint')}
                error={command.error}
                localError={coefficientChecked && coefficientOf(coefficient) === undefined ? t('enroll.badCoefficient') : undefined}
                required
              >
                {(props) => <input {...props} value={coefficient} onChange={(event) => setCoefficient(event.target.value)} inputMode="decimal" size={6} />}
              </Field>
              <Field label={t('enroll.effectiveFrom')} name="effectiveFrom" hint={t('common.periodHint')} error={command.error} localError={from.error} required>
                {(props) => <input {...props} value={from.text} onChange={(event) => from.setText(event.target.value)} />}
              </Field>
            </div>
            <div className="row">
              <Field label={t('enroll.decisionNumber')} name="decision.number" error={command.error} required>
                {(props) => <input {...props} value={decisionNumber} onChange={(event) => setDecisionNumber(event.target.value)} />}
              </Field>
              <Field label={t('enroll.decisionDate')} name="decision.date" hint={t('common.dateHint')} error={command.error} localError={decisionDate.error} required>
                {(props) => <input {...props} value={decisionDate.text} onChange={(event) => decisionDate.setText(event.target.value)} />}
              </Field>
            </div>
          </fieldset>
        </CommandForm>
      </div>
    </>
  );
}
