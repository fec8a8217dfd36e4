// The profile module's public face: other code imports from here, never from deeper files.
export { ProfilePage } from './components/ProfilePage.tsx';
