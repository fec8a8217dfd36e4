// The privacy module's public face: the approvals page, and the hook the export dialog shows a
// waiting request's status with.
export { PrivacyPage } from './components/PrivacyPage.tsx';
export { useApproval } from './hooks/useApprovals.ts';
export { privacySections } from './sections.ts';
