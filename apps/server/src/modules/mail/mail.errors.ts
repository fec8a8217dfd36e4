import { defineErrors } from '../../kernel/errors.ts';

export const mailError = defineErrors({
  /** queueMail() was handed a message that breaks the contract (a bug of the calling module). */
  MAIL_INVALID_MESSAGE: 'bad_request',
  /** The DKIM private key is not an RSA key of at least 1024 bits in PEM. */
  MAIL_DKIM_KEY_INVALID: 'bad_request',
  /** A DKIM domain and selector without a key, stored or given. */
  MAIL_DKIM_KEY_MISSING: 'bad_request',
});

/** Our own reasons (stored in mail_message.last_error / mail_sender.paused_reason). */
export const MAIL_FAILURES = {
  /** The stored DKIM key does not open (KONTOR_SECRET changed) or is no longer usable. */
  dkimKeyUnusable: 'MAIL_DKIM_KEY_UNUSABLE: the stored DKIM key cannot be used; store it again',
  /** Deferred too often: the relay kept answering 4xx (or could not be reached). */
  gaveUp: 'MAIL_GAVE_UP',
} as const;
