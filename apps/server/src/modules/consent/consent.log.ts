import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { recordAccess } from '../privacy/index.ts';
import { contactNameOf } from './consent.changes.ts';
import * as repo from './consent.repository.ts';
import type { ConsentLanguage, ConsentLogEntry, ConsentLogQuery } from './consent.schema.ts';
import { optionLabel, questionLabel, wordings } from './consent.service.ts';

/**
 * The consent log (every answer, newsletter event and staff reaction, who and when) and the
 * reports (answers per question and option over time; open changes by age). The log shows
 * personal data of the contacts it lists: each page is written to the access log.
 */

export async function listConsentLog(
  tx: TenantTx,
  principal: Principal,
  query: ConsentLogQuery,
  language: ConsentLanguage,
  purpose: string,
): Promise<{ items: ConsentLogEntry[]; nextCursor: string | null }> {
  const rows = await repo.consentLog(
    tx,
    {
      contactId: query.contactId,
      questionId: query.questionId,
      source: query.source,
      from: query.from,
      to: query.to,
    },
    { limit: query.limit, after: decodeCursor(query.cursor) },
  );
  const texts = await wordings(
    tx,
    rows.flatMap((r) =>
      r.questionId && r.version !== null ? [{ questionId: r.questionId, version: r.version }] : [],
    ),
  );
  const page = toPage(rows, query.limit, (r): ConsentLogEntry => {
    const wording =
      r.questionId && r.version !== null ? texts.get(`${r.questionId}:${r.version}`) : undefined;
    return {
      id: r.id,
      type: r.type,
      occurredAt: new Date(r.occurredAt).toISOString(),
      contactId: r.contactId,
      contactName: contactNameOf(r, principal.fieldAccess),
      byContact: r.byContact,
      actorUserId: r.actorUserId,
      source: r.source,
      sourceRef: r.sourceRef,
      questionId: r.questionId,
      questionKey: r.questionKey,
      question: wording ? questionLabel(wording.texts, language) : null,
      version: r.version,
      optionKey: r.optionKey,
      answer: r.type === 'subscription' ? null : optionLabel(wording, r.optionKey, language),
      state: r.state,
      textHash: r.textHash,
      legalBasis: r.legalBasis,
      newsletterId: r.newsletterId,
      subscriptionEvent: r.subscriptionEvent,
      changeId: r.changeId,
      actionTaken: r.actionTaken,
    };
  });
  const ids = [...new Set(page.items.map((e) => e.contactId))];
  if (ids.length > 0) {
    await recordAccess(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      recordType: 'contact',
      recordIds: ids,
      purpose,
      kind: 'read',
    });
  }
  return page;
}

const DAY = 86_400_000;
/** The longest range one report covers. */
const MAX_RANGE_DAYS = 3 * 366;

export async function answersReport(
  tx: TenantTx,
  query: { from?: string | undefined; to?: string | undefined; bucket: 'day' | 'week' | 'month' },
  now = new Date(),
) {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 90 * DAY);
  if (from >= to || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw new AppError(
      'CONSENT_INVALID_RANGE',
      'bad_request',
      `from must be before to, at most ${MAX_RANGE_DAYS} days apart.`,
      [{ path: 'query.from', message: `must be before to and at most ${MAX_RANGE_DAYS} days earlier` }],
    );
  }
  const rows = await repo.answerCounts(tx, { from, to, bucket: query.bucket });
  return {
    bucket: query.bucket,
    from: from.toISOString(),
    to: to.toISOString(),
    items: rows.map((r) => ({
      bucketStart: r.bucketStart,
      questionId: r.questionId,
      questionKey: r.questionKey,
      optionKey: r.optionKey,
      state: r.state,
      count: Number(r.n),
    })),
  };
}

export async function openChangesReport(tx: TenantTx, now = new Date()) {
  const row = await repo.openChangeAges(tx, now);
  return {
    open: Number(row?.open ?? 0),
    oldestOpenAt: row?.oldest ? new Date(row.oldest).toISOString() : null,
    ages: [
      { age: '<1d' as const, count: Number(row?.lt1 ?? 0) },
      { age: '1-3d' as const, count: Number(row?.lt3 ?? 0) },
      { age: '3-7d' as const, count: Number(row?.lt7 ?? 0) },
      { age: '>7d' as const, count: Number(row?.older ?? 0) },
    ],
    processedLast30Days: Number(row?.processed30 ?? 0),
    medianProcessingHours:
      row?.medianSeconds === null || row?.medianSeconds === undefined
        ? null
        : Math.round((Number(row.medianSeconds) / 3600) * 10) / 10,
  };
}
