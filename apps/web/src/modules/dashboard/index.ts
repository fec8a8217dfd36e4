// The dashboard module's public face: other code imports from here, never from deeper files.
export { DashboardPage } from './components/DashboardPage.tsx';
