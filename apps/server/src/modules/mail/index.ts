/** Outbound mail: the per-message queue and send log, SMTP or the built-in catcher, sender identity and DKIM. */

export { type MailJobDeps, mailJobs, pruneMailJob, sendMailJob } from './mail.jobs.ts';
export { type MailRoutesDeps, mailRoutes } from './mail.routes.ts';
export { type DefaultSender, type OutgoingMail, queueMail } from './mail.service.ts';
export type { MailKind, MailStatus, MailTables } from './mail.tables.ts';
export { closeSmtpRelays } from './mail.transport.ts';
