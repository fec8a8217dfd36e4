// The imports module's public face: the import wizard under `/contacts/import`.
export { ImportsPage } from './components/ImportsPage.tsx';
