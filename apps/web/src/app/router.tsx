import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { ForgotPasswordPage, LoginPage, RequireAuth, ResetPasswordPage } from '../modules/auth/index.ts';
import { ProfilePage } from '../modules/profile/index.ts';
import { type ModuleEntry, modules } from '../modules/registry.ts';
import { AppLayout } from './AppLayout.tsx';
import { ModuleUnavailable } from './ModuleUnavailable.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RouteErrorPage } from './RouteErrorPage.tsx';

function moduleRoute({ id, path, Page }: ModuleEntry): RouteObject {
  const element = Page ? <Page /> : <ModuleUnavailable moduleId={id} />;
  return path === '/' ? { index: true, element } : { path: `${path.slice(1)}/*`, element };
}

// Everything but the login page needs a signed-in user; RequireAuth sends anyone else to /login
// and the login page sends them back afterwards.
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage />, errorElement: <RouteErrorPage /> },
  { path: '/reset-password', element: <ResetPasswordPage />, errorElement: <RouteErrorPage /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      ...modules.map(moduleRoute),
      { path: 'profile/*', element: <ProfilePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
