import { AppShell, Burger, Group, Loader, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useMatch } from 'react-router-dom';
import { UserMenu, useCurrentUser } from '../modules/auth/index.ts';
import { ConsentChangesIndicator } from '../modules/consent/index.ts';
import { type ModuleEntry, type ModuleSection, modules } from '../modules/registry.ts';
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
          <Group gap="sm" wrap="nowrap">
            <ConsentChangesIndicator />
            <LanguageSwitch />
            <UserMenu />
          </Group>
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
        {/* Pages few users open are loaded on first visit (React.lazy in their module's index). */}
        <Suspense fallback={<Loader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function ModuleNavLink({ entry, onNavigate }: { entry: ModuleEntry; onNavigate: () => void }) {
  const { t } = useTranslation();
  const { rights } = useCurrentUser();
  const active = useMatch({ path: entry.path, end: entry.path === '/' }) !== null;
  const exact = useMatch({ path: entry.path, end: true }) !== null;
  const sections = (entry.sections ?? []).filter(
    (section) => !section.right || rights.includes(section.right),
  );
  // With its sections listed below it, the module's own link is current on its overview page only.
  const current = sections.length > 0 ? exact : active;

  return (
    <>
      <NavLink
        component={Link}
        to={entry.path}
        label={t(`modules.${entry.id}`)}
        active={current}
        aria-current={current ? 'page' : undefined}
        onClick={onNavigate}
        data-testid={`nav-${entry.id}`}
      />
      {/* A module's sections show while the module is open, indented under it. */}
      {active &&
        sections.map((section) => (
          <SectionNavLink key={section.id} section={section} onNavigate={onNavigate} />
        ))}
    </>
  );
}

function SectionNavLink({ section, onNavigate }: { section: ModuleSection; onNavigate: () => void }) {
  const { t } = useTranslation();
  const active = useMatch({ path: section.path, end: false }) !== null;

  return (
    <NavLink
      component={Link}
      to={section.path}
      label={t(`navSections.${section.id}`)}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={onNavigate}
      data-testid={`nav-${section.id}`}
      pl="xl"
    />
  );
}
