import type { MessageStatus } from '../api/mail.ts';

export const statusColors: Record<MessageStatus, string> = {
  queued: 'blue',
  sending: 'cyan',
  sent: 'green',
  deferred: 'yellow',
  failed: 'red',
  held: 'orange',
};
