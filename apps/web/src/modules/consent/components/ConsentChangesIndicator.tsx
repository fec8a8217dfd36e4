import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useHasRight } from '../../auth/index.ts';
import { useOpenChangeCount } from '../hooks/useChanges.ts';

/**
 * The app header's notification area: how many consent changes by contacts wait for staff, a
 * link to their queue. Shown only to users who may read it (`privacy:read`).
 */
export function ConsentChangesIndicator() {
  const mayRead = useHasRight('privacy:read');
  return mayRead ? <Counter /> : null;
}

function Counter() {
  const { t } = useTranslation();
  const count = useOpenChangeCount(true);
  const open = count.data?.open ?? 0;
  const label =
    count.data === undefined
      ? t('consent.changes.counterUnknown')
      : t('consent.changes.counter', { count: open });
  return (
    <Tooltip label={label} withArrow>
      <Indicator
        label={open > 99 ? '99+' : open}
        disabled={open === 0}
        color="red"
        size={18}
        offset={4}
        data-testid="consent-changes-counter"
        data-count={count.data === undefined ? '' : String(open)}
      >
        <ActionIcon
          component={Link}
          to="/privacy/consent-changes"
          variant="default"
          size="lg"
          aria-label={label}
          data-testid="consent-changes-link"
        >
          <svg
            width="18"
            height="18"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
            aria-hidden="true"
          >
            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
