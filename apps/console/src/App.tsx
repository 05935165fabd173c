import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout.js';
import { Loading, PageHeader } from './components/ui.js';
import { AccessLog, AuditHistory, AuditLog, Digest, PersonAsOf, ReplayCheck, StreamHistory } from './screens/Audit.js';
import { DeathReports } from './screens/DeathReports.js';
import { Enroll } from './screens/Enroll.js';
import { FindPerson } from './screens/FindPerson.js';
import { Import } from './screens/Import.js';
import { Imports } from './screens/Imports.js';
import { LatePayments } from './screens/LatePayments.js';
import { PayrollRun } from './screens/PayrollRun.js';
import { PayrollRuns } from './screens/PayrollRuns.js';
import { Person } from './screens/Person.js';
import { homeOf, SignIn } from './screens/SignIn.js';
import { useSession } from './session.js';

/** ECharts is the largest part of the console: loaded only by who opens the dashboard. */
const Dashboard = lazy(() => import('./screens/Dashboard.js'));

/** Screens behind a session; without one, the sign-in screen. */
function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

function Home() {
  const { session } = useSession();
  return <Navigate to={session ? homeOf(session.role) : '/sign-in'} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('app.notFound')} />
      <Link to="/">{t('app.backHome')}</Link>
    </>
  );
}

export function App() {
  return (
    <BrowserRouter basename="/console">
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Home />} />
            <Route path="find" element={<FindPerson />} />
            <Route path="people/:beneficiaryId" element={<Person />} />
            <Route path="enroll" element={<Enroll />} />
            <Route path="payroll-runs" element={<PayrollRuns />} />
            <Route path="payroll-runs/:runId" element={<PayrollRun />} />
            <Route path="imports" element={<Imports />} />
            <Route path="imports/:importId" element={<Import />} />
            <Route path="death-reports" element={<DeathReports />} />
            <Route path="late-payments" element={<LatePayments />} />
            <Route path="audit/history" element={<AuditHistory />} />
            <Route path="audit/streams/:id" element={<StreamHistory />} />
            <Route path="audit/people/:beneficiaryId/as-of" element={<PersonAsOf />} />
            <Route path="audit/log" element={<AuditLog />} />
            <Route path="audit/digest" element={<Digest />} />
            <Route path="audit/replay-check" element={<ReplayCheck />} />
            <Route path="audit/access-log" element={<AccessLog />} />
            <Route path="dashboard" element={<Dashboard />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}

