import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { recordAudit } from '../audit/index.ts';
import {
  contactCustomFields,
  createCompanies,
  createCompanySchema,
  createCustomFieldSchema,
  createDefinition,
  importContacts,
  type PreparedContact,
  prepareContactRow,
} from '../contacts/index.ts';
import { createForm } from '../forms/index.ts';
import { authenticateApiToken } from '../identity/index.ts';
import { createTenant } from '../tenants/index.ts';
import { recordActivity } from '../timeline/index.ts';
import { createDemoConsent } from './demo.consent.ts';
import { asciiFold, type DemoData, generateDemoData } from './demo.data.ts';
import { demoForm } from './demo.form.ts';

/**
 * `kontor demo`: a tenant with realistic data to try Kontor on. The tenant, its admin (with a
 * password and an API token) come from createTenant(), exactly as `kontor tenant create` makes
 * them; then, in one transaction acting as that admin, the custom fields, companies, persons,
 * tags and timeline entries go in through the contacts and timeline modules' own functions, so
 * every record passes the rules the API applies.
 */

export const MAX_DEMO_CONTACTS = 100_000;
export const DEFAULT_DEMO_CONTACTS = 3000;
const MAX_SEED = 2 ** 31 - 1;
/** Persons per importContacts() call: one set-based write per batch. */
const BATCH = 1000;

export const demoOptionsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .default('Demo GmbH'),
  contacts: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_DEMO_CONTACTS, `must be at most ${MAX_DEMO_CONTACTS}`)
    .default(DEFAULT_DEMO_CONTACTS),
  seed: z
    .number()
    .int('must be a whole number')
    .min(0)
    .max(MAX_SEED, `must be at most ${MAX_SEED}`)
    .optional(),
  adminEmail: z.email('must be an email address').max(320).optional(),
  adminPassword: z.string().min(12, 'must have at least 12 characters').max(1000).optional(),
  /** The reference moment of the generated dates (default: now). */
  now: z.date().optional(),
  /** The server's public URL (KONTOR_BASE_URL), for links the consent module makes. */
  baseUrl: z.string().max(500).default('http://localhost:3000'),
});
export type DemoOptions = z.input<typeof demoOptionsSchema>;

/** What `kontor demo --json` prints (API.md). */
export type DemoLogin = {
  tenantId: string;
  apiToken: string;
  adminEmail: string;
  adminPassword: string;
  /** The published demo contact form (with an automatic reply). */
  formId: string;
  /** The demo newsletter (double opt-in, welcome mail on), offered by the demo form. */
  newsletterId: string;
};

export type DemoCounts = {
  companies: number;
  contacts: number;
  activities: number;
  customFields: number;
  tags: number;
  consentQuestions: number;
};

export type DemoTenant = { login: DemoLogin; seed: number; adminUserId: string; counts: DemoCounts };

