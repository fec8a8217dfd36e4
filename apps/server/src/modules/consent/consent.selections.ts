import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import {
  registerSelectionLeaf,
  registerSelectionSuppression,
  type SelectionCompiled,
} from '../contacts/index.ts';

/**
 * Consent in the filter language of selections (registered when this file is imported; the
 * module's index.ts imports it, before the app is built):
 *
 * - leaf `{ consent: <question key or id>, state: granted | refused | prohibited | none }` — the
 *   current answer: granted = dpv:ConsentGiven; refused = dpv:ConsentRefused or
 *   dpv:ConsentWithdrawn; prohibited = dpv:Prohibition; none = not answered. A question no one
 *   has (a typo) matches nobody, and `none` of it everybody — as tag names do.
 * - leaf `{ newsletter: <newsletter id>, status: pending | subscribed | unsubscribed | none }` —
 *   the subscription to a newsletter (the newsletters part's `subscription` table); none = no
 *   subscription row (never asked, or an unconfirmed request that expired).
 * - suppression `consent.prohibition` for marketing selections: a contact whose current answer
 *   to a question is a prohibition is in no marketing selection when the question covers every
 *   channel (`channel = any`, e.g. "do not contact me at all", "forget me") or is about direct
 *   marketing (`purpose = dpv:DirectMarketing`, any channel). A selection has no channel yet, so
 *   a channel-specific prohibition of direct marketing ("no brochures by post") excludes from
 *   every marketing selection too — the strict reading (privacy notes CON-01, DSR-01), to narrow
 *   by channel once campaigns say theirs. The prohibition of an archived question still counts.
 *
 * Each compiles to a set of contact ids read from an index that leads with tenant_id
 * (consent_record (tenant_id, question_id, state, contact_id); subscription (tenant_id,
 * newsletter_id, status, contact_id)) with uuid/text equality only, which is LEAKPROOF: the
 * index serves under row-level security. Parameters only.
 */

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

type Ids = RawBuilder<{ contactId: string }>;

const CONSENT_STATES = {
  granted: ['dpv:ConsentGiven'],
  refused: ['dpv:ConsentRefused', 'dpv:ConsentWithdrawn'],
  prohibited: ['dpv:Prohibition'],
} as const;

const inList = (values: readonly string[]) => sql`(${sql.join(values.map((v) => sql`${v}`))})`;

export type ConsentNode = { consent: string; state?: 'granted' | 'refused' | 'prohibited' | 'none' };

registerSelectionLeaf<ConsentNode, Map<string, string>>({
  key: 'consent',
  shape: {
    consent: z.string().min(1).max(100).describe('A consent question, by its key or its id'),
    state: z
      .enum(['granted', 'refused', 'prohibited', 'none'])
      .describe(
        'The current answer: granted (dpv:ConsentGiven), refused (refused or withdrawn), prohibited (dpv:Prohibition), none (not answered)',
      ),
  },
  describe: '{ consent: <question key or id>, state: granted | refused | prohibited | none }',
  check(node, env) {
    if (node.state === undefined) {
      env.invalid(`${env.path}.state`, 'is required: granted, refused, prohibited or none');
    }
  },
  async resolve(tx, nodes) {
    const refs = [...new Set(nodes.map((n) => n.consent))];
    const uuids = refs.filter((r) => z.uuid().safeParse(r).success);
    const { rows } = await sql<{ id: string; key: string }>`
      select id, key from consent_question
      where key = any(${sql.val(refs)}::text[]) or id = any(${sql.val(uuids)}::uuid[])`.execute(tx);
    const ids = new Map<string, string>();
    for (const row of rows) {
      ids.set(row.key, row.id);
      ids.set(row.id, row.id);
    }
    return ids;
  },
  compile(node, { resolved }): SelectionCompiled {
    const questionId = resolved.get(node.consent) ?? resolved.get(node.consent.toLowerCase());
    if (!questionId) return { kind: 'where', where: node.state === 'none' ? TRUE : FALSE };
    if (node.state === 'none' || node.state === undefined) {
      const answered: Ids = sql`select r.contact_id from consent_record r where r.question_id = ${questionId}::uuid`;
      return { kind: 'not', part: { kind: 'ids', ids: answered } };
    }
    const ids: Ids = sql`select r.contact_id from consent_record r
      where r.question_id = ${questionId}::uuid and r.state in ${inList(CONSENT_STATES[node.state])}`;
    return { kind: 'ids', ids };
  },
});

export type NewsletterNode = {
  newsletter: string;
  status?: 'pending' | 'subscribed' | 'unsubscribed' | 'none';
};

registerSelectionLeaf<NewsletterNode, undefined>({
  key: 'newsletter',
  shape: {
    newsletter: z.uuid().describe('A newsletter id'),
    status: z
      .enum(['pending', 'subscribed', 'unsubscribed', 'none'])
      .describe(
        'pending (double opt-in not confirmed yet), subscribed, unsubscribed, none (no subscription)',
      ),
  },
  describe: '{ newsletter: <id>, status: pending | subscribed | unsubscribed | none }',
  check(node, env) {
    if (node.status === undefined) {
      env.invalid(`${env.path}.status`, 'is required: pending, subscribed, unsubscribed or none');
    }
  },
  compile(node): SelectionCompiled {
    if (node.status === 'none' || node.status === undefined) {
      const any: Ids = sql`select s.contact_id from subscription s where s.newsletter_id = ${node.newsletter}::uuid`;
      return { kind: 'not', part: { kind: 'ids', ids: any } };
    }
    const ids: Ids = sql`select s.contact_id from subscription s
      where s.newsletter_id = ${node.newsletter}::uuid and s.status = ${node.status}`;
    return { kind: 'ids', ids };
  },
});

registerSelectionSuppression<string[]>({
  key: 'consent.prohibition',
  purposes: ['marketing'],
  describe:
    'A contact whose current answer is a prohibition of a question for every channel or about direct marketing',
  async resolve(tx) {
    const { rows } = await sql<{ id: string }>`
      select id from consent_question where channel = 'any' or purpose = 'dpv:DirectMarketing'`.execute(tx);
    return rows.map((r) => r.id);
  },
  compile({ resolved }): SelectionCompiled {
    if (resolved.length === 0) return { kind: 'where', where: FALSE };
    const ids: Ids = sql`select r.contact_id from consent_record r
      where r.question_id in (${sql.join(resolved.map((id) => sql`${id}::uuid`))}) and r.state = 'dpv:Prohibition'`;
    return { kind: 'ids', ids };
  },
});
