import { Card, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useCurrentUser } from '../../auth/index.ts';
import { settingsSections } from '../sections.ts';

/** The settings landing page: a card per settings page the user may open, and their own profile. */
export function SettingsOverview() {
  const { t } = useTranslation();
  usePageTitle(t('modules.settings'));
  const { rights } = useCurrentUser();
  const visible = settingsSections.filter((section) => rights.includes(section.right));
  const cards = [
    ...visible.map((section) => ({
      key: section.id,
      to: section.path,
      title: t(`navSections.${section.id}`),
      description: t(`settings.overview.${section.id}`),
    })),
    {
      key: 'profile',
      to: '/profile',
      title: t('profile.title'),
      description: t('settings.overview.profile'),
    },
  ];

  return (
    <Stack gap="lg" data-testid="settings-overview">
      <Stack gap={4}>
        <Title order={1}>{t('modules.settings')}</Title>
        <Text c="dimmed">{t('settings.overview.intro')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {cards.map((card) => (
          <UnstyledButton
            key={card.key}
            component={Link}
            to={card.to}
            data-testid={`settings-card-${card.key}`}
          >
            <Card withBorder radius="md" padding="lg" h="100%">
              <Title order={2} size="h4" mb={6}>
                {card.title}
              </Title>
              <Text size="sm" c="dimmed">
                {card.description}
              </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
