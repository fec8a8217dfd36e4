import { Alert, Anchor, Code, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CopyValue } from '../../../app/CopyValue.tsx';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import type { FormStatus } from '../api/forms.ts';
import { useEmbedCode } from '../hooks/useForms.ts';

/** The ways to put a form on a website: script tag, plain HTML, hosted page and WordPress, each to copy. */
export function EmbedDialog({
  formId,
  status,
  onClose,
}: {
  formId: string;
  status: FormStatus;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const embed = useEmbedCode(formId);
  return (
    <Modal opened onClose={onClose} size="xl" title={t('forms.embed.title')}>
      <Stack gap="md" data-testid="embed-dialog">
        {status !== 'published' && (
          <Alert color="yellow" variant="light" data-testid="embed-not-published">
            {t('forms.embed.notPublished')}
          </Alert>
        )}
        {embed.isPending ? (
          <Loader />
        ) : embed.isError ? (
          <ErrorAlert error={embed.error} />
        ) : (
          <>
            <Snippet
              id="hosted"
              title={t('forms.embed.hosted')}
              hint={t('forms.embed.hostedHint')}
              value={embed.data.hostedUrl}
              link
            />
            <Snippet
              id="script"
              title={t('forms.embed.script')}
              hint={t('forms.embed.scriptHint')}
              value={embed.data.scriptSnippet}
            />
            <Snippet
              id="html"
              title={t('forms.embed.html')}
              hint={t('forms.embed.htmlHint')}
              value={embed.data.htmlSnippet}
            />
            <Snippet
              id="wordpress"
              title={t('forms.embed.wordpress')}
              hint={t('forms.embed.wordpressHint')}
              value={embed.data.wordpressSnippet}
            />
          </>
        )}
      </Stack>
    </Modal>
  );
}

function Snippet({
  id,
  title,
  hint,
  value,
  link,
}: {
  id: string;
  title: string;
  hint: string;
  value: string;
  link?: boolean;
}) {
  return (
    <Stack gap={4} data-testid={`embed-${id}`}>
      <Group justify="space-between">
        <Text fw={500}>{title}</Text>
        <CopyValue value={value} />
      </Group>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
      {link ? (
        <Anchor href={value} target="_blank" rel="noopener" size="sm" data-testid={`embed-${id}-value`}>
          {value}
        </Anchor>
      ) : (
        <Code
          block
          data-testid={`embed-${id}-value`}
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        >
          {value}
        </Code>
      )}
    </Stack>
  );
}
