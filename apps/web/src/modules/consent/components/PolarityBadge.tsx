import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { useConsentLabels } from './labels.ts';

const colors: Record<string, string> = { grant: 'green', prohibition: 'red', neutral: 'gray' };

/** An answer option, coloured by what it means: a grant, a prohibition, or neither. */
export function PolarityBadge({ polarity, children }: { polarity: string; children: ReactNode }) {
  const labels = useConsentLabels();
  return (
    <Badge
      variant="light"
      color={colors[polarity] ?? 'gray'}
      tt="none"
      title={labels.polarity(polarity)}
      data-polarity={polarity}
    >
      {children}
    </Badge>
  );
}
