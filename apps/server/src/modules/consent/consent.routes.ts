import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { type Principal, principalOf } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import * as changes from './consent.changes.ts';
import { readGdpr, setConsentsByStaff } from './consent.contacts.ts';
import { importConsents } from './consent.imports.ts';
import { answersReport, listConsentLog, openChangesReport } from './consent.log.ts';
import * as questions from './consent.questions.ts';
import {
  answersReportQuerySchema,
  answersReportSchema,
  changeCountSchema,
  changeSchema,
  changesPageSchema,
  consentImportResultSchema,
  consentImportSchema,
  consentLogPageSchema,
  consentLogQuerySchema,
  consentSettingsSchema,
  createQuestionSchema,
  deletedQuestionSchema,
  gdprSchema,
  idParams,
  languageQuerySchema,
  listChangesQuerySchema,
  listQuestionsQuerySchema,
  openChangesReportSchema,
  processChangeSchema,
  putConsentSettingsSchema,
  putConsentsResultSchema,
  putConsentsSchema,
  questionSchema,
  questionsPageSchema,
  updateQuestionSchema,
  versionSchema,
} from './consent.schema.ts';
import { tenantLanguage } from './consent.service.ts';
// The consent and newsletter leaves and the marketing suppression join the filter language.
import './consent.selections.ts';

/** The route pattern, never the URL (as in contacts.routes.ts): what a read is logged for. */
function purposeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}') ?? ''}`;
}

export type ConsentRoutesDeps = {
  database: Database;
  queue: Pick<JobQueue, 'send'>;
};

/**
 * The consent core's API: questions (area privacy), the queue of changes, the log and reports
 * (privacy), the GDPR tab and staff answers on a contact (contacts), the digest settings
 * (privacy). Every transaction carries the principal's contact scope.
 */
