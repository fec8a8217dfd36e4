import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';

/**
 * Moves the focus (and so the view) to the first field marked invalid, once the messages are
 * rendered: after a failed save the user may be at the bottom of a long form.
 */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  window.setTimeout(() => {
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])');
    invalid?.focus();
    if (!invalid) form?.scrollIntoView({ block: 'start' });
  }, 50);
}

/**
 * Above a form: after a 400 naming fields, a pointer to the messages on the fields (and those
 * about fields the form does not show, listed); after any other failure, what went wrong.
 */
export function FormProblem({
  error,
  elsewhere,
  messages,
}: {
  error: unknown;
  elsewhere: readonly string[];
  messages?: Partial<Record<string, string>>;
}) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError && error.errors.length > 0))
    return <ErrorAlert error={error} messages={messages} />;
  return (
    <Alert color="red" variant="light" title={t('errors.title')} role="alert" data-testid="form-invalid">
      <Text size="sm">{t('contacts.form.fixErrors')}</Text>
      {elsewhere.length > 0 && (
        <List size="sm" mt="xs">
          {elsewhere.map((message) => (
            <List.Item key={message}>{message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
