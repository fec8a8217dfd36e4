import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { formsError } from './forms.errors.ts';
import { type FormGuard, SubmitRateLimit } from './forms.guard.ts';
import { FormIntake } from './forms.intake.ts';
import {
  altchaChallengeSchema,
  langQuerySchema,
  publicDefinitionSchema,
  submitAnswerSchema,
} from './forms.schema.ts';
import {
  INTAKE_BATCH_SIZE,
  loadPublishedForm,
  loadPublishedFormCached,
  pickLanguage,
  processSubmissionJobRef,
  publicChallenge,
  publicDefinition,
  submitForm,
  successMessage,
} from './forms.submit.ts';

/**
 * The public JSON and POST endpoints of forms (no sign-in, no cookies set or read; CORS `*`
 * without credentials, so any website may embed a form):
 * - `GET /public/forms/{id}/definition?lang=` — what to render, with a fresh `token` and ALTCHA
 *   `challenge`;
 * - `GET /public/forms/{id}/challenge` — another challenge;
 * - `POST /public/forms/{id}` — JSON or `application/x-www-form-urlencoded` (at most 32 KiB):
 *   the field names plus `_token`, `_hp` (must be empty), `altcha` (the solved challenge,
 *   base64 JSON) and `_lang`; consent answers `consent.<questionId>=<optionKey>` and newsletters
 *   `newsletter.<newsletterId>=on` (JSON: `consent: { [id]: key }`, `newsletters: [id]`), with the
 *   question versions shown (`_cv.<id>=<n>`, JSON `consentVersions: { [id]: n }`). JSON answers `{ ok, message, redirectUrl }`; a form post 303 to the
 *   redirect URL or the thank-you page. Spam gets the same answer and only counts. Invalid
 *   values: 400 problem+json with `errors[].path` = field name. Past the per-address limit: 429.
 */

const BODY_LIMIT = 32 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type FormsPublicApiDeps = {
  database: Database;
  queue: JobQueue;
  guard: FormGuard;
  baseUrl: string;
};

const formParams = z.object({ id: z.string().max(100) });

function formIdOf(id: string): string {
  if (!UUID.test(id)) throw formsError('FORMS_NOT_FOUND', 'There is no such form, or it is not published.');
  return id.toLowerCase();
}

function cors(reply: FastifyReply): void {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cache-Control', 'no-store');
}

export function formsPublicApiRoutes(deps: FormsPublicApiDeps) {
  const limiter = new SubmitRateLimit(deps.guard.settings.submitsPerMinute);
  return async (app: FastifyInstance) => {
    const intake = new FormIntake({
      db: deps.database.db,
      queue: deps.queue,
      job: processSubmissionJobRef,
      baseUrl: deps.baseUrl,
      perJob: INTAKE_BATCH_SIZE,
      onJobError: (error) =>
        app.log.error(
          { err: error },
          'a form submission processing job was not sent; the intake sweep sends it',
        ),
    });
    // Shutting down: the answered posts' processing jobs are sent before the database closes.
    app.addHook('onClose', () => intake.settled());
    const submitDeps = {
      db: deps.database.db,
      queue: deps.queue,
      guard: deps.guard,
      baseUrl: deps.baseUrl,
      intake,
    };
    // Encapsulated here: only these routes read urlencoded bodies.
    await app.register(formbody, { bodyLimit: BODY_LIMIT });
    app.addHook('onSend', async (_request, reply, payload) => {
      cors(reply);
      reply.removeHeader('set-cookie');
      return payload;
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['public forms'];

    for (const url of ['/public/forms/:id', '/public/forms/:id/definition', '/public/forms/:id/challenge']) {
      r.options(url, { schema: { hide: true } }, async (_request, reply) => {
        reply.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        reply.header('Access-Control-Allow-Headers', 'Content-Type, Accept');
        reply.header('Access-Control-Max-Age', '600');
        return reply.status(204).send();
      });
    }

    r.get(
      '/public/forms/:id/definition',
      {
        schema: {
          tags,
          summary: 'A published form as a page or the embed renders it, with a fresh token and challenge',
          params: formParams,
          querystring: langQuerySchema,
          response: { 200: publicDefinitionSchema },
        },
      },
      async (request) => {
        const form = await loadPublishedForm(deps.database.db, formIdOf(request.params.id));
        return publicDefinition(deps.database.db, form, request.query.lang, deps.guard);
      },
    );

    r.get(
      '/public/forms/:id/challenge',
      {
        schema: {
          tags,
          summary: 'A fresh ALTCHA challenge for the form (proof of work, solved in the browser)',
          params: formParams,
          response: { 200: altchaChallengeSchema },
        },
      },
      async (request) => {
        const form = await loadPublishedForm(deps.database.db, formIdOf(request.params.id));
        return publicChallenge(deps.guard, form.id);
      },
    );

    r.post(
      '/public/forms/:id',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary:
            'Submit a form: JSON or urlencoded field values plus _token, _hp, altcha, _lang, consent answers and newsletters. JSON: { ok, message, redirectUrl }; form post: 303',
          params: formParams,
          querystring: langQuerySchema,
          body: z
            .record(z.string(), z.unknown())
            .describe(
              'Field values by name, and _token, _hp, altcha, _lang. Consent: `consent.<questionId>`=<optionKey> and `newsletter.<newsletterId>`=on (urlencoded), or JSON `consent: { [questionId]: optionKey }`, `newsletters: [newsletterId]`; the versions shown as `_cv.<questionId>` / JSON `consentVersions: { [questionId]: version }` (an answer to a version no longer current: 400 at consent.<id>.version)',
            ),
          response: {
            200: submitAnswerSchema,
            303: z.null().describe('To the redirect URL or the thank-you page'),
          },
        },
      },
      async (request, reply) => {
        const formId = formIdOf(request.params.id);
        // Counted in memory per address and form, before anything else; never stored or logged.
        const wait = limiter.take(request.ip, formId);
        if (wait > 0) {
          throw formsError(
            'FORMS_RATE_LIMITED',
            'Too many submissions from your address; wait as long as Retry-After says.',
            undefined,
            { headers: { 'Retry-After': String(wait) } },
          );
        }
        const form = await loadPublishedFormCached(deps.database.db, formId);
        const body = request.body;
        const language = pickLanguage(form.definition, body._lang ?? request.query.lang);
        const formPost = (request.headers['content-type'] ?? '').startsWith(
          'application/x-www-form-urlencoded',
        );
        await submitForm(submitDeps, form, { body, formPost, language });
        // Stored or spam: the same answer.
        const redirectUrl = form.definition.redirectUrl;
        if (formPost) {
          const location = redirectUrl ?? `/public/forms/${form.id}/thanks?lang=${language}`;
          return reply.status(303).header('Location', location).send(null);
        }
        return { ok: true as const, message: successMessage(form, language), redirectUrl };
      },
    );
  };
}
