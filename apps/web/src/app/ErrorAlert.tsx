import { Alert } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { parseRight } from '../api/rights.ts';

export type ErrorDescription = { title: string; message: string };

/**
 * Says in the user's language what went wrong. `messages` maps problem codes the caller expects
 * (`IDENTITY_LAST_OWNER`) to their own wording; anything else gets a generic one, with the
 * server's detail where it helps.
 */
export function describeError(
  t: TFunction,
  error: unknown,
  messages: Partial<Record<string, string>> = {},
): ErrorDescription {
  const title = t('errors.title');
  if (!(error instanceof ApiError)) {
    return { title, message: t(error instanceof TypeError ? 'errors.network' : 'errors.unexpected') };
  }
  const own = error.code === undefined ? undefined : messages[error.code];
  if (own !== undefined) return { title, message: own };
  if (error.status === 403 && error.code !== 'CSRF_TOKEN_INVALID') {
    const needed = /\b([a-z_]+:[a-z_]+)\b/.exec(error.detail ?? '')?.[1];
    const right = needed === undefined ? undefined : parseRight(needed);
    return {
      title: t('errors.forbiddenTitle'),
      message: right
        ? t('errors.forbidden', {
            right: `${t(`rights.areas.${right.area}`)}: ${t(`rights.actions.${right.action}`)}`,
          })
        : (error.detail ?? t('errors.forbiddenGeneric')),
    };
  }
  if (error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return { title, message: t('errors.rateLimited', { count: minutes }) };
  }
  if (error.status >= 500) return { title, message: t('errors.server') };
  if (error.status === 404) return { title, message: t('errors.notFound') };
  return { title, message: error.detail ?? error.title };
}

type ErrorAlertProps = {
  error: unknown;
  messages?: Partial<Record<string, string>>;
  onClose?: () => void;
};

/** An inline alert for a failed request; renders nothing when there is no error. */
export function ErrorAlert({ error, messages, onClose }: ErrorAlertProps) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const { title, message } = describeError(t, error, messages);
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      role="alert"
      data-testid="error-alert"
      withCloseButton={onClose !== undefined}
      onClose={onClose}
      closeButtonLabel={t('common.close')}
    >
      {message}
    </Alert>
  );
}

/** The server's message for one input of a 400 answer, if it named that input. */
export function fieldError(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === path)?.message;
}
