import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { dataCategories, type FieldAccess, fullFieldAccess, type Role } from '../api/roles.ts';
import { useCreateRole, useDeleteRole, useRoleLabel, useRoles, useUpdateRole } from '../hooks/useRoles.ts';
import { FieldAccessEditor } from './FieldAccessEditor.tsx';
import { RightsMatrix } from './RightsMatrix.tsx';

/** `/settings/roles/new` creates a role; `/settings/roles/:roleId` shows and edits one. */
export function RoleEditorPage() {
  const { roleId } = useParams();
  const roles = useRoles();

  if (roleId === undefined) return <RoleForm />;
  if (roles.isPending) return <Loader />;
  if (roles.isError) return <ErrorAlert error={roles.error} />;
  const role = roles.data.find((candidate) => candidate.id === roleId);
  if (!role) return <NotFoundPage />;
  return <RoleForm key={role.id} role={role} />;
}

function RoleForm({ role }: { role?: Role }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const navigate = useNavigate();
  const mayUpdate = useHasRight('users:update');
  const mayDelete = useHasRight('users:delete');
  const create = useCreateRole();
  const update = useUpdateRole();
  const isNew = role === undefined;
  const fixed = role?.builtinKey === 'owner';
  const readOnly = fixed || (!isNew && !mayUpdate);

  const initialName = role ? roleLabel(role) : '';
  const [name, setName] = useState(initialName);
  const [rights, setRights] = useState<Set<string>>(() => new Set(role?.rights ?? []));
  const initialFieldAccess = role?.fieldAccess ?? fullFieldAccess();
  const [fieldAccess, setFieldAccess] = useState<FieldAccess>(initialFieldAccess);
  const [checked, setChecked] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const heading = isNew ? t('settings.roles.newTitle') : roleLabel(role);
  usePageTitle(heading);

  const initialRights = new Set(role?.rights ?? []);
  const rightsChanged =
    rights.size !== initialRights.size || [...rights].some((right) => !initialRights.has(right));
  const nameChanged = name.trim() !== initialName;
  const fieldAccessChanged = dataCategories.some(
    (category) => fieldAccess[category] !== initialFieldAccess[category],
  );
  const dirty = isNew || rightsChanged || nameChanged || fieldAccessChanged;
  const mutation = isNew ? create : update;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (name.trim() === '' || readOnly) return;
    const sortedRights = [...rights].sort();
    if (isNew) {
      create.mutate(
        { name: name.trim(), rights: sortedRights, fieldAccess },
        { onSuccess: (created) => void navigate(`/settings/roles/${created.id}`, { replace: true }) },
      );
    } else {
      update.mutate(
        {
          id: role.id,
          changes: {
            ...(nameChanged ? { name: name.trim() } : {}),
            ...(rightsChanged ? { rights: sortedRights } : {}),
            ...(fieldAccessChanged ? { fieldAccess } : {}),
          },
        },
        {
          onSuccess: (saved) => {
            setName(roleLabel(saved));
            setRights(new Set(saved.rights));
            setFieldAccess(saved.fieldAccess);
          },
        },
      );
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg" data-testid="role-editor">
        <Breadcrumbs>
          <Anchor component={Link} to="/settings/roles" size="sm">
            {t('navSections.roles')}
          </Anchor>
          <Text size="sm">{heading}</Text>
        </Breadcrumbs>
        <Stack gap={4}>
          <Title order={1}>{heading}</Title>
          {!isNew && !readOnly && <Text c="dimmed">{t('settings.roles.editIntro')}</Text>}
        </Stack>

        {fixed && (
          <Alert color="grape" variant="light" data-testid="role-fixed">
            {t('settings.roles.ownerFixed')}
          </Alert>
        )}
        {!fixed && readOnly && (
          <Alert color="gray" variant="light">
            {t('settings.roles.readOnly')}
          </Alert>
        )}
        {fieldError(mutation.error, 'name') === undefined && (
          <ErrorAlert
            error={mutation.error}
            messages={{ IDENTITY_ROLE_NAME_TAKEN: t('settings.roles.errors.nameTaken') }}
          />
        )}
        {update.isSuccess && !dirty && (
          <Alert color="green" variant="light" data-testid="role-saved">
            {t('settings.roles.saved')}
          </Alert>
        )}

        <TextInput
          label={t('settings.roles.name')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          readOnly={readOnly}
          required
          maxLength={100}
          maw={400}
          error={
            (checked && name.trim() === '' ? t('common.required') : undefined) ??
            (mutation.error && fieldError(mutation.error, 'name'))
          }
          data-testid="role-name"
        />

        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('settings.roles.matrix.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.roles.matrix.intro')}
          </Text>
          <RightsMatrix value={rights} onChange={setRights} readOnly={readOnly} />
        </Stack>

        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('settings.roles.fieldAccess.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.roles.fieldAccess.intro')}
          </Text>
          <FieldAccessEditor value={fieldAccess} onChange={setFieldAccess} readOnly={readOnly} />
        </Stack>

        {!readOnly && (
          <Group justify="space-between">
            <Group>
              <Button type="submit" loading={mutation.isPending} disabled={!dirty} data-testid="role-save">
                {isNew ? t('settings.roles.create') : t('common.save')}
              </Button>
              <Button component={Link} to="/settings/roles" variant="default">
                {t('common.cancel')}
              </Button>
            </Group>
            {!isNew && mayDelete && (
              <Button
                color="red"
                variant="subtle"
                onClick={() => setConfirmDelete(true)}
                data-testid="role-delete"
              >
                {t('settings.roles.delete')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      {role && <DeleteRoleModal role={role} opened={confirmDelete} onClose={() => setConfirmDelete(false)} />}
    </form>
  );
}

function DeleteRoleModal({ role, opened, onClose }: { role: Role; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const navigate = useNavigate();
  const remove = useDeleteRole();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('settings.roles.deleteTitle')} centered>
      <Stack gap="md">
        <Text size="sm">{t('settings.roles.deleteText', { name: roleLabel(role) })}</Text>
        <ErrorAlert
          error={remove.error}
          messages={{
            IDENTITY_ROLE_IN_USE: t('settings.roles.errors.inUse'),
            IDENTITY_OWNER_ROLE_FIXED: t('settings.roles.ownerFixed'),
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(role.id, { onSuccess: () => void navigate('/settings/roles', { replace: true }) })
            }
          >
            {t('settings.roles.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
