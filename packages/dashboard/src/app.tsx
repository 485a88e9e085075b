import { createBrowserRouter, Outlet, RouterProvider } from 'react-router-dom';
import { AuthProvider } from './auth/auth-context';
import { RequireAuth } from './auth/require-auth';
import { Layout } from './components/layout';
import { TimeRangeProvider } from './components/time-range';
import { EventPage } from './pages/event-page';
import { NotFoundPage } from './pages/not-found-page';
import { SessionDetailPage } from './pages/session-detail-page';
import { SessionsPage } from './pages/sessions-page';
import { SignInPage } from './pages/sign-in-page';
import { UserDetailPage } from './pages/user-detail-page';
import { UsersPage } from './pages/users-page';

/** Route table. The collector answers every non-/v1 path with index.html, so browser URLs work on reload. */
const router = createBrowserRouter([
  {
    element: (
      <AuthProvider>
        <Outlet />
      </AuthProvider>
    ),
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      {
        element: (
          <RequireAuth>
            <TimeRangeProvider>
              <Layout />
            </TimeRangeProvider>
          </RequireAuth>
        ),
        children: [
          // Pages with charts load Recharts on demand: sign-in and lists start faster.
          { index: true, lazy: async () => ({ Component: (await import('./pages/overview-page')).OverviewPage }) },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'sessions/:id', element: <SessionDetailPage /> },
          { path: 'events/:id', element: <EventPage /> },
          { path: 'failures', lazy: async () => ({ Component: (await import('./pages/failures-page')).FailuresPage }) },
          { path: 'clients', lazy: async () => ({ Component: (await import('./pages/clients-page')).ClientsPage }) },
          { path: 'users', element: <UsersPage /> },
          { path: 'users/:id', element: <UserDetailPage /> },
          { path: 'tools', lazy: async () => ({ Component: (await import('./pages/tools-page')).ToolsPage }) },
          {
            path: 'tools/:name',
            lazy: async () => ({ Component: (await import('./pages/tool-detail-page')).ToolDetailPage }),
          },
          { path: 'paths', lazy: async () => ({ Component: (await import('./pages/paths-page')).PathsPage }) },
          { path: 'what-if', lazy: async () => ({ Component: (await import('./pages/what-if-page')).WhatIfPage }) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