/** A strong password for the demo admin: 144 random bits, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Something went wrong after the tenant was created: say which tenant stays without data. */
export class DemoDataError extends Error {
  constructor(
    readonly tenantId: string,
    cause: unknown,
  ) {
    super(
      `tenant ${tenantId} was created, but its demo data was not (nothing of it was written): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}

export async function createDemoTenant(db: Kysely<Tables>, raw: DemoOptions = {}): Promise<DemoTenant> {
  const options = demoOptionsSchema.parse(raw);
  const seed = options.seed ?? randomInt(0, MAX_SEED);
  const adminPassword = options.adminPassword ?? generatePassword();
  const slug =
    asciiFold(options.name)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'demo';
  const adminEmail = options.adminEmail ?? `admin@${slug}.example`;
  const data = generateDemoData({ contacts: options.contacts, seed, now: options.now ?? new Date() });
  // The rules that need no tenant are checked before one is made: a generator bug creates nothing.
  assertCompaniesValid(data);

  const created = await createTenant(db, {
    name: options.name,
    adminEmail,
    adminPassword,
    defaultLanguage: 'de',
  });
  const principal = await authenticateApiToken(db, created.apiToken);
  if (!principal) throw new Error('the API token of the new tenant does not authenticate');
  let counts: DemoCounts;
  let formId: string;
  let newsletterId: string;
  try {
    ({ counts, formId, newsletterId } = await withPrincipal(db, principal, async (tx) => {
      // Questions and newsletter first: the summary audit entry counts them, the form offers them.
      const consent = await createDemoConsent(tx, principal, options.baseUrl);
      const counts = await fill(tx, principal, data, seed, Object.keys(consent.questionIds).length);
      const form = await createForm(
        tx,
        principal,
        demoForm(created.adminUserId, {
          newsletterId: consent.newsletterId,
          emailPromotionsQuestionId: consent.questionIds['email-promotions'] as string,
        }),
      );
      return { counts, formId: form.id, newsletterId: consent.newsletterId };
    }));
  } catch (error) {
    throw new DemoDataError(created.tenantId, error);
  }
  return {
    login: {
      tenantId: created.tenantId,
      apiToken: created.apiToken,
      adminEmail: adminEmail.trim().toLowerCase(),
      adminPassword,
      formId,
      newsletterId,
    },
    seed,
    adminUserId: created.adminUserId,
    counts,
  };
}

function assertCompaniesValid(data: DemoData): void {
  data.companies.forEach((body, i) => {
    const parsed = createCompanySchema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new Error(`demo company ${i} does not pass validation (${where})`);
    }
  });
}

async function fill(
  tx: TenantTx,
  principal: Principal,
  data: DemoData,
  seed: number,
  consentQuestions: number,
): Promise<DemoCounts> {
  for (const field of data.customFields) {
    await createDefinition(tx, principal, createCustomFieldSchema.parse(field));
  }

  // Companies set-based, each checked and audited as POST /api/v1/companies would.
  const companyIds: string[] = [];
  for (let start = 0; start < data.companies.length; start += BATCH) {
    companyIds.push(...(await createCompanies(tx, principal, data.companies.slice(start, start + BATCH))));
  }

  // Persons set-based through the import's functions: the same rules, one write per batch.
  const definitions = await contactCustomFields(tx);
  const contactIds: string[] = [];
  for (let start = 0; start < data.contacts.length; start += BATCH) {
    const rows: PreparedContact[] = [];
    data.contacts.slice(start, start + BATCH).forEach((contact, offset) => {
      const ref = start + offset;
      const companyId = contact.company === null ? null : (companyIds[contact.company] ?? null);
      const prepared = prepareContactRow(ref, { ...contact.body, companyId }, definitions);
      if (!prepared.ok) {
        const where = prepared.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
        throw new Error(`demo contact ${ref} does not pass validation (${where})`);
      }
      rows.push(prepared.row);
    });
    const result = await importContacts(
      tx,
      { tenantId: principal.tenantId, contactScope: principal.contactScope },
      rows,
      { dedupe: 'create', definitions },
    );
    for (const outcome of result.outcomes) {
      if (outcome.outcome !== 'created') {
        const why =
          outcome.outcome === 'failed'
            ? outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; ')
            : outcome.outcome;
        throw new Error(`demo contact ${outcome.ref} was not created (${why})`);
      }
      contactIds.push(outcome.contactId);
    }
    // One entry per batch, as the import writes: the field names, never values.
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      actor: { kind: 'cli' },
      action: 'contact.imported',
      entityType: 'demo_data',
      entityId: principal.tenantId,
      changes: { kind: 'personal-data', fields: result.fields },
    });
  }

  for (const activity of data.activities) {
    const { contact, ...entry } = activity;
    await recordActivity(tx, principal, {
      ...entry,
      contactId: contactIds[contact] as string,
      source: 'staff',
    });
  }

  const tags = [
    ...new Set([...data.companies.flatMap((c) => c.tags), ...data.contacts.flatMap((c) => c.body.tags)]),
  ].sort();
  const counts: DemoCounts = {
    companies: companyIds.length,
    contacts: contactIds.length,
    activities: data.activities.length,
    customFields: data.customFields.length,
    tags: tags.length,
    consentQuestions,
  };
  await recordAudit(tx, {
    tenantId: principal.tenantId,
    actor: { kind: 'cli' },
    action: 'demo_data.created',
    entityType: 'tenant',
    entityId: principal.tenantId,
    changes: {
      kind: 'settings',
      before: null,
      after: { seed, ...counts, tagNames: tags, customFieldKeys: data.customFields.map((f) => f.key) },
    },
  });
  return counts;
}
