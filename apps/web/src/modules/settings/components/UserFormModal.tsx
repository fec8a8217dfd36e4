import { Button, Checkbox, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import type { Role } from '../api/roles.ts';
import type { User } from '../api/users.ts';
import { useRoleLabel } from '../hooks/useRoles.ts';
import { useCreateUser, useUpdateUser } from '../hooks/useUsers.ts';
import { ContactScopeInput } from './ContactScopeInput.tsx';

const minPasswordLength = 12;

/** The server's message about the contact scope or one of its names (`contactScope.3`). */
function scopeError(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === 'contactScope' || e.path.startsWith('contactScope.'))?.message;
}

function sameScope(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((tag, index) => tag === b[index]);
}

/** Adds a user (no `user`) or changes a user's name and roles. */
export function UserFormModal({
  user,
  roles,
  onClose,
}: {
  user?: User | undefined;
  roles: Role[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const create = useCreateUser();
  const update = useUpdateUser();
  const isNew = user === undefined;
  const mutation = isNew ? create : update;

  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [roleIds, setRoleIds] = useState<string[]>(() => user?.roles.map((role) => role.id) ?? []);
  const [allContacts, setAllContacts] = useState(() => (user?.contactScope ?? null) === null);
  const [scopeTags, setScopeTags] = useState<string[]>(() => user?.contactScope ?? []);
  const [checked, setChecked] = useState(false);

  const emailInvalid = isNew && !/^[^\s@]+@[^\s@]+$/.test(email.trim());
  const passwordInvalid = isNew && password !== '' && password.length < minPasswordLength;
  const scopeInvalid = !allContacts && scopeTags.length === 0;
  const contactScope = allContacts ? null : scopeTags;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (emailInvalid || passwordInvalid || scopeInvalid) return;
    const name = displayName.trim();
    if (isNew) {
      create.mutate(
        {
          email: email.trim(),
          displayName: name || undefined,
          password: password || undefined,
          roleIds,
          contactScope: contactScope ?? undefined,
        },
        { onSuccess: onClose },
      );
    } else {
      // The scope is sent only when it changed, so the audit log does not record a non-change.
      const scopeChange = sameScope(contactScope, user.contactScope) ? {} : { contactScope };
      update.mutate(
        { id: user.id, changes: { displayName: name || null, roleIds, ...scopeChange } },
        { onSuccess: onClose },
      );
    }
  };

  const inline =
    ['email', 'displayName', 'password'].some((path) => fieldError(mutation.error, path)) ||
    scopeError(mutation.error) !== undefined;

  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? t('settings.users.newTitle') : t('settings.users.editTitle', { email: user.email })}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md" data-testid="user-form">
          {!inline && (
            <ErrorAlert
              error={mutation.error}
              messages={{
                IDENTITY_LAST_OWNER: t('settings.users.errors.lastOwner'),
                IDENTITY_EMAIL_TAKEN: t('settings.users.errors.emailTaken'),
                IDENTITY_UNKNOWN_ROLES: t('settings.users.errors.unknownRoles'),
                IDENTITY_WEAK_PASSWORD: t('profile.password.weak', { min: minPasswordLength }),
              }}
            />
          )}
          {isNew && (
            <TextInput
              label={t('settings.users.email')}
              type="email"
              required
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={
                (checked && emailInvalid ? t('settings.users.emailInvalid') : undefined) ??
                fieldError(mutation.error, 'email')
              }
              data-testid="user-email"
            />
          )}
          <TextInput
            label={t('settings.users.name')}
            value={displayName}
            maxLength={200}
            onChange={(event) => setDisplayName(event.currentTarget.value)}
            error={fieldError(mutation.error, 'displayName')}
            data-testid="user-display-name"
          />
          {isNew && (
            <PasswordInput
              label={t('settings.users.password')}
              description={t('settings.users.passwordHint', { min: minPasswordLength })}
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={
                (checked && passwordInvalid
                  ? t('profile.password.tooShort', { min: minPasswordLength })
                  : undefined) ?? fieldError(mutation.error, 'password')
              }
            />
          )}
          <Checkbox.Group label={t('settings.users.roles')} value={roleIds} onChange={setRoleIds}>
            <Stack gap={6} mt="xs">
              {roles.map((role) => (
                <Checkbox key={role.id} value={role.id} label={roleLabel(role)} />
              ))}
              {roles.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('settings.users.noRolesToPick')}
                </Text>
              )}
            </Stack>
          </Checkbox.Group>
          <ContactScopeInput
            allContacts={allContacts}
            onAllContactsChange={setAllContacts}
            tags={scopeTags}
            onTagsChange={setScopeTags}
            error={
              (checked && scopeInvalid ? t('settings.users.scope.empty') : undefined) ??
              scopeError(mutation.error)
            }
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="user-save">
              {isNew ? t('settings.users.create') : t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
