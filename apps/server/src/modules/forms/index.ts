/** Forms: the form builder, public submissions into contacts, spam defence, automatic replies. */
import type { FastifyInstance } from 'fastify';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { createFormGuard, DEFAULT_GUARD_SETTINGS, type GuardSettings } from './forms.guard.ts';
import { formsPublicApiRoutes } from './forms.public.routes.ts';
import { formsAdminRoutes } from './forms.routes.ts';
import { loadPublishedForm, publicDefinition } from './forms.submit.ts';
import { type DefinitionSource, formsPublicRoutes } from './public/index.ts';
import { publicDefinitionSchema as pagePublicDefinitionSchema } from './public/public.definition.ts';

export { formsError } from './forms.errors.ts';
export {
  createFormGuard,
  DEFAULT_GUARD_SETTINGS,
  type FormGuard,
  type GuardSettings,
  SubmitRateLimit,
  solveForPost,
} from './forms.guard.ts';
export { intakeSweepJob, processSubmissionJob, pruneChallengesJob } from './forms.jobs.ts';
export {
  type CreateFormBody,
  type Form,
  type FormDefinition,
  type FormField,
  type FormLanguage,
  formDefinitionSchema,
  type PublicDefinition,
  publicDefinitionSchema,
} from './forms.schema.ts';
export { createForm, getForm, listSubmissions } from './forms.service.ts';
export {
  INTAKE_BATCH_SIZE,
  loadPublishedForm,
  type ProcessOptions,
  type ProcessResult,
  type PublicForm,
  pickLanguage,
  processSubmissions,
  publicChallenge,
  publicDefinition,
  successMessage,
} from './forms.submit.ts';
export type { FormStatus, FormsTables, SpamReason, SubmissionStatus } from './forms.tables.ts';

/** The HMAC key of form tokens and challenges, derived from the server secret. */
export function formGuardKey(secrets: SecretBox): Uint8Array {
  return secrets.deriveKey('forms');
}

export type FormsRoutesDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  baseUrl: string;
  settings?: Partial<GuardSettings> | undefined;
};

/** Admin API (area marketing) and the public JSON/POST endpoints. */
export function formsRoutes(deps: FormsRoutesDeps) {
  const guard = createFormGuard(formGuardKey(deps.secrets), { ...DEFAULT_GUARD_SETTINGS, ...deps.settings });
  // The hosted page renders what `GET /public/forms/{id}/definition` answers, read directly (no
  // in-process request per page view), through the same guard (its token and challenge).
  const definitions: DefinitionSource = async (_request, formId, lang) => {
    try {
      const form = await loadPublishedForm(deps.database.db, formId);
      return pagePublicDefinitionSchema.parse(await publicDefinition(deps.database.db, form, lang, guard));
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORMS_NOT_FOUND') return undefined;
      throw error;
    }
  };
  return async (app: FastifyInstance) => {
    // Before the core's public routes: its onSend hook re-renders a refused plain form post as the page.
    await app.register(formsPublicRoutes({ database: deps.database, baseUrl: deps.baseUrl, definitions }));
    await app.register(formsAdminRoutes(deps.database));
    await app.register(
      formsPublicApiRoutes({ database: deps.database, queue: deps.queue, guard, baseUrl: deps.baseUrl }),
    );
  };
}
