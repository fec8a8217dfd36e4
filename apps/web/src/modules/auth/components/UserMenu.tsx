import { Affix, Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useCurrentUser } from '../hooks/useCurrentUser.ts';
import { useLogout } from '../hooks/useLogout.ts';

/** "Erika Mustermann" → "EM"; without a name, the first letter of the email address. */
function initialsOf(displayName: string | null, email: string): string {
  const words = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return email.slice(0, 1).toUpperCase();
  return words
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}

/** The header's account menu: who is signed in, their profile, sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const logout = useLogout();
  const name = me.displayName?.trim() || me.email;

  return (
    <>
      <Menu position="bottom-end" width={260} withinPortal>
        <Menu.Target>
          <UnstyledButton data-testid="user-menu" aria-label={t('auth.userMenu.label', { name })}>
            <Avatar color="blue" radius="xl" size={34}>
              {initialsOf(me.displayName, me.email)}
            </Avatar>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate data-testid="user-menu-name">
              {name}
            </Text>
            {name !== me.email && (
              <Text size="xs" c="dimmed" truncate>
                {me.email}
              </Text>
            )}
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item component={Link} to="/profile" data-testid="user-menu-profile">
            {t('auth.userMenu.profile')}
          </Menu.Item>
          <Menu.Item data-testid="logout" onClick={() => logout.mutate()} disabled={logout.isPending}>
            {t('auth.userMenu.logout')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {logout.isError && (
        <Affix position={{ top: 72, right: 16 }} maw={360}>
          <ErrorAlert error={logout.error} onClose={() => logout.reset()} />
        </Affix>
      )}
    </>
  );
}
