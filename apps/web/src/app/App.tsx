import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { asApiError } from '../api';
import { Loading } from '../ui';
import { ChangePasswordPage, hasRole, LoginPage, meQuery, RequireSession } from '../auth';
import { programsQuery } from '../campaign';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { Shell } from './Shell';

// Each area is its own chunk, loaded when first opened.
const dashboardChunk = () => import('../kpi/DashboardPage');
const DashboardPage = lazy(dashboardChunk);
const DrilldownPage = lazy(() => import('../kpi/DrilldownPage'));
const TargetsPage = lazy(() => import('../kpi/TargetsPage'));
const PlanPage = lazy(() => import('../kpi/PlanPage'));
const ExportsPage = lazy(() => import('../kpi/ExportsPage'));
const TrainersPage = lazy(() => import('../trainers/TrainersPage'));
const ReportsPage = lazy(() => import('../reports/ReportsPage'));
const ContestsPage = lazy(() => import('../contests/ContestsPage'));
const AuditPage = lazy(() => import('../audit/AuditPage'));
const CitizensPage = lazy(() => import('../citizens/CitizensPage'));
const UsersPage = lazy(() => import('../admin/UsersPage'));
const OrganisationPage = lazy(() => import('../organisation/OrganisationPage'));
const OrganisationReportsPage = lazy(() => import('../organisation/OrganisationReportsPage'));
// The trainer's phone app: its own chunks, none of the steering pages' code (charts, tables).
const trainerChunks = {
  area: () => import('../trainer/TrainerArea'),
  classes: () => import('../trainer/MyClassesPage'),
  form: () => import('../trainer/ClassFormPage'),
  class: () => import('../trainer/ClassPage'),
  session: () => import('../trainer/SessionPage'),
  checkin: () => import('../trainer/CheckinPage'),
  reach: () => import('../trainer/ReachPage'),
};
const TrainerArea = lazy(trainerChunks.area);
const MyClassesPage = lazy(trainerChunks.classes);
const ClassFormPage = lazy(trainerChunks.form);
const ClassPage = lazy(trainerChunks.class);
const SessionPage = lazy(trainerChunks.session);
const CheckinPage = lazy(trainerChunks.checkin);
const ReachPage = lazy(trainerChunks.reach);

/**
 * The trainer's pages are small: all of them are fetched at once, side by side, rather than the frame and
 * then the page one after the other (on slow 3G each round trip costs seconds).
 */
function loadTrainerArea(): void {
  Object.values(trainerChunks).forEach((chunk) => void chunk());
}

// The installed app opens at /lop: its code is fetched while the session is being renewed.
if (/^\/(lop|tiep-can)(\/|$)/.test(window.location.pathname)) loadTrainerArea();

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Offline, a query still runs: the service worker answers the trainer's reads from its copy, and other
      // pages say they cannot reach the server rather than wait silently.
      networkMode: 'always',
      // A refusal (no access, bad input, not found) will not change by asking again.
      retry: (failures, error) => {
        const status = asApiError(error).status;
        return failures < 2 && (status === 0 || status >= 500);
      },
    },
  },
});

/**
 * Right after signing in, the account, the programs and the dashboard's code are fetched side by side
 * rather than one after the other as the pages mount (a round trip each saved on the first page).
 */
function warmUp() {
  void queryClient.prefetchQuery(meQuery).then(() => {
    // A trainer lands on their classes.
    if (hasRole(queryClient.getQueryData(meQuery.queryKey), 'trainer')) loadTrainerArea();
  });
  void queryClient.prefetchQuery(programsQuery);
  void dashboardChunk();
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      {/* Without transitions a click shows its result at once (a checkbox checked, the next page loading)
          instead of leaving the previous page on screen, and clickable, under the new address while a
          page's code or data arrives on a slow phone. */}
      <BrowserRouter useTransitions={false}>
        <Routes>
          <Route path="/dang-nhap" element={<LoginPage onSignedIn={warmUp} />} />
          {/* Public: anyone finds a class; a citizen signs in with VNeID, never with a staff account. */}
          <Route
            path="/hoc-vien"
            element={
              <Suspense fallback={<Loading />}>
                <CitizensPage />
              </Suspense>
            }
          />
          <Route element={<RequireSession />}>
            <Route path="/doi-mat-khau" element={<ChangePasswordPage />} />
            <Route element={<Shell />}>
              <Route index element={<HomePage />} />
              <Route path="tong-quan" element={<DashboardPage />} />
              <Route path="tong-quan/so-lieu" element={<DrilldownPage />} />
              <Route path="giang-vien" element={<TrainersPage />} />
              <Route path="chi-tieu" element={<TargetsPage />} />
              <Route path="ke-hoach" element={<PlanPage />} />
              <Route path="bao-cao" element={<ReportsPage />} />
              <Route path="hoi-thi" element={<ContestsPage />} />
              <Route path="xuat-bao-cao" element={<ExportsPage />} />
              <Route path="nhat-ky" element={<AuditPage />} />
              <Route path="quan-tri/tai-khoan" element={<UsersPage />} />
              <Route path="don-vi" element={<OrganisationPage />} />
              <Route path="bao-cao-don-vi" element={<OrganisationReportsPage />} />
              <Route element={<TrainerArea />}>
                <Route path="lop" element={<MyClassesPage />} />
                <Route path="lop/moi" element={<ClassFormPage />} />
                <Route path="lop/:id" element={<ClassPage />} />
                <Route path="lop/:id/sua" element={<ClassFormPage />} />
                <Route path="lop/:id/buoi/:sessionId" element={<SessionPage />} />
                <Route path="lop/:id/buoi/:sessionId/qr" element={<CheckinPage />} />
                <Route path="tiep-can" element={<ReachPage />} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
