import { Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useHasRight } from '../../auth/index.ts';
import { useTagNames } from '../hooks/useTagNames.ts';

/** The bounds the server accepts for a contact scope. */
export const contactScopeLimits = { maxTags: 50, maxLength: 100 } as const;

/**
 * Which contacts a user may see: every contact ("All contacts" on), or only those carrying one of
 * the named tags. Tag names are suggested when the admin may read contacts; any name may be typed.
 */
export function ContactScopeInput({
  allContacts,
  onAllContactsChange,
  tags,
  onTagsChange,
  error,
}: {
  allContacts: boolean;
  onAllContactsChange: (allContacts: boolean) => void;
  tags: string[];
  onTagsChange: (tags: string[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const suggestions = useTagNames(useHasRight('contacts:read'));

  return (
    <Stack gap="xs" data-testid="user-contact-scope">
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          {t('settings.users.scope.label')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('settings.users.scope.hint')}
        </Text>
      </Stack>
      <Switch
        label={t('settings.users.scope.allContacts')}
        checked={allContacts}
        onChange={(event) => onAllContactsChange(event.currentTarget.checked)}
        data-testid="user-scope-all"
      />
      {!allContacts && (
        <TagsInput
          aria-label={t('settings.users.scope.tags')}
          placeholder={t('settings.users.scope.placeholder')}
          description={t('settings.users.scope.tagsHint', { max: contactScopeLimits.maxTags })}
          data={suggestions.data ?? []}
          value={tags}
          onChange={(next) => onTagsChange([...new Set(next.map((tag) => tag.trim()))].filter(Boolean))}
          maxTags={contactScopeLimits.maxTags}
          maxLength={contactScopeLimits.maxLength}
          clearable
          error={error}
          data-testid="user-scope-tags"
        />
      )}
    </Stack>
  );
}
