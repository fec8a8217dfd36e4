// The companies module's public face: other code imports from here, never from deeper files.
export { CompaniesPage } from './components/CompaniesPage.tsx';
