import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight } from '../../auth/index.ts';
import { ImportsPage } from '../../imports/index.ts';
import { SelectionsPage } from '../../selections/index.ts';
import { ContactDetailPage } from './ContactDetailPage.tsx';
import { EditContactPage, NewContactPage } from './ContactFormPage.tsx';
import { ContactListPage } from './ContactListPage.tsx';

/** `/contacts/*`: the list, a new contact, the import wizard, one contact (with its tabs), and its edit form. */
export function ContactsPage() {
  return (
    <RequireRight right="contacts:read">
      <Routes>
        <Route index element={<ContactListPage />} />
        <Route
          path="new"
          element={
            <RequireRight right="contacts:create">
              <NewContactPage />
            </RequireRight>
          }
        />
        <Route path="selections/*" element={<SelectionsPage />} />
        <Route
          path="import/*"
          element={
            <RequireRight right="contacts:create">
              <ImportsPage />
            </RequireRight>
          }
        />
        <Route
          path=":contactId/edit"
          element={
            <RequireRight right="contacts:update">
              <EditContactPage />
            </RequireRight>
          }
        />
        <Route path=":contactId/:tab?" element={<ContactDetailPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </RequireRight>
  );
}
