import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight, useCurrentUser } from '../../auth/index.ts';
import { ConsentChangesPage, ConsentLogPage, ConsentReportPage } from '../../consent/index.ts';
import { privacySections } from '../sections.ts';
import { ApprovalsPage } from './ApprovalsPage.tsx';

/**
 * `/privacy/*`: the privacy officer's pages: consent changes to act on, the consent log and report,
 * and the approvals (four eyes on bulk exports).
 */
export function PrivacyPage() {
  const { rights } = useCurrentUser();
  // The overview opens the first page the user may see (the approvals answer with the right they lack).
  const first = privacySections.find((section) => rights.includes(section.right)) ?? privacySections[0];
  return (
    <Routes>
      <Route index element={<Navigate to={first.path} replace />} />
      <Route
        path="consent-changes"
        element={
          <RequireRight right="privacy:read">
            <ConsentChangesPage />
          </RequireRight>
        }
      />
      <Route
        path="consent-log"
        element={
          <RequireRight right="privacy:read">
            <ConsentLogPage />
          </RequireRight>
        }
      />
      <Route
        path="consent-report"
        element={
          <RequireRight right="privacy:read">
            <ConsentReportPage />
          </RequireRight>
        }
      />
      <Route
        path="approvals"
        element={
          <RequireRight right="privacy:approve">
            <ApprovalsPage />
          </RequireRight>
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
