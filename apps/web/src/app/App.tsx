import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { asApiError } from '../api';
import { Loading } from '../ui';
import { hasRole, meQuery, RequireSession } from '../auth';
import { programsQuery } from '../campaign';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { seedKept, TRAINER_PATH } from './kept';
import { preloadable } from './preloadable';
import { Shell } from './Shell';

// Each area is its own chunk, loaded when first opened; so are signing in and changing the password, which
// the installed trainer's app, opening on a kept session, does not need to download and run first.
const LoginPage = lazy(() => import('../auth/LoginPage').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() =>
  import('../auth/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);
const dashboardChunk = () => import('../kpi/DashboardPage');
const DashboardPage = lazy(dashboardChunk);
const DrilldownPage = lazy(() => import('../kpi/DrilldownPage'));
const TargetsPage = lazy(() => import('../kpi/TargetsPage'));
const PlanPage = lazy(() => import('../kpi/PlanPage'));
const ExportsPage = lazy(() => import('../kpi/ExportsPage'));
const TrainersPage = lazy(() => import('../trainers/TrainersPage'));
const ReportsPage = lazy(() => import('../reports/ReportsPage'));
const ContestsPage = lazy(() => import('../contests/ContestsPage'));
const FlagsPage = lazy(() => import('../flags/FlagsPage'));
const AuditPage = lazy(() => import('../audit/AuditPage'));
const CitizensPage = lazy(() => import('../citizens/CitizensPage'));
const UsersPage = lazy(() => import('../admin/UsersPage'));
const UnitsPage = lazy(() => import('../admin/UnitsPage'));
const PopulationPage = lazy(() => import('../admin/PopulationPage'));
const OrganisationsPage = lazy(() => import('../admin/OrganisationsPage'));
const ProgramsPage = lazy(() => import('../admin/ProgramsPage'));
const JobsPage = lazy(() => import('../admin/JobsPage'));
const ImportsPage = lazy(() => import('../admin/ImportsPage'));
const OrganisationPage = lazy(() => import('../organisation/OrganisationPage'));
const OrganisationReportsPage = lazy(() => import('../organisation/OrganisationReportsPage'));
const SignersPage = lazy(() => import('../certificates/SignersPage'));
// The trainer's phone app: its own chunks, none of the steering pages' code (charts, tables).
const trainerChunks = {
  area: preloadable(() => import('../trainer/TrainerArea')),
  classes: preloadable(() => import('../trainer/MyClassesPage')),
  form: preloadable(() => import('../trainer/ClassFormPage')),
  class: preloadable(() => import('../trainer/ClassPage')),
  session: preloadable(() => import('../trainer/SessionPage')),
  checkin: preloadable(() => import('../trainer/CheckinPage')),
  reach: preloadable(() => import('../trainer/ReachPage')),
};
const TrainerArea = trainerChunks.area.Component;
const MyClassesPage = trainerChunks.classes.Component;
const ClassFormPage = trainerChunks.form.Component;
const ClassPage = trainerChunks.class.Component;
const SessionPage = trainerChunks.session.Component;
const CheckinPage = trainerChunks.checkin.Component;
const ReachPage = trainerChunks.reach.Component;

/**
 * The trainer's pages are small: all of them are fetched at once, side by side, rather than the frame and
 * then the page one after the other (on slow 3G each round trip costs seconds).
 */
function loadTrainerArea(): Promise<unknown> {
  return Promise.all(Object.values(trainerChunks).map((chunk) => chunk.preload()));
}

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
    if (hasRole(queryClient.getQueryData(meQuery.queryKey), 'trainer'))
      void loadTrainerArea().catch(() => undefined);
  });
  void queryClient.prefetchQuery(programsQuery);
  void dashboardChunk();
}

/**
 * Before the first drawing, on a trainer's address: the account and classes the service worker kept are put
 * in the query cache and, when there were some, the trainer's pages' code is loaded first (from the phone),
 * so that the installed app draws "Lớp của tôi" in one go, without a loading screen in between. True when an
 * account was kept.
 */
export async function prepare(): Promise<boolean> {
  if (!TRAINER_PATH.test(window.location.pathname)) return false;
  const code = loadTrainerArea().catch(() => undefined);
  const kept = await seedKept(queryClient);
  // Nothing kept (the first visit, on the network): the loading screen shows while the code arrives.
  if (kept) await code;
  return kept;
}

export function App({ kept = false }: { kept?: boolean }) {
  return (
    <QueryClientProvider client={queryClient}>
      {/* Without transitions a click shows its result at once (a checkbox checked, the next page loading)
          instead of leaving the previous page on screen, and clickable, under the new address while a
          page's code or data arrives on a slow phone. */}
      <BrowserRouter useTransitions={false}>
        <Routes>
          <Route
            path="/dang-nhap"
            element={
              <Suspense fallback={<Loading />}>
                <LoginPage onSignedIn={warmUp} />
              </Suspense>
            }
          />
          {/* Public: anyone finds a class; a citizen signs in with VNeID, never with a staff account. */}
          <Route
            path="/hoc-vien"
            element={
              <Suspense fallback={<Loading />}>
                <CitizensPage />
              </Suspense>
            }
          />
          <Route element={<RequireSession kept={kept} />}>
            <Route
              path="/doi-mat-khau"
              element={
                <Suspense fallback={<Loading />}>
                  <ChangePasswordPage />
                </Suspense>
              }
            />
            <Route element={<Shell />}>
              <Route index element={<HomePage />} />
              <Route path="tong-quan" element={<DashboardPage />} />
              <Route path="tong-quan/so-lieu" element={<DrilldownPage />} />
              <Route path="giang-vien" element={<TrainersPage />} />
              <Route path="chi-tieu" element={<TargetsPage />} />
              <Route path="ke-hoach" element={<PlanPage />} />
              <Route path="bao-cao" element={<ReportsPage />} />
              <Route path="hoi-thi" element={<ContestsPage />} />
              <Route path="canh-bao" element={<FlagsPage />} />
              <Route path="xuat-bao-cao" element={<ExportsPage />} />
              <Route path="nhat-ky" element={<AuditPage />} />
              <Route path="quan-tri/tai-khoan" element={<UsersPage />} />
              <Route path="quan-tri/don-vi-hanh-chinh" element={<UnitsPage />} />
              <Route path="quan-tri/dan-so" element={<PopulationPage />} />
              <Route path="quan-tri/co-quan" element={<OrganisationsPage />} />
              <Route path="quan-tri/chuong-trinh" element={<ProgramsPage />} />
              <Route path="quan-tri/nhap-du-lieu" element={<ImportsPage />} />
              <Route path="quan-tri/tac-vu" element={<JobsPage />} />
              <Route path="don-vi" element={<OrganisationPage />} />
              <Route path="bao-cao-don-vi" element={<OrganisationReportsPage />} />
              <Route path="chu-ky" element={<SignersPage />} />
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
