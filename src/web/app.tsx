import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client.js';
import { SESSION_KEY } from './api/session.js';
import { AppLayout } from './components/app-layout.js';
import { CAPABILITIES } from './navigation.js';
import { AccountsPage } from './pages/admin/accounts-page.js';
import { AuditPage } from './pages/admin/audit-page.js';
import { CoachingDeliveryPage } from './pages/admin/coaching-delivery-page.js';
import { CoachingInboxPage } from './pages/coaching/inbox-page.js';
import { OpportunityPage } from './pages/coaching/opportunity-page.js';
import { RequireAdmin } from './pages/admin/require-admin.js';
import { LoginPage } from './pages/auth/login-page.js';
import { ResetPasswordPage } from './pages/auth/reset-password-page.js';
import { AlignmentPage } from './pages/goals/alignment-page.js';
import { GoalNewPage } from './pages/goals/goal-new-page.js';
import { GoalPage } from './pages/goals/goal-page.js';
import { GoalsPage } from './pages/goals/goals-page.js';
import { HomePage } from './pages/home-page.js';
import { NotBuiltPage } from './pages/capabilities/not-built-page.js';
import { ConversationPage } from './pages/conversations/conversation-page.js';
import { ConversationsPage } from './pages/conversations/conversations-page.js';
import { SchedulePage } from './pages/conversations/schedule-page.js';
import { ConnectorsPage } from './pages/connectors/connectors-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OrgOverviewPage } from './pages/dashboard/org-overview-page.js';
import { PersonSignalsPage } from './pages/dashboard/person-signals-page.js';
import { TeamDashboardPage } from './pages/dashboard/team-dashboard-page.js';
import { OrgTreePage } from './pages/org/org-tree-page.js';
import { PersonPage } from './pages/org/person-page.js';
import { TeamPage } from './pages/org/team-page.js';
import { MyWorkStylePage, PersonWorkStylePage } from './pages/profiles/work-style-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';
import { theme } from './theme.js';

function onApiError(error: unknown) {
  // A session that ended (timeout, sign-out elsewhere) sends the person back to the sign-in page.
  if (error instanceof ApiError && error.status === 401) {
    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // A 4xx answer will not change on retry; a dropped connection may.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'org', element: <OrgTreePage /> },
      { path: 'teams/:id', element: <TeamPage /> },
      { path: 'people/:id', element: <PersonPage /> },
      { path: 'conversations', element: <ConversationsPage /> },
      { path: 'conversations/new', element: <SchedulePage /> },
      { path: 'conversations/:id', element: <ConversationPage /> },
      { path: 'goals', element: <GoalsPage /> },
      { path: 'goals/new', element: <GoalNewPage /> },
      { path: 'goals/alignment', element: <AlignmentPage /> },
      { path: 'goals/:id', element: <GoalPage /> },
      { path: 'dashboard', element: <OrgOverviewPage /> },
      { path: 'dashboard/teams/:id', element: <TeamDashboardPage /> },
      { path: 'dashboard/people/:id', element: <PersonSignalsPage /> },
      {
        path: 'connectors',
        element: <RequireAdmin />,
        children: [{ index: true, element: <ConnectorsPage /> }],
      },
      { path: 'people/:id/work-style', element: <PersonWorkStylePage /> },
      { path: 'profiles', element: <MyWorkStylePage /> },
      { path: 'coaching', element: <CoachingInboxPage /> },
      { path: 'coaching/opportunities/:id', element: <OpportunityPage /> },
      ...CAPABILITIES.filter((c) => !c.built).map((c) => ({
        path: c.path.slice(1),
        element: <NotBuiltPage capability={c} />,
      })),
      {
        path: 'admin',
        element: <RequireAdmin />,
        children: [
          { path: 'accounts', element: <AccountsPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'coaching-delivery', element: <CoachingDeliveryPage /> },
        ],
      },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
