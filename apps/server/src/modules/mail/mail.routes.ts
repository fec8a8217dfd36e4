import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { DEFAULT_FROM } from './mail.jobs.ts';
import {
  mailSettingsSchema,
  messagesPageSchema,
  messagesQuerySchema,
  outboxPageSchema,
  putMailSettingsSchema,
  resumeResultSchema,
  statusSchema,
} from './mail.schema.ts';
import * as service from './mail.service.ts';

export type MailRoutesDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  /** With an SMTP_URL mail goes to the relay; without, to the built-in catcher. */
  smtpUrl?: string | undefined;
  defaultFrom?: service.DefaultSender | undefined;
};

const read = { access: { area: 'settings', action: 'read' } } as const;
const update = { access: { area: 'settings', action: 'update' } } as const;

/** Outbound mail: the catcher's outbox, the message log, the sending state, the sender identity. */
export function mailRoutes(deps: MailRoutesDeps) {
  const { database } = deps;
  const transport = deps.smtpUrl ? 'smtp' : 'catcher';
  const defaultFrom = deps.defaultFrom ?? DEFAULT_FROM;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/outbox',
      {
        config: read,
        schema: {
          tags: ['mail'],
          summary:
            'The built-in mail catcher (no SMTP_URL): each message as it would have been delivered, newest first',
          querystring: listQuerySchema,
          response: { 200: outboxPageSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(database.db, tenantId, (tx) => service.listOutbox(tx, request.query));
      },
    );

    r.get(
      '/api/v1/mail/messages',
      {
        config: read,
        schema: {
          tags: ['mail'],
          summary:
            'Every outgoing message with its state (queued, sending, sent, deferred, failed, held), newest first',
          querystring: messagesQuerySchema,
          response: { 200: messagesPageSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(database.db, tenantId, (tx) => service.listMessages(tx, request.query));
      },
    );

    r.get(
      '/api/v1/mail/status',
      {
        config: read,
        schema: {
          tags: ['mail'],
          summary: 'Where mail goes (catcher or SMTP), whether sending is paused and why, messages per state',
          response: { 200: statusSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(database.db, tenantId, (tx) => service.status(tx, transport));
      },
    );

    r.post(
      '/api/v1/mail/resume',
      {
        config: update,
        schema: {
          tags: ['mail'],
          summary:
            'End a pause (after our relay refused us with 5.7.x or 535): held messages are queued again',
          response: { 200: resumeResultSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) => service.resume(tx, principal, deps.queue));
      },
    );

    r.get(
      '/api/v1/settings/mail',
      {
        config: read,
        schema: {
          tags: ['mail'],
          summary: 'The tenant’s sender identity: From, Reply-To, DKIM domain and selector (never the key)',
          response: { 200: mailSettingsSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(database.db, tenantId, (tx) => service.getSettings(tx, defaultFrom));
      },
    );

    r.put(
      '/api/v1/settings/mail',
      {
        config: update,
        schema: {
          tags: ['mail'],
          summary:
            'Set the sender identity; dkim.privateKey (PEM) is write-only: omit it to keep the stored key, null removes it',
          body: putMailSettingsSchema,
          response: { 200: mailSettingsSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          service.putSettings(tx, principal, request.body, { secrets: deps.secrets, defaultFrom }),
        );
      },
    );
  };
}
