import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { emitWebhookEvent } from '../webhooks/index.ts';
import { consentError } from './consent.errors.ts';
import * as repo from './consent.repository.ts';
import { inLanguage, nextState } from './consent.rules.ts';
import {
  type ConsentLanguage,
  type FormLanguage,
  type GdprConsent,
  type QuestionOption,
  type QuestionTexts,
  questionOptionsSchema,
  questionTextsSchema,
  type ShownQuestion,
} from './consent.schema.ts';
import type { ConsentSource } from './consent.tables.ts';

/**
 * The consent use cases other parts call (the issue-6 contract): questions as a form shows
 * them, the check of a form's questions, recording answers (evidence, current answer, the
 * privacy officer's queue, the `consent.changed` webhook), queueing a subscription change and a
 * contact's current answers. Each runs in the caller's tenant transaction.
 */

export type { ConsentSource, FormLanguage, GdprConsent };

export type Wording = { texts: QuestionTexts; options: QuestionOption[]; textHash: string };

/** A stored version's wording, parsed at the edge. */
export function parseWording(row: { texts: string; options: string; textHash: string }): Wording {
  return {
    texts: questionTextsSchema.parse(JSON.parse(row.texts)),
    options: questionOptionsSchema.parse(JSON.parse(row.options)),
    textHash: row.textHash,
  };
}

/** Versions by `questionId:version`, parsed. */
export async function wordings(
  tx: TenantTx,
  pairs: ReadonlyArray<{ questionId: string; version: number }>,
): Promise<Map<string, Wording>> {
  const unique = [...new Map(pairs.map((p) => [`${p.questionId}:${p.version}`, p])).values()];
  const rows = await repo.versionsOf(tx, unique);
  return new Map(rows.map((r) => [`${r.questionId}:${r.version}`, parseWording(r)]));
}

export function questionLabel(texts: QuestionTexts, language: ConsentLanguage): string {
  return inLanguage(texts, language)?.label ?? '';
}

export function optionLabel(wording: Wording | undefined, key: string | null, language: ConsentLanguage) {
  if (key === null) return null;
  const option = wording?.options.find((o) => o.key === key);
  return option ? (inLanguage(option.label, language) ?? key) : key;
}

/** The tenant's default language (the wording shown when a request names none). */
export async function tenantLanguage(tx: TenantTx): Promise<ConsentLanguage> {
  const row = await tx.selectFrom('tenant').select('defaultLanguage').executeTakeFirst();
  return row?.defaultLanguage ?? 'de';
}

/**
 * Questions as a form shows them: the current version of each id, in the order given, its texts
 * in `language` (else the nearest language the question has). Unknown and archived questions
 * are left out (forms check theirs on save with assertConsentQuestions).
 */
export async function loadConsentQuestions(
  tx: TenantTx,
  ids: string[],
  language: FormLanguage,
): Promise<ShownQuestion[]> {
  const questions = (await repo.questionsByIds(tx, ids)).filter((q) => q.archivedAt === null);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const texts = await wordings(
    tx,
    questions.map((q) => ({ questionId: q.id, version: q.currentVersion })),
  );
  const shown: ShownQuestion[] = [];
  for (const id of new Set(ids)) {
    const question = byId.get(id);
    const wording = question ? texts.get(`${id}:${question.currentVersion}`) : undefined;
    if (!question || !wording) continue;
    const text = inLanguage(wording.texts, language);
    shown.push({
      id,
      version: question.currentVersion,
      key: question.key,
      label: text?.label ?? '',
      help: text?.help ?? null,
      options: wording.options.map((o) => ({
        key: o.key,
        label: inLanguage(o.label, language) ?? o.key,
        polarity: o.polarity,
      })),
    });
  }
  return shown;
}

/**
 * Throws CONSENT_UNKNOWN_QUESTION (400) when an id is not a current question of the tenant
 * (unknown, another tenant's, or archived); each detail's path is the id.
 */
