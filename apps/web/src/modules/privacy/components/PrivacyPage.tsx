import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight } from '../../auth/index.ts';
import { ApprovalsPage } from './ApprovalsPage.tsx';

/** `/privacy/*`: for now the approvals of the privacy officer (four eyes on bulk exports). */
export function PrivacyPage() {
  return (
    <Routes>
      <Route index element={<Navigate to="approvals" replace />} />
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
