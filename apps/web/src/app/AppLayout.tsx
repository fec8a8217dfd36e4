import { AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useMatch } from 'react-router-dom';
import { type ModuleEntry, modules } from '../modules/registry.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function AppLayout() {
  const { t } = useTranslation();
  const [navbarOpened, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);

  return (
    <AppShell
      data-testid="app-shell"
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navbarOpened}
              onClick={toggleNavbar}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('app.toggleNavigation')}
            />
            <Text component={Link} to="/" fw={700} size="xl" c="inherit" td="none">
              {t('app.name')}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.navigation')}>
        <AppShell.Section grow component={ScrollArea}>
          {modules.map((entry) => (
            <ModuleNavLink key={entry.id} entry={entry} onNavigate={closeNavbar} />
          ))}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function ModuleNavLink({ entry, onNavigate }: { entry: ModuleEntry; onNavigate: () => void }) {
  const { t } = useTranslation();
  const active = useMatch({ path: entry.path, end: entry.path === '/' }) !== null;

  return (
    <NavLink
      component={Link}
      to={entry.path}
      label={t(`modules.${entry.id}`)}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={onNavigate}
      data-testid={`nav-${entry.id}`}
    />
  );
}
