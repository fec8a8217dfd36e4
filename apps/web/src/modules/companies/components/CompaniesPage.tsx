import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight } from '../../auth/index.ts';
import { CompanyDetailPage } from './CompanyDetailPage.tsx';
import { EditCompanyPage, NewCompanyPage } from './CompanyFormPage.tsx';
import { CompanyListPage } from './CompanyListPage.tsx';

/** `/companies/*`: the list, a new company, one company (with its tabs), and its edit form. */
export function CompaniesPage() {
  return (
    <RequireRight right="companies:read">
      <Routes>
        <Route index element={<CompanyListPage />} />
        <Route
          path="new"
          element={
            <RequireRight right="companies:create">
              <NewCompanyPage />
            </RequireRight>
          }
        />
        <Route
          path=":companyId/edit"
          element={
            <RequireRight right="companies:update">
              <EditCompanyPage />
            </RequireRight>
          }
        />
        <Route path=":companyId/:tab?" element={<CompanyDetailPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </RequireRight>
  );
}
