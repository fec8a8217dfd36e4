import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { type ModuleEntry, modules } from '../modules/registry.ts';
import { AppLayout } from './AppLayout.tsx';
import { ModuleUnavailable } from './ModuleUnavailable.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RouteErrorPage } from './RouteErrorPage.tsx';

function moduleRoute({ id, path, Page }: ModuleEntry): RouteObject {
  const element = Page ? <Page /> : <ModuleUnavailable moduleId={id} />;
  return path === '/' ? { index: true, element } : { path: `${path.slice(1)}/*`, element };
}

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [...modules.map(moduleRoute), { path: '*', element: <NotFoundPage /> }],
  },
]);
