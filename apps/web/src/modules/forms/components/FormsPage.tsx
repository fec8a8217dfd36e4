import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight } from '../../auth/index.ts';
import { FormBuilderPage } from './FormBuilderPage.tsx';
import { FormListPage } from './FormListPage.tsx';
import { SubmissionsPage } from './SubmissionsPage.tsx';

/** `/forms/*`: the list, the builder (new and existing forms) and each form's submissions. */
export function FormsPage() {
  return (
    <RequireRight right="marketing:read">
      <Routes>
        <Route index element={<FormListPage />} />
        <Route
          path="new"
          element={
            <RequireRight right="marketing:create">
              <FormBuilderPage />
            </RequireRight>
          }
        />
        <Route path=":formId" element={<FormBuilderPage />} />
        <Route path=":formId/submissions" element={<SubmissionsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </RequireRight>
  );
}
