// The auth module's public face: other code imports from here, never from deeper files.
export type { Me } from './api/session.ts';
export { endsSession } from './api/session.ts';
export { LoginPage } from './components/LoginPage.tsx';
export { ForgotPasswordPage, ResetPasswordPage } from './components/PasswordResetPages.tsx';
export { RequireAuth } from './components/RequireAuth.tsx';
export { RequireRight } from './components/RequireRight.tsx';
export { UserMenu } from './components/UserMenu.tsx';
export { useCurrentUser, useHasRight } from './hooks/useCurrentUser.ts';
export { endSession, meQueryKey } from './hooks/useMe.ts';
