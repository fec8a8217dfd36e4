import { Box, Card, Center, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../app/LanguageSwitch.tsx';

/** The frame of the pages shown before signing in: the name, the language switch and one card. */
export function SignedOutCard({ children, testId }: { children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="space-between" p="md">
        <Text fw={700} size="xl">
          {t('app.name')}
        </Text>
        <LanguageSwitch />
      </Group>
      <Center px="md" pb="xl" pt={{ base: 'md', sm: 60 }}>
        <Card withBorder radius="md" padding="xl" w="100%" maw={420} data-testid={testId}>
          {children}
        </Card>
      </Center>
    </Box>
  );
}
