/**
 * The preference centre's use cases: what a contact sees (their newsletters, their consent
 * answers in the current wording), saving a change (subscriptions end at once; a new one starts
 * double opt-in unless confirmed before; answers through the consent core as the contact's own
 * change), unsubscribing from all, and mailing a fresh link to whoever asks with their email.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { Tables } from '../../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../../kernel/db/tenancy.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { queueMail } from '../../mail/index.ts';
import { PREFERENCES_LINK_DAYS, preferencesUrl } from '../consent.links.ts';
import { listContactConsents, loadConsentQuestions, recordConsentAnswers } from '../consent.service.ts';
import { newslettersError } from '../newsletters/newsletters.errors.ts';
import * as repo from '../newsletters/newsletters.repository.ts';
import {
  parseNewsletter,
  subscribeFromPreferences,
  textsIn,
  unsubscribe,
} from '../newsletters/newsletters.subscriptions.ts';
import type { Language, SubscriptionStatus } from '../newsletters/newsletters.tables.ts';
import { PREFERENCES_TEXTS } from './preferences.texts.ts';

type Queue = Pick<JobQueue, 'send'>;

/** Links one email may ask for per window, whether or not we know it. */
export const MAX_LINK_REQUESTS = 3;
export const LINK_REQUEST_WINDOW_SECONDS = 15 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ShownNewsletter = {
  id: string;
  title: string;
  description: string | null;
  optOutText: string | null;
  status: SubscriptionStatus | 'none';
};

export type ShownAnswer = {
  id: string;
  version: number;
  label: string;
  help: string | null;
  options: Array<{ key: string; label: string }>;
  /** The contact's current answer (option key), if it is among the current options. */
  current: string | null;
};

export type PreferencesView = {
  tenant: string;
  contactLanguage: string | null;
  newsletters: ShownNewsletter[];
  questions: ShownAnswer[];
};

export function languageOf(value: string | null | undefined): Language | undefined {
  const l = value?.slice(0, 2).toLowerCase();
  return l === 'de' || l === 'en' || l === 'fr' ? l : undefined;
}

/** The contact's language (BCP 47 → de/en/fr), undefined when none of ours or no contact. */
export async function contactLanguage(tx: TenantTx, contactId: string): Promise<Language | undefined | null> {
  const row = await tx
    .selectFrom('contact')
    .select('language')
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!row) return null;
  return languageOf(row.language);
}

/**
 * What the contact sees: every active newsletter (and archived ones they still receive or wait
 * for), and every active question (answered or not) with the current wording and options.
 * Undefined when the contact no longer exists.
 */
