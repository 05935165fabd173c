import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { mayAct, mayAudit, mayReadOperations, mayReadReports, spansEveryUnit, useSession, useSignedIn, type SignedIn } from '../session.js';
import { unitName } from '../units.js';

interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly offered: (session: SignedIn) => boolean;
}

const always = () => true;

/** The screens of each audience; a screen is listed only to whom the API would serve it. */
const SECTIONS: ReadonlyArray<{ readonly title: string; readonly items: readonly NavItem[] }> = [
  {
    title: 'nav.operations',
    items: [
      { to: '/find', label: 'nav.find', offered: always },
      { to: '/enroll', label: 'nav.enroll', offered: mayAct },
      { to: '/payroll-runs', label: 'nav.payrollRuns', offered: mayReadOperations },
      { to: '/imports', label: 'nav.imports', offered: mayReadOperations },
      { to: '/death-reports', label: 'nav.deathReports', offered: mayReadOperations },
      { to: '/late-payments', label: 'nav.latePayments', offered: always },
    ],
  },
  {
    title: 'nav.audit',
    items: [
      { to: '/audit/history', label: 'nav.history', offered: mayAudit },
      { to: '/audit/log', label: 'nav.log', offered: (session) => mayAudit(session) && spansEveryUnit(session) },
      { to: '/audit/digest', label: 'nav.digest', offered: mayAudit },
      { to: '/audit/replay-check', label: 'nav.replayCheck', offered: (session) => mayAudit(session) && spansEveryUnit(session) },
      { to: '/audit/access-log', label: 'nav.accessLog', offered: mayAudit },
    ],
  },
  {
    title: 'nav.analysis',
    items: [{ to: '/dashboard', label: 'nav.dashboard', offered: mayReadReports }],
  },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" className="language-switch" lang={other} onClick={() => void i18n.changeLanguage(other)} aria-label={`${t('app.language')}: ${t('app.switchLanguage')}`}>
      {t('app.switchLanguage')}
    </button>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { signOut } = useSession();
  const units = session.units.includes('*') ? t('app.everyUnit') : session.units.map(unitName).join(', ');
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top-bar">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-subtitle">{t('app.subtitle')}</span>
        </div>
        <div className="who">
          <span data-testid="signed-in-as">{t('app.signedInAs', { userId: session.userId, role: t(`roles.${session.role}`) })}</span>
          <span className="who-units">{t('app.units', { units })}</span>
        </div>
        <LanguageSwitch />
        <button type="button" className="sign-out" onClick={() => signOut()}>
          {t('app.signOut')}
        </button>
      </header>
      <div className="body">
        <nav className="side-nav" aria-label={t('app.mainNavigation')}>
          {SECTIONS.map((section) => {
            const items = section.items.filter((item) => item.offered(session));
            if (items.length === 0) return null;
            return (
              <div key={section.title} className="nav-section">
                <h2>{t(section.title)}</h2>
                <ul>
                  {items.map((item) => (
                    <li key={item.to}>
                      <NavLink to={item.to}>{t(item.label)}</NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