export async function assertConsentQuestions(tx: TenantTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Map((await repo.questionsByIds(tx, ids)).map((q) => [q.id, q]));
  const errors: ErrorDetail[] = [];
  for (const id of new Set(ids)) {
    const question = found.get(id);
    if (!question) errors.push({ path: id, message: 'is not a consent question of this tenant' });
    else if (question.archivedAt) errors.push({ path: id, message: 'is archived' });
  }
  if (errors.length > 0) {
    throw consentError(
      'CONSENT_UNKNOWN_QUESTION',
      'Some consent questions are unknown or archived; see errors.',
      errors,
    );
  }
}

export type RecordAnswersInput = {
  contactId: string;
  answers: Array<{ questionId: string; version?: number | undefined; optionKey: string }>;
  source: ConsentSource;
  sourceRef?: string | null | undefined;
  actorUserId?: string | null | undefined;
  byContact: boolean;
  language: FormLanguage;
  occurredAt?: Date | undefined;
  /** The legal basis the answers rest on, when the caller states one (imports); else the question's. */
  legalBasis?: string | undefined;
};

/**
 * Records answers. Each becomes one consent_event (always: the evidence, with the version the
 * person saw — `version` omitted: the current one — its text hash and legal basis). The current
 * answer (consent_record) changes when the option differs; the same answer again only moves
 * the record to the newest evidence. For each changed answer: a `consent.changed` webhook, and
 * when the contact made it (byContact), an unprocessed change in the privacy officer's queue
 * (the record stays unprocessed until that change is processed). Answers to archived questions
 * are recorded (the person saw the question); unknown questions, versions or options refuse
 * the whole call (CONSENT_UNKNOWN_QUESTION / CONSENT_INVALID_ANSWER; each detail's path is
 * `<questionId>`, `<questionId>.version` or `<questionId>.optionKey`). One contact's answers are serialised (an advisory lock per contact).
 */
export async function recordConsentAnswers(
  tx: TenantTx,
  queue: Pick<JobQueue, 'send'>,
  input: RecordAnswersInput,
): Promise<{ changed: number }> {
  if (input.answers.length === 0) return { changed: 0 };
  const tenantId = await repo.currentTenant(tx);
  const ids = [...new Set(input.answers.map((a) => a.questionId))];
  const questions = new Map((await repo.questionsByIds(tx, ids)).map((q) => [q.id, q]));
  const unknown = ids.filter((id) => !questions.has(id));
  if (unknown.length > 0) {
    throw consentError(
      'CONSENT_UNKNOWN_QUESTION',
      'Some consent questions are unknown; see errors.',
      unknown.map((id) => ({ path: id, message: 'is not a consent question of this tenant' })),
    );
  }
  const versionOf = (a: RecordAnswersInput['answers'][number]) =>
    a.version ?? (questions.get(a.questionId) as repo.QuestionMeta).currentVersion;
  const texts = await wordings(
    tx,
    input.answers.map((a) => ({ questionId: a.questionId, version: versionOf(a) })),
  );
  // Each problem's path starts with the question id (`<id>`, `<id>.version`, `<id>.optionKey`).
  const errors: ErrorDetail[] = [];
  const seen = new Set<string>();
  const answers = input.answers.flatMap((a) => {
    if (seen.has(a.questionId)) {
      errors.push({ path: a.questionId, message: 'is answered twice' });
      return [];
    }
    seen.add(a.questionId);
    const version = versionOf(a);
    const wording = texts.get(`${a.questionId}:${version}`);
    if (!wording) {
      errors.push({ path: `${a.questionId}.version`, message: `the question has no version ${version}` });
      return [];
    }
    const option = wording.options.find((o) => o.key === a.optionKey);
    if (!option) {
      errors.push({
        path: `${a.questionId}.optionKey`,
        message: `${a.optionKey} is not an answer of the question (${wording.options.map((o) => o.key).join(', ')})`,
      });
      return [];
    }
    return [{ question: questions.get(a.questionId) as repo.QuestionMeta, version, wording, option }];
  });
  if (errors.length > 0) {
    throw consentError(
      'CONSENT_INVALID_ANSWER',
      'Some answers do not fit their questions; see errors.',
      errors,
    );
  }

  await repo.lockContactConsents(tx, tenantId, input.contactId);
  if (!(await repo.contactExists(tx, input.contactId))) {
    throw consentError('CONSENT_CONTACT_NOT_FOUND', 'There is no such contact.');
  }
  const current = new Map((await repo.recordsOf(tx, input.contactId, ids)).map((r) => [r.questionId, r]));
  const occurredAt = input.occurredAt ?? new Date();
  let changed = 0;
  for (const { question, version, wording, option } of answers) {
    const previous = current.get(question.id);
    const state = nextState(previous?.state, option.polarity);
    const eventId = await repo.insertEvent(tx, {
      tenantId,
      contactId: input.contactId,
      questionId: question.id,
      version,
      optionKey: option.key,
      polarity: option.polarity,
      state,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      actorUserId: input.actorUserId ?? null,
      byContact: input.byContact,
      language: input.language,
      textHash: wording.textHash,
      legalBasis: input.legalBasis ?? question.legalBasis,
      occurredAt,
      supersedesEventId: previous?.eventId ?? null,
    });
    if (previous && previous.optionKey === option.key && previous.state === state) {
      await repo.touchRecord(tx, input.contactId, question.id, { version, eventId });
      continue;
    }
    changed += 1;
    await repo.upsertRecord(tx, {
      tenantId,
      contactId: input.contactId,
      questionId: question.id,
      version,
      optionKey: option.key,
      polarity: option.polarity,
      state,
      source: input.source,
      eventId,
      changedAt: occurredAt,
      // A change by the contact waits for staff; anything else needs no reaction.
      processedAt: input.byContact ? null : occurredAt,
    });
    const from = previous?.optionKey ?? null;
    if (input.byContact) {
      await repo.insertConsentChange(tx, {
        tenantId,
        contactId: input.contactId,
        consentEventId: eventId,
        summary: JSON.stringify({ questionId: question.id, from, to: option.key }),
      });
    }
    await emitWebhookEvent(tx, queue, {
      type: 'consent.changed',
      key: `consent.changed:${eventId}`,
      data: {
        contactId: input.contactId,
        questionId: question.id,
        questionKey: question.key,
        from,
        to: option.key,
        state,
        source: input.source,
        occurredAt: occurredAt.toISOString(),
      },
    });
  }
  return { changed };
}

