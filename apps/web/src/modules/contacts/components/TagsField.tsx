import { TagsInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTags } from '../hooks/useTags.ts';

/** The bounds the server accepts for tags. */
export const tagLimits = { maxTags: 50, maxLength: 100 } as const;

/** Tags of a record: existing ones are suggested, a new name creates a tag when saved. */
export function TagsField({
  value,
  onChange,
  label,
  description,
  placeholder,
  error,
  testId,
}: {
  value: string[];
  onChange: (tags: string[]) => void;
  label?: string;
  description?: string;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  const tags = useTags();
  return (
    <TagsInput
      label={label ?? t('contacts.fields.tags')}
      description={description}
      placeholder={placeholder ?? t('contacts.form.tagsPlaceholder')}
      data={(tags.data ?? []).map((tag) => tag.name)}
      value={value}
      onChange={(next) => {
        // One tag per name, as the server counts them ("VIP" and "vip" are one tag).
        const seen = new Set<string>();
        onChange(
          next
            .map((tag) => tag.trim())
            .filter((tag) => {
              const key = tag.toLowerCase();
              if (tag === '' || seen.has(key)) return false;
              seen.add(key);
              return true;
            }),
        );
      }}
      maxTags={tagLimits.maxTags}
      maxLength={tagLimits.maxLength}
      splitChars={[',']}
      clearable
      error={error}
      errorProps={{ 'data-testid': 'input-error-tags' }}
      data-testid={testId}
    />
  );
}
