import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditManyBy } from '../audit/index.ts';
import { findContactIdByEmail } from '../contacts/index.ts';
import { consentError } from './consent.errors.ts';
import * as repo from './consent.repository.ts';
import type { ConsentImport } from './consent.schema.ts';
import { recordConsentAnswers, tenantLanguage } from './consent.service.ts';

/**
 * Imports answers collected elsewhere (paper forms, a phone campaign, another system). An import
 * must state its legal basis and where and how the answers were collected — consent without that
 * is unusable as proof — and each row the time the person answered. Every row becomes a consent
 * event with source `import`, the stated legal basis, the collection described in the source
 * reference and the importing user; not a change by the contact (nothing enters the privacy
 * officer's queue). All or nothing: a row that cannot be recorded (no such contact or option, an
 * answer in the future, one older than the contact's current answer — it must not overturn what
 * the person said later) refuses the whole import with one error per row.
 */
export async function importConsents(
  tx: TenantTx,
  principal: Principal,
  queue: Pick<JobQueue, 'send'>,
  body: ConsentImport,
  now = new Date(),
): Promise<{ recorded: number; changed: number }> {
  const language = body.language ?? (await tenantLanguage(tx));
  const sourceRef = `${body.source.method}: ${body.source.description}`;
  const errors: ErrorDetail[] = [];
  const rows: Array<{ index: number; contactId: string; questionId: string; answeredAt: Date }> = [];
  const seen = new Set<string>();
  for (const [index, row] of body.rows.entries()) {
    const answeredAt = new Date(row.answeredAt);
    if (answeredAt.getTime() > now.getTime() + 60_000) {
      errors.push({ path: `rows.${index}.answeredAt`, message: 'lies in the future' });
      continue;
    }
    let contactId: string | undefined;
    if (row.contactId) {
      contactId = (await repo.contactExists(tx, row.contactId)) ? row.contactId : undefined;
      if (!contactId)
        errors.push({ path: `rows.${index}.contactId`, message: 'is not a contact you may see' });
    } else if (row.email) {
      contactId = await findContactIdByEmail(tx, row.email);
      if (!contactId)
        errors.push({ path: `rows.${index}.email`, message: 'no contact you may see has this email' });
    } else {
      errors.push({ path: `rows.${index}.contactId`, message: 'contactId or email is required' });
    }
    if (!contactId) continue;
    const pair = `${contactId}:${row.questionId}`;
    if (seen.has(pair)) {
      errors.push({
        path: `rows.${index}.questionId`,
        message: 'the contact answers this question twice in the import',
      });
      continue;
    }
    seen.add(pair);
    rows.push({ index, contactId, questionId: row.questionId, answeredAt });
  }
  // Older than what the person said since: the import must not overturn it.
  for (const row of rows) {
    const [current] = await repo.recordsOf(tx, row.contactId, [row.questionId]);
    if (current && current.changedAt.getTime() > row.answeredAt.getTime()) {
      errors.push({
        path: `rows.${row.index}.answeredAt`,
        message: `is older than the contact's current answer (${current.changedAt.toISOString()})`,
      });
    }
  }
  // The rows are recorded even when some are refused already, to name every bad option and
  // version too; the transaction then rolls everything back.
  let changed = 0;
  for (const row of rows) {
    const source = body.rows[row.index] as ConsentImport['rows'][number];
    try {
      const result = await recordConsentAnswers(tx, queue, {
        contactId: row.contactId,
        answers: [{ questionId: source.questionId, optionKey: source.optionKey, version: source.version }],
        source: 'import',
        sourceRef,
        actorUserId: principal.userId,
        byContact: false,
        language,
        occurredAt: row.answeredAt,
        legalBasis: body.legalBasis,
      });
      changed += result.changed;
    } catch (error) {
      // The service names the question by its id (`<id>`, `<id>.version`, `<id>.optionKey`).
      if (!(error instanceof AppError) || error.kind !== 'bad_request') throw error;
      for (const detail of error.details ?? []) {
        const [, ...rest] = detail.path.split('.');
        errors.push({ path: `rows.${row.index}.${rest.join('.') || 'questionId'}`, message: detail.message });
      }
    }
  }
  // Anything recorded so far rolls back with the transaction.
  if (errors.length > 0) throw invalid(errors);
  await auditManyBy(
    tx,
    principal,
    [...new Set(rows.map((r) => r.contactId))].map((contactId) => ({
      action: 'contact.consents_imported',
      entityType: 'contact',
      entityId: contactId,
      changes: { kind: 'personal-data' as const, fields: ['consents'] },
    })),
  );
  return { recorded: rows.length, changed };
}

function invalid(errors: ErrorDetail[]): AppError {
  return consentError(
    'CONSENT_INVALID_IMPORT',
    'Some rows of the import cannot be recorded; nothing was imported. See errors.',
    errors,
  );
}
