import { createBrowserRouter, Outlet, RouterProvider } from 'react-router-dom';
import { AuthProvider } from './auth/auth-context';
import { RequireAuth } from './auth/require-auth';
import { Layout } from './components/layout';
import { TimeRangeProvider } from './components/time-range';
import { EventPage } from './pages/event-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { SessionDetailPage } from './pages/session-detail-page';
import { SessionsPage } from './pages/sessions-page';
import { SignInPage } from './pages/sign-in-page';
import { ToolDetailPage } from './pages/tool-detail-page';
import { ToolsPage } from './pages/tools-page';
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
          { index: true, element: <OverviewPage /> },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'sessions/:id', element: <SessionDetailPage /> },
          { path: 'events/:id', element: <EventPage /> },
          { path: 'users', element: <UsersPage /> },
          { path: 'users/:id', element: <UserDetailPage /> },
          { path: 'tools', element: <ToolsPage /> },
          { path: 'tools/:name', element: <ToolDetailPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
