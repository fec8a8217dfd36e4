import { randomUUID } from 'node:crypto';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { auditBy } from '../audit/index.ts';
import { consentError } from './consent.errors.ts';
import * as repo from './consent.repository.ts';
import { languagesOf, textHashOf } from './consent.rules.ts';
import type {
  CreateQuestionInput,
  Question,
  QuestionOption,
  QuestionTexts,
  QuestionVersion,
  UpdateQuestionInput,
} from './consent.schema.ts';
import { parseWording } from './consent.service.ts';

/**
 * The tenant's consent questions (privacy officer). Wording and options are versioned: a change
 * makes a new immutable version, and every answer keeps the version it was given to. Key,
 * purpose, channel and legal basis say what an answer means: they change only while nobody has
 * answered. Create, update, archive and delete are audited (kind settings: the metadata, the
 * version and its text hash — the wording itself is in the version table).
 */

function toQuestion(row: repo.QuestionRow): Question {
  const wording = parseWording(row);
  return {
    id: row.id,
    key: row.key,
    purpose: row.purpose,
    channel: row.channel,
    legalBasis: row.legalBasis,
    version: row.currentVersion,
    texts: wording.texts,
    options: wording.options,
    textHash: row.textHash,
    inUse: row.inUse,
    archivedAt: row.archivedAt ? new Date(row.archivedAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

const auditView = (q: Question) => ({
  key: q.key,
  purpose: q.purpose,
  channel: q.channel,
  legalBasis: q.legalBasis,
  version: q.version,
  textHash: q.textHash,
  archived: q.archivedAt !== null,
});

/** Every option has a label in every language the question is worded in. */
function checkWording(texts: QuestionTexts, options: readonly QuestionOption[]): void {
  const errors: ErrorDetail[] = [];
  const languages = languagesOf(texts);
  options.forEach((option, i) => {
    for (const language of languages) {
      if (option.label[language] === undefined) {
        errors.push({
          path: `options.${i}.label.${language}`,
          message: `needs a label: the question is worded in ${language}`,
        });
      }
    }
  });
  if (errors.length > 0) {
    throw consentError('CONSENT_INVALID_QUESTION', 'The wording is not complete; see errors.', errors);
  }
}

const keyTaken = (key: string) =>
  consentError('CONSENT_QUESTION_KEY_TAKEN', `There is already a question with the key "${key}".`, [
    { path: 'key', message: 'is taken by another question' },
  ]);

export async function getQuestion(tx: TenantTx, id: string): Promise<Question> {
  const row = await repo.findQuestion(tx, id);
  if (!row) throw consentError('CONSENT_QUESTION_NOT_FOUND', 'There is no such consent question.');
  return toQuestion(row);
}

export async function listQuestions(
  tx: TenantTx,
  query: { limit: number; cursor?: string | undefined; archived: 'true' | 'false' | 'all' },
) {
  const rows = await repo.listQuestions(
    tx,
    { archived: query.archived },
    { limit: query.limit, after: decodeCursor(query.cursor) },
  );
  return toPage(rows, query.limit, toQuestion);
}

export async function createQuestion(
  tx: TenantTx,
  principal: Principal,
  input: CreateQuestionInput,
): Promise<Question> {
  checkWording(input.texts, input.options);
  const id = await repo.insertQuestion(tx, {
    id: randomUUID(),
    tenantId: principal.tenantId,
    key: input.key,
    purpose: input.purpose,
    channel: input.channel,
    legalBasis: input.legalBasis,
    createdBy: principal.userId,
  });
  if (!id) throw keyTaken(input.key);
  await repo.insertVersion(tx, {
    tenantId: principal.tenantId,
    questionId: id,
    version: 1,
    texts: JSON.stringify(input.texts),
    options: JSON.stringify(input.options),
    textHash: textHashOf(input.texts, input.options),
    createdBy: principal.userId,
  });
  const created = await getQuestion(tx, id);
  await auditBy(tx, principal, 'consent_question.created', 'consent_question', id, {
    kind: 'settings',
    before: null,
    after: auditView(created),
  });
  return created;
}

const METADATA = ['key', 'purpose', 'channel', 'legalBasis'] as const;

export async function updateQuestion(
  tx: TenantTx,
  principal: Principal,
  id: string,
  patch: UpdateQuestionInput,
): Promise<Question> {
  const row = await repo.findQuestion(tx, id, true);
  if (!row) throw consentError('CONSENT_QUESTION_NOT_FOUND', 'There is no such consent question.');
  const before = toQuestion(row);
  const metadata = METADATA.filter((f) => patch[f] !== undefined && patch[f] !== before[f]);
  if (metadata.length > 0 && before.inUse) {
    throw consentError(
      'CONSENT_QUESTION_IN_USE',
      'People have answered this question: what it asks for cannot change. Create a new question instead.',
      metadata.map((f) => ({ path: f, message: 'cannot change once the question has answers' })),
    );
  }
  if (patch.key !== undefined && patch.key !== before.key && (await repo.keyTaken(tx, patch.key, id))) {
    throw keyTaken(patch.key);
  }
  let version = before.version;
  if (patch.texts !== undefined || patch.options !== undefined) {
    const texts = patch.texts ?? before.texts;
    const options = patch.options ?? before.options;
    checkWording(texts, options);
    const textHash = textHashOf(texts, options);
    if (textHash !== before.textHash) {
      version += 1;
      await repo.insertVersion(tx, {
        tenantId: principal.tenantId,
        questionId: id,
        version,
        texts: JSON.stringify(texts),
        options: JSON.stringify(options),
        textHash,
        createdBy: principal.userId,
      });
    }
  }
  const archive =
    patch.archived === undefined || patch.archived === (before.archivedAt !== null)
      ? {}
      : { archivedAt: patch.archived ? new Date() : null };
  const changes = {
    ...Object.fromEntries(metadata.map((f) => [f, patch[f]])),
    ...(version !== before.version ? { currentVersion: version } : {}),
    ...archive,
  };
  if (Object.keys(changes).length === 0) return before;
  try {
    await repo.updateQuestion(tx, id, changes);
  } catch (error) {
    // The key taken at the same moment by another question: the unique index decides.
    const unique =
      typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
    if (unique && patch.key !== undefined) throw keyTaken(patch.key);
    throw error;
  }
  const after = await getQuestion(tx, id);
  await auditBy(tx, principal, 'consent_question.updated', 'consent_question', id, {
    kind: 'settings',
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

/**
 * Deletes a question nobody answered (with its versions); a question with answers is archived
 * instead: no longer offered, its answers and wording kept.
 */
export async function deleteQuestion(
  tx: TenantTx,
  principal: Principal,
  id: string,
): Promise<{ outcome: 'deleted' | 'archived' }> {
  const row = await repo.findQuestion(tx, id, true);
  if (!row) throw consentError('CONSENT_QUESTION_NOT_FOUND', 'There is no such consent question.');
  const before = toQuestion(row);
  if (!before.inUse) {
    await repo.deleteQuestion(tx, id);
    await auditBy(tx, principal, 'consent_question.deleted', 'consent_question', id, {
      kind: 'settings',
      before: auditView(before),
      after: null,
    });
    return { outcome: 'deleted' };
  }
  if (before.archivedAt === null) {
    await repo.updateQuestion(tx, id, { archivedAt: new Date() });
    const after = await getQuestion(tx, id);
    await auditBy(tx, principal, 'consent_question.archived', 'consent_question', id, {
      kind: 'settings',
      before: auditView(before),
      after: auditView(after),
    });
  }
  return { outcome: 'archived' };
}

export async function listVersions(tx: TenantTx, id: string): Promise<{ items: QuestionVersion[] }> {
  await getQuestion(tx, id);
  const rows = await repo.listVersions(tx, id);
  return {
    items: rows.map((r) => {
      const wording = parseWording(r);
      return {
        version: r.version,
        texts: wording.texts,
        options: wording.options,
        textHash: r.textHash,
        createdAt: new Date(r.createdAt).toISOString(),
        createdBy: r.createdBy,
      };
    }),
  };
}