export function consentRoutes(deps: ConsentRoutesDeps) {
  const inTenant = <T>(principal: Principal, work: (tx: TenantTx) => Promise<T>) =>
    withPrincipal(deps.database.db, principal, work);

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['consent'];

    // -- questions ---------------------------------------------------------------------------

    r.get(
      '/api/v1/consent-questions',
      {
        // The wording is the tenant's configuration, no personal data: every user may read it (the
        // form builder offers questions, staff record answers with them).
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Consent questions in the order they were created (current wording)',
          querystring: listQuestionsQuerySchema,
          response: { 200: questionsPageSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => questions.listQuestions(tx, request.query)),
    );

    r.post(
      '/api/v1/consent-questions',
      {
        config: { access: { area: 'privacy', action: 'create' } },
        schema: {
          tags,
          summary: 'Create a consent question (version 1 of its wording)',
          body: createQuestionSchema,
          response: { 201: questionSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await inTenant(principal, (tx) =>
          questions.createQuestion(tx, principal, request.body),
        );
        return reply.status(201).send(created);
      },
    );

    r.get(
      '/api/v1/consent-questions/:id',
      {
        // The wording is the tenant's configuration, no personal data: every user may read it (the
        // form builder offers questions, staff record answers with them).
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'One consent question with its current wording',
          params: idParams,
          response: { 200: questionSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => questions.getQuestion(tx, request.params.id)),
    );

    r.patch(
      '/api/v1/consent-questions/:id',
      {
        config: { access: { area: 'privacy', action: 'update' } },
        schema: {
          tags,
          summary: 'Change a question: new wording or options make a new version; archive or restore it',
          params: idParams,
          body: updateQuestionSchema,
          response: { 200: questionSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) =>
          questions.updateQuestion(tx, principal, request.params.id, request.body),
        );
      },
    );

    r.delete(
      '/api/v1/consent-questions/:id',
      {
        config: { access: { area: 'privacy', action: 'delete' } },
        schema: {
          tags,
          summary:
            'Delete a question nobody answered; one with answers is archived (kept, no longer offered)',
          params: idParams,
          response: { 200: deletedQuestionSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) => questions.deleteQuestion(tx, principal, request.params.id));
      },
    );

    r.get(
      '/api/v1/consent-questions/:id/versions',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: "Every version of a question's wording, newest first",
          params: idParams,
          response: { 200: z.object({ items: z.array(versionSchema) }) },
        },
      },
      async (request) =>
        inTenant(principalOf(request), (tx) => questions.listVersions(tx, request.params.id)),
    );

    // -- the queue of changes ----------------------------------------------------------------

    r.get(
      '/api/v1/consent-changes',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'Changes contacts made to their consents and subscriptions: open (oldest first) or done',
          querystring: listChangesQuerySchema,
          response: { 200: changesPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, async (tx) => {
          const language = request.query.lang ?? (await tenantLanguage(tx));
          return changes.listChanges(tx, principal, request.query, language);
        });
      },
    );

    r.get(
      '/api/v1/consent-changes/count',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'How many changes are open and since when (the counter of the notification area)',
          response: { 200: changeCountSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => changes.countOpenChanges(tx)),
    );

    r.get(
      '/api/v1/consent-changes/:id',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'One change',
          params: idParams,
          querystring: languageQuerySchema,
          response: { 200: changeSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, async (tx) =>
          changes.getChange(
            tx,
            principal,
            request.params.id,
            request.query.lang ?? (await tenantLanguage(tx)),
          ),
        );
      },
    );

    r.post(
      '/api/v1/consent-changes/:id/process',
      {
        config: { access: { area: 'privacy', action: 'update' } },
        schema: {
          tags,
          summary: 'Record what was done about a change (once; 409 when it is processed already)',
          params: idParams,
          body: processChangeSchema,
          response: { 200: changeSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, async (tx) =>
          changes.processChange(
            tx,
            principal,
            request.params.id,
            request.body.actionTaken,
            await tenantLanguage(tx),
          ),
        );
      },
    );

    // -- log and reports ---------------------------------------------------------------------

    r.get(
      '/api/v1/consent-log',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'Every answer, newsletter event and reaction to a change, newest first, with who and when',
          querystring: consentLogQuerySchema,
          response: { 200: consentLogPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, async (tx) =>
          listConsentLog(
            tx,
            principal,
            request.query,
            request.query.lang ?? (await tenantLanguage(tx)),
            purposeOf(request),
          ),
        );
      },
    );

    r.get(
      '/api/v1/consent-reports/answers',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'Answers given per question and option per day, week or month (UTC)',
          querystring: answersReportQuerySchema,
          response: { 200: answersReportSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => answersReport(tx, request.query)),
    );

    r.get(
      '/api/v1/consent-reports/open-changes',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'Open changes by age, and how fast changes were processed in the last 30 days',
          response: { 200: openChangesReportSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => openChangesReport(tx)),
    );

    // -- a contact's consents ----------------------------------------------------------------

    r.get(
      '/api/v1/contacts/:id/gdpr',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['contacts', ...tags],
          summary:
            "A contact's GDPR tab: every question with the current answer, and the newsletter subscriptions",
          params: idParams,
          querystring: languageQuerySchema,
          response: { 200: gdprSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) =>
          readGdpr(tx, principal, request.params.id, request.query.lang, purposeOf(request)),
        );
      },
    );

    r.put(
      '/api/v1/contacts/:id/consents',
      {
        config: { access: { area: 'contacts', action: 'update' } },
        schema: {
          tags: ['contacts', ...tags],
          summary: 'Record answers a contact gave staff (source staff); every answer is kept as evidence',
          params: idParams,
          body: putConsentsSchema,
          response: { 200: putConsentsResultSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) =>
          setConsentsByStaff(tx, principal, deps.queue, request.params.id, request.body, purposeOf(request)),
        );
      },
    );

    r.post(
      '/api/v1/consent-imports',
      {
        config: { access: { area: 'privacy', action: 'create' } },
        schema: {
          tags,
          summary:
            'Import answers collected elsewhere: a legal basis, where and how they were collected, and per row when the person answered (all or nothing)',
          body: consentImportSchema,
          response: { 200: consentImportResultSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) => importConsents(tx, principal, deps.queue, request.body));
      },
    );

    // -- settings ----------------------------------------------------------------------------

    r.get(
      '/api/v1/settings/consent',
      {
        config: { access: { area: 'privacy', action: 'read' } },
        schema: {
          tags,
          summary: 'The daily digest of open changes: on or off, and who gets it',
          response: { 200: consentSettingsSchema },
        },
      },
      async (request) => inTenant(principalOf(request), (tx) => changes.getSettings(tx)),
    );

    r.put(
      '/api/v1/settings/consent',
      {
        config: { access: { area: 'privacy', action: 'update' } },
        schema: {
          tags,
          summary: 'Switch the daily digest on or off and choose its recipients',
          body: putConsentSettingsSchema,
          response: { 200: consentSettingsSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) => changes.putSettings(tx, principal, request.body));
      },
    );
  };
}
