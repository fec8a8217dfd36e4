import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditBy } from '../audit/index.ts';
import { recordAccess } from '../privacy/index.ts';
import { consentError } from './consent.errors.ts';
import * as repo from './consent.repository.ts';
import type { ConsentLanguage, GdprConsent, GdprSubscription } from './consent.schema.ts';
import { listContactConsents, recordConsentAnswers, tenantLanguage } from './consent.service.ts';
import { listContactSubscriptions } from './newsletters/newsletters.service.ts';

/**
 * A contact's consent as staff see and set it: the GDPR tab (every question with the current
 * answer, and the newsletter subscriptions) and answers staff record (a phone call, a letter).
 */

async function assertContact(tx: TenantTx, contactId: string): Promise<void> {
  if (!(await repo.contactExists(tx, contactId))) {
    throw consentError('CONSENT_CONTACT_NOT_FOUND', 'There is no such contact.');
  }
}

/** The GDPR tab of a contact; the read goes to the access log (like every contact read). */
export async function readGdpr(
  tx: TenantTx,
  principal: Principal,
  contactId: string,
  language: ConsentLanguage | undefined,
  purpose: string,
): Promise<{ consents: GdprConsent[]; subscriptions: GdprSubscription[] }> {
  await assertContact(tx, contactId);
  const consents = await listContactConsents(tx, contactId, language ?? (await tenantLanguage(tx)));
  const subscriptions = await listContactSubscriptions(tx, contactId);
  await recordAccess(tx, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    recordType: 'contact',
    recordIds: [contactId],
    purpose,
    kind: 'read',
  });
  return { consents, subscriptions };
}

/** An audit field name for a question key (letters, digits, _ and . only). */
const fieldOf = (key: string) => `consents.${key.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * Answers recorded by staff (source staff, not by the contact: no change to process), each
 * with the version the person was told (default: the current one); archived questions are
 * refused. Audited (personal data: the questions answered, never the answers), and the
 * contact's answers afterwards are read as on the GDPR tab.
 */
export async function setConsentsByStaff(
  tx: TenantTx,
  principal: Principal,
  queue: Pick<JobQueue, 'send'>,
  contactId: string,
  body: {
    answers: Array<{ questionId: string; optionKey: string; version?: number | undefined }>;
    language?: ConsentLanguage | undefined;
    note?: string | undefined;
  },
  purpose: string,
): Promise<{ changed: number; consents: GdprConsent[] }> {
  await assertContact(tx, contactId);
  const indexOf = new Map(body.answers.map((a, i) => [a.questionId, i]));
  const questions = await repo.questionsByIds(tx, [...indexOf.keys()]);
  const archived = questions.filter((q) => q.archivedAt !== null);
  if (archived.length > 0) {
    throw consentError(
      'CONSENT_UNKNOWN_QUESTION',
      'Archived questions cannot be answered any more; see errors.',
      archived.map((q) => ({ path: `answers.${indexOf.get(q.id)}.questionId`, message: 'is archived' })),
    );
  }
  const language = body.language ?? (await tenantLanguage(tx));
  let changed: number;
  try {
    ({ changed } = await recordConsentAnswers(tx, queue, {
      contactId,
      answers: body.answers,
      source: 'staff',
      sourceRef: body.note ?? null,
      actorUserId: principal.userId,
      byContact: false,
      language,
    }));
  } catch (error) {
    // The service names each question by its id; a request names it by its place in answers.
    if (error instanceof AppError && error.details && error.kind === 'bad_request') {
      const details: ErrorDetail[] = error.details.map((d) => {
        const [id = '', ...rest] = d.path.split('.');
        const i = indexOf.get(id);
        return i === undefined
          ? d
          : { path: `answers.${i}.${rest.join('.') || 'questionId'}`, message: d.message };
      });
      throw new AppError(error.code, error.kind, error.message, details, error.extras);
    }
    throw error;
  }
  const keys = new Map(questions.map((q) => [q.id, q.key]));
  await auditBy(tx, principal, 'contact.consents_recorded', 'contact', contactId, {
    kind: 'personal-data',
    fields: [...new Set(body.answers.map((a) => fieldOf(keys.get(a.questionId) ?? a.questionId)))],
  });
  const consents = await listContactConsents(tx, contactId, language);
  await recordAccess(tx, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    recordType: 'contact',
    recordIds: [contactId],
    purpose,
    kind: 'read',
  });
  return { changed, consents };
}