export async function loadPreferences(
  tx: TenantTx,
  contactId: string,
  language: Language,
): Promise<PreferencesView | undefined> {
  const contact = await tx
    .selectFrom('contact')
    .select(['id', 'language'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact) return undefined;
  const tenant = await tx.selectFrom('tenant').select('name').executeTakeFirstOrThrow();
  const subscriptions = await repo.listSubscriptionsOfContact(tx, contactId);
  const statusOf = new Map(subscriptions.map((s) => [s.newsletterId, s.status]));
  const active = await repo.listActiveNewsletters(tx);
  const kept = subscriptions
    .filter((s) => s.status !== 'unsubscribed' && !active.some((n) => n.id === s.newsletterId))
    .map((s) => s.newsletterId);
  const rows = [...active, ...(await repo.findNewsletters(tx, kept))];
  const newsletters = rows.map((row) => {
    const n = parseNewsletter(row);
    const t = textsIn(n, language);
    return { id: n.id, ...t, status: statusOf.get(n.id) ?? ('none' as const) };
  });

  // Every active question, answered or not: the person may give an answer they never gave.
  const answered = (await listContactConsents(tx, contactId, language)).filter((c) => !c.archived);
  const currentOf = new Map(answered.map((c) => [c.questionId, c.optionKey]));
  const shown = await loadConsentQuestions(
    tx,
    answered.map((c) => c.questionId),
    language,
  );
  const questions = shown.map((q) => {
    const current = currentOf.get(q.id) ?? null;
    return {
      id: q.id,
      version: q.version,
      label: q.label,
      help: q.help,
      options: q.options.map((o) => ({ key: o.key, label: o.label })),
      current: q.options.some((o) => o.key === current) ? current : null,
    };
  });
  return { tenant: tenant.name, contactLanguage: contact.language, newsletters, questions };
}

/** The posted form, read defensively: ids that are uuids, keys of sane length. */
export type PreferencesForm = {
  shown: string[];
  ticked: string[];
  answers: Array<{ questionId: string; optionKey: string; version: number | undefined }>;
};

export function readPreferencesForm(body: unknown): PreferencesForm {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const strings = (v: unknown) =>
    (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  const ids = (v: unknown) =>
    strings(v)
      .filter((s) => UUID.test(s))
      .map((s) => s.toLowerCase());
  const answers: PreferencesForm['answers'] = [];
  for (const [name, value] of Object.entries(fields)) {
    const m = /^q\.([0-9a-f-]{36})$/i.exec(name);
    const key = strings(value)[0];
    if (!m?.[1] || !UUID.test(m[1]) || !key || key.length > 64) continue;
    const questionId = m[1].toLowerCase();
    const v = Number(strings(fields[`v.${m[1]}`])[0]);
    answers.push({ questionId, optionKey: key, version: Number.isInteger(v) && v > 0 ? v : undefined });
  }
  return { shown: ids(fields.shown), ticked: ids(fields.newsletter), answers };
}

/**
 * Saves what the contact changed: an unticked newsletter ends at once, a newly ticked one is
 * subscribed (confirmed before) or starts double opt-in; answers that differ from the current
 * ones are recorded as the contact's change (source preferences). Returns whether a
 * confirmation mail went out.
 */
export async function savePreferences(
  tx: TenantTx,
  queue: Queue,
  input: { contactId: string; language: Language; baseUrl: string; form: PreferencesForm },
): Promise<{ confirmationSent: boolean }> {
  const view = await loadPreferences(tx, input.contactId, input.language);
  if (!view) throw newslettersError('CONSENT_CONTACT_NOT_FOUND', 'There is no such contact.');
  const ticked = new Set(input.form.ticked);
  let confirmationSent = false;
  for (const newsletter of view.newsletters) {
    if (!input.form.shown.includes(newsletter.id)) continue;
    const receives = newsletter.status === 'subscribed' || newsletter.status === 'pending';
    if (ticked.has(newsletter.id) && !receives) {
      const status = await subscribeFromPreferences(tx, queue, {
        contactId: input.contactId,
        newsletterId: newsletter.id,
        language: input.language,
        baseUrl: input.baseUrl,
      });
      if (status === 'pending') confirmationSent = true;
    } else if (!ticked.has(newsletter.id) && receives) {
      await unsubscribe(tx, queue, {
        contactId: input.contactId,
        newsletterId: newsletter.id,
        source: 'preferences',
        byContact: true,
        language: input.language,
      });
    }
  }
  const questions = new Map(view.questions.map((q) => [q.id, q]));
  const answers = input.form.answers.filter((a) => {
    const q = questions.get(a.questionId);
    return q !== undefined && q.current !== a.optionKey;
  });
  if (answers.length > 0) {
    await recordConsentAnswers(tx, queue, {
      contactId: input.contactId,
      answers: answers.map((a) => ({
        questionId: a.questionId,
        optionKey: a.optionKey,
        ...(a.version ? { version: a.version } : {}),
      })),
      source: 'preferences',
      byContact: true,
      language: input.language,
    });
  }
  return { confirmationSent };
}

/** "Unsubscribe from all newsletters": every subscription or pending request of the contact ends. */
export async function unsubscribeAll(
  tx: TenantTx,
  queue: Queue,
  input: { contactId: string; language: Language },
): Promise<number> {
  let ended = 0;
  for (const s of await repo.listSubscriptionsOfContact(tx, input.contactId)) {
    if (s.status === 'unsubscribed') continue;
    const { changed } = await unsubscribe(tx, queue, {
      contactId: input.contactId,
      newsletterId: s.newsletterId,
      source: 'preferences',
      sourceRef: 'unsubscribe-all',
      byContact: true,
      language: input.language,
    });
    if (changed) ended += 1;
  }
  return ended;
}

/**
 * "Send me a link": counts the request against the email (at most MAX_LINK_REQUESTS per 15
 * minutes, known or not: 429 alike), then mails a fresh link to each contact with the address
 * (in one tenant, or in every tenant when none is named). The caller answers the same page
 * whether or not anything was sent.
 */
export async function requestPreferencesLink(
  db: Kysely<Tables>,
  queue: Queue,
  input: { email: string; tenantId: string | null; language: Language; baseUrl: string; secrets: SecretBox },
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const key = createHmac('sha256', input.secrets.deriveKey('consent-link-requests'))
    .update(email)
    .digest('hex');
  const { count, secondsLeft } = await repo.countLinkRequest(db, key, LINK_REQUEST_WINDOW_SECONDS);
  if (count > MAX_LINK_REQUESTS) {
    throw newslettersError(
      'CONSENT_LINK_REQUESTS_EXCEEDED',
      'Too many links were asked for this address; wait and try again.',
      undefined,
      { headers: { 'Retry-After': String(Math.max(1, secondsLeft)) } },
    );
  }
  const found = await repo.preferenceContacts(db, email, input.tenantId);
  for (const { tenantId, contactId } of found) {
    await withTenant(db, tenantId, async (tx) => {
      const contact = await tx
        .selectFrom('contact')
        .select(['email', 'language'])
        .where('id', '=', contactId)
        .executeTakeFirst();
      if (!contact?.email) return;
      const tenant = await tx.selectFrom('tenant').select('name').executeTakeFirstOrThrow();
      const language = languageOf(contact.language) ?? input.language;
      const mail = PREFERENCES_TEXTS[language].mail({
        tenant: tenant.name,
        link: preferencesUrl(input.baseUrl, input.secrets, tenantId, contactId),
        days: PREFERENCES_LINK_DAYS,
      });
      await queueMail(tx, queue, {
        key: `preferences-link:${contactId}:${randomUUID()}`,
        kind: 'transactional',
        to: { address: contact.email },
        subject: mail.subject,
        text: mail.text,
        contactId,
      });
    });
  }
}
