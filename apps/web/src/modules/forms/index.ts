// The forms module's public face: other code imports from here, never from deeper files.
export { FormsPage } from './components/FormsPage.tsx';
