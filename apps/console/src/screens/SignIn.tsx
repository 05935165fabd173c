import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { createLedgerClient } from '@ledger/api-client';
import { Field, ProblemAlert } from '../components/ui.js';
import { LanguageSwitch } from '../components/Layout.js';
import { readToken, useSession, type Role } from '../session.js';
import { unitName } from '../units.js';

interface DemoUser {
  readonly userId: string;
  readonly role: Role;
  readonly units: readonly string[];
  readonly token: string;
}

/** The demo's users, served beside the console outside production only: anywhere else this is a 404 and the choice is not shown. */
async function fetchDemoUsers(): Promise<DemoUser[]> {
  const response = await fetch('/console/demo-users.json', { cache: 'no-store' });
  if (!response.ok) return [];
  return ((await response.json()) as { users: DemoUser[] }).users;
}

export function homeOf(role: Role): string {
  return role === 'reporter' ? '/dashboard' : '/find';
}

export function SignIn() {
  const { t } = useTranslation();
  const { signIn, ended } = useSession();
  const navigate = useNavigate();
  // Sent here from a screen (a link to a payroll run, say): back there once signed in.
  const from = (useLocation().state as { from?: string } | null)?.from;
  const demo = useQuery({ queryKey: ['demo-users'], queryFn: fetchDemoUsers, staleTime: 0, gcTime: 0 });
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<unknown>();

  const enter = (value: string) => {
    const session = signIn(value);
    if (session) navigate(from && from !== '/' ? from : homeOf(session.role), { replace: true });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    const claims = readToken(token);
    if (!claims) return setProblem(t('signIn.invalidToken'));
    if (claims.expiresAt * 1000 <= Date.now()) return setProblem(t('signIn.expiredToken'));
    setProblem(undefined);
    // One cheap read every role may make: the API, not the console, says whether the token is good.
    const { error } = await createLedgerClient(window.location.origin, claims.token).GET('/v1/beneficiaries', { params: { query: { limit: 1 } } });
    if (error && (error.status === 401 || error.status === 403)) return setProblem(t('signIn.refused', { detail: error.detail }));
    if (error) return setRefusal(error);
    enter(claims.token);
  };

  return (
    <div className="sign-in">
      <header className="sign-in-header">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-subtitle">{t('app.subtitle')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" className="sign-in-main">
        <h1>{t('signIn.title')}</h1>
        {ended === 'expired' && (
          <div className="alert alert-warn" role="status">
            {t('app.sessionExpired')}
          </div>
        )}
        {demo.data && demo.data.length > 0 && (
          <section aria-labelledby="demo-users" className="card">
            <h2 id="demo-users">{t('signIn.demoTitle')}</h2>
            <p>{t('signIn.demoHelp')}</p>
            <ul className="demo-users">
              {demo.data.map((user) => (
                <li key={user.userId}>
                  <button type="button" className="demo-user" onClick={() => enter(user.token)}>
                    <span className="demo-user-name">{t('signIn.demoUser', { userId: user.userId })}</span>
                    <span className="demo-user-role">
                      {t(`roles.${user.role}`)} · {user.units.includes('*') ? t('app.everyUnit') : user.units.map(unitName).join(', ')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="token-sign-in" className="card">
          <h2 id="token-sign-in">{t('signIn.tokenTitle')}</h2>
          <form onSubmit={submit} noValidate>
            <Field label={t('signIn.tokenLabel')} name="token" hint={t('signIn.tokenHelp')} localError={problem} required>
              {(props) => <textarea {...props} rows={4} value={token} onChange={(event) => setToken(event.target.value)} autoComplete="off" spellCheck={false} />}
            </Field>
            <button type="submit" className="primary">
              {t('signIn.submit')}
            </button>
          </form>
          <ProblemAlert error={refusal} />
        </section>
      </main>
    </div>
  );
}
