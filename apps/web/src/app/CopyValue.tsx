import { Button, CopyButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A copy-to-clipboard button; the value stays selectable for browsers without clipboard access. */
export function CopyValue({ value, label }: { value: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button
          variant={copied ? 'light' : 'default'}
          color={copied ? 'green' : undefined}
          size="xs"
          onClick={copy}
        >
          {copied ? t('common.copied') : (label ?? t('common.copy'))}
        </Button>
      )}
    </CopyButton>
  );
}
