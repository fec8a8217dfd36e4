-- Mail (modules/mail): a fourth kind of message, `newsletter` — a mail of a newsletter (the
-- welcome mail now, campaigns later). queueMail() requires such a message to carry List-Id,
-- one List-Unsubscribe (https) and List-Unsubscribe-Post, and refuses Auto-Submitted on it; the
-- signature covers every extra header as before.

ALTER TABLE mail_message DROP CONSTRAINT mail_message_kind_check;
ALTER TABLE mail_message ADD CONSTRAINT mail_message_kind_check
  CHECK (kind IN ('auto-reply', 'notification', 'transactional', 'newsletter'));
