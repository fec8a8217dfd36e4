import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { RequireRight } from '../../auth/index.ts';
import { QuestionsSettingsPage } from '../../consent/index.ts';
import { CustomFieldsSettingsPage } from '../../customFields/index.ts';
import { MailSettingsPage } from '../../mail/index.ts';
import { WebhooksSettingsPage } from '../../webhooks/index.ts';
import { AccessLogPage } from './AccessLogPage.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';
import { PrivacySettingsPage } from './PrivacySettingsPage.tsx';
import { RoleEditorPage } from './RoleEditorPage.tsx';
import { RolesPage } from './RolesPage.tsx';
import { SettingsOverview } from './SettingsOverview.tsx';
import { UsersPage } from './UsersPage.tsx';

export function SettingsPage() {
  return (
    <Routes>
      <Route index element={<SettingsOverview />} />
      <Route
        path="users"
        element={
          <RequireRight right="users:read">
            <UsersPage />
          </RequireRight>
        }
      />
      <Route
        path="roles"
        element={
          <RequireRight right="users:read">
            <RolesPage />
          </RequireRight>
        }
      />
      <Route
        path="roles/new"
        element={
          <RequireRight right="users:create">
            <RoleEditorPage />
          </RequireRight>
        }
      />
      <Route
        path="roles/:roleId"
        element={
          <RequireRight right="users:read">
            <RoleEditorPage />
          </RequireRight>
        }
      />
      <Route
        path="audit-log"
        element={
          <RequireRight right="privacy:read">
            <AuditLogPage />
          </RequireRight>
        }
      />
      <Route
        path="access-log"
        element={
          <RequireRight right="privacy:read">
            <AccessLogPage />
          </RequireRight>
        }
      />
      <Route
        path="privacy"
        element={
          <RequireRight right="settings:read">
            <PrivacySettingsPage />
          </RequireRight>
        }
      />
      <Route
        path="consent-questions/*"
        element={
          <RequireRight right="privacy:read">
            <QuestionsSettingsPage />
          </RequireRight>
        }
      />
      <Route
        path="custom-fields"
        element={
          <RequireRight right="settings:read">
            <CustomFieldsSettingsPage />
          </RequireRight>
        }
      />
      <Route
        path="mail/*"
        element={
          <RequireRight right="settings:read">
            <MailSettingsPage />
          </RequireRight>
        }
      />
      <Route
        path="webhooks/*"
        element={
          <RequireRight right="settings:read">
            <WebhooksSettingsPage />
          </RequireRight>
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