/**
 * Queues a subscription change the contact made (the newsletters part calls it with its
 * subscription_event): one unprocessed change, once per subscription event.
 */
export async function recordSubscriptionChange(
  tx: TenantTx,
  input: {
    contactId: string;
    subscriptionEventId: string;
    newsletterId: string;
    from: string | null;
    to: string;
  },
): Promise<void> {
  const tenantId = await repo.currentTenant(tx);
  await repo.insertSubscriptionChange(tx, {
    tenantId,
    contactId: input.contactId,
    subscriptionEventId: input.subscriptionEventId,
    summary: JSON.stringify({ newsletterId: input.newsletterId, from: input.from, to: input.to }),
  });
}

/**
 * A contact's answers, the GDPR tab's consents part: every current question (and every archived
 * one the contact answered), in the order they were created, worded as the version the contact
 * answered (unanswered: the current version).
 */
export async function listContactConsents(
  tx: TenantTx,
  contactId: string,
  language: FormLanguage,
): Promise<GdprConsent[]> {
  const rows = await repo.contactConsents(tx, contactId);
  return rows.map((r) => {
    const wording = parseWording({ texts: r.texts, options: r.options, textHash: '' });
    const answered = r.optionKey !== null;
    return {
      questionId: r.id,
      questionKey: r.key,
      question: questionLabel(wording.texts, language),
      answer: optionLabel(wording, r.optionKey, language),
      optionKey: r.optionKey,
      granted: answered && r.state === 'dpv:ConsentGiven',
      prohibition: answered && r.state === 'dpv:Prohibition',
      state: r.state,
      version: r.version,
      currentVersion: r.currentVersion,
      changedAt: r.changedAt ? new Date(r.changedAt).toISOString() : null,
      source: r.source,
      processedAt: r.processedAt ? new Date(r.processedAt).toISOString() : null,
      purpose: r.purpose,
      channel: r.channel,
      archived: r.archivedAt !== null,
    };
  });
}
