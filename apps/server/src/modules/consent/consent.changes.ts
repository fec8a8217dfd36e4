import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, encodeCursor } from '../../kernel/http/pagination.ts';
import { auditBy } from '../audit/index.ts';
import { type FieldAccess, presentFields } from '../privacy/index.ts';
import { consentError } from './consent.errors.ts';
import * as repo from './consent.repository.ts';
import {
  type ConsentChangeView,
  type ConsentLanguage,
  type ConsentSettings,
  changeSummarySchema,
} from './consent.schema.ts';
import { optionLabel, questionLabel, wordings } from './consent.service.ts';

/**
 * The privacy officer's queue: each change a contact made (an answer, a newsletter subscription)
 * waits until someone records what they did about it. Processing is audited and happens once
 * (409 the second time). The settings of the daily digest live here too.
 */

/** A contact's name as the reader's field access shows it (else the email, else null). */
export function contactNameOf(
  row: { firstName: string | null; lastName: string | null; email: string | null },
  access: FieldAccess,
): string | null {
  const shown = presentFields(
    { firstName: row.firstName, lastName: row.lastName, email: row.email },
    { firstName: 'identity', lastName: 'identity', email: 'contact_details' },
    access,
  );
  const name = [shown.firstName, shown.lastName].filter((p) => p).join(' ');
  return name || shown.email || null;
}

async function present(
  tx: TenantTx,
  rows: repo.ChangeRow[],
  access: FieldAccess,
  language: ConsentLanguage,
): Promise<ConsentChangeView[]> {
  const texts = await wordings(
    tx,
    rows.flatMap((r) => [
      ...(r.questionId && r.version !== null ? [{ questionId: r.questionId, version: r.version }] : []),
      ...(r.questionId && r.fromVersion !== null
        ? [{ questionId: r.questionId, version: r.fromVersion }]
        : []),
    ]),
  );
  return rows.map((r) => {
    const wording =
      r.questionId && r.version !== null ? texts.get(`${r.questionId}:${r.version}`) : undefined;
    const previous =
      r.questionId && r.fromVersion !== null ? texts.get(`${r.questionId}:${r.fromVersion}`) : undefined;
    return {
      id: r.id,
      kind: r.kind,
      contactId: r.contactId,
      contactName: contactNameOf(r, access),
      summary: changeSummarySchema.parse(JSON.parse(r.summary)),
      question: wording ? questionLabel(wording.texts, language) : null,
      from: r.kind === 'consent' ? optionLabel(previous, r.fromOptionKey, language) : null,
      to: r.kind === 'consent' ? optionLabel(wording, r.optionKey, language) : null,
      createdAt: new Date(r.createdAt).toISOString(),
      processedAt: r.processedAt ? new Date(r.processedAt).toISOString() : null,
      processedBy: r.processedBy,
      actionTaken: r.actionTaken,
    };
  });
}

export async function listChanges(
  tx: TenantTx,
  principal: Principal,
  query: { status: 'open' | 'done'; limit: number; cursor?: string | undefined },
  language: ConsentLanguage,
): Promise<{ items: ConsentChangeView[]; nextCursor: string | null }> {
  const rows = await repo.listChanges(tx, query.status, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
  });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  const t = query.status === 'open' ? last?.cursorTs : last?.processedTs;
  return {
    items: await present(tx, page, principal.fieldAccess, language),
    nextCursor: more && last && t ? encodeCursor({ t, i: last.id }) : null,
  };
}

export async function getChange(
  tx: TenantTx,
  principal: Principal,
  id: string,
  language: ConsentLanguage,
): Promise<ConsentChangeView> {
  const row = await repo.findChange(tx, id);
  if (!row) throw consentError('CONSENT_CHANGE_NOT_FOUND', 'There is no such change.');
  const [view] = await present(tx, [row], principal.fieldAccess, language);
  return view as ConsentChangeView;
}

export async function countOpenChanges(tx: TenantTx): Promise<{ open: number; oldestOpenAt: string | null }> {
  const { open, oldest } = await repo.countOpenChanges(tx);
  return { open, oldestOpenAt: oldest ? oldest.toISOString() : null };
}

/**
 * Records what was done about a change, by whom and when (once: a processed change is 409
 * CONSENT_CHANGE_PROCESSED). Once no change of the contact to a question is open, the current
 * answer counts as processed on the GDPR tab.
 */
export async function processChange(
  tx: TenantTx,
  principal: Principal,
  id: string,
  actionTaken: string,
  language: ConsentLanguage,
): Promise<ConsentChangeView> {
  const row = await repo.findChange(tx, id, true);
  if (!row) throw consentError('CONSENT_CHANGE_NOT_FOUND', 'There is no such change.');
  if (row.processedAt) {
    throw consentError(
      'CONSENT_CHANGE_PROCESSED',
      'This change was processed already.',
      [{ path: 'id', message: 'is processed already' }],
      {
        members: {
          processedAt: new Date(row.processedAt).toISOString(),
          processedBy: row.processedBy,
        },
      },
    );
  }
  const now = new Date();
  const marked = await repo.markProcessed(tx, id, {
    processedAt: now,
    processedBy: principal.userId,
    actionTaken,
  });
  if (!marked) throw consentError('CONSENT_CHANGE_PROCESSED', 'This change was processed already.');
  const summary = changeSummarySchema.parse(JSON.parse(row.summary));
  if (row.questionId) await repo.markRecordProcessed(tx, row.contactId, row.questionId, now);
  await auditBy(tx, principal, 'consent_change.processed', 'consent_change', id, {
    kind: 'settings',
    before: { kind: row.kind, contactId: row.contactId, ...summary, processedAt: null },
    after: {
      kind: row.kind,
      contactId: row.contactId,
      ...summary,
      processedAt: now.toISOString(),
      actionTaken,
    },
  });
  return getChange(tx, principal, id, language);
}

// -- settings ---------------------------------------------------------------------------------

export async function getSettings(tx: TenantTx): Promise<ConsentSettings> {
  const row = await repo.findSettings(tx);
  return {
    digestEnabled: row?.digestEnabled ?? false,
    digestRecipientUserIds: row?.digestRecipientUserIds ?? [],
  };
}

export async function putSettings(
  tx: TenantTx,
  principal: Principal,
  input: ConsentSettings,
): Promise<ConsentSettings> {
  const ids = [...new Set(input.digestRecipientUserIds)];
  const known = new Set((await repo.usersByIds(tx, ids)).map((u) => u.id));
  const errors = input.digestRecipientUserIds.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `digestRecipientUserIds.${i}`, message: 'is not a user of this tenant' }],
  );
  if (errors.length > 0) {
    throw consentError(
      'CONSENT_INVALID_SETTINGS',
      'Some digest recipients are not users; see errors.',
      errors,
    );
  }
  const before = await getSettings(tx);
  const after = { digestEnabled: input.digestEnabled, digestRecipientUserIds: ids };
  await repo.saveSettings(tx, { tenantId: principal.tenantId, ...after });
  await auditBy(tx, principal, 'consent_settings.updated', 'consent_settings', principal.tenantId, {
    kind: 'settings',
    before,
    after,
  });
  return after;
}
