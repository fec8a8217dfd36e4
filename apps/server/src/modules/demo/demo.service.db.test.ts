import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../test/support/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { verifyAuditChain } from '../audit/index.ts';
import { createContactSchema } from '../contacts/index.ts';
import { createDemoTenant, type DemoTenant } from './index.ts';

let ctx: TestContext;
let demo: DemoTenant;
let tookMs: number;

before(async () => {
  ctx = await testContext();
  const started = performance.now();
  demo = await createDemoTenant(ctx.database.db, { seed: 4711, now: new Date('2026-03-02T09:30:00Z') });
  tookMs = performance.now() - started;
});
after(() => ctx.close());

type Page = { items: Record<string, unknown>[]; nextCursor: string | null };

async function get(url: string): Promise<Page> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(demo.login.apiToken) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Page;
}

async function all(path: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await get(`${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

test(`by default: 3,000 persons, 375 companies, 200 timeline entries, custom fields and tags, in seconds (${TEST_DB_KIND})`, async (t) => {
  t.diagnostic(`3,000 contacts on ${TEST_DB_KIND}: ${Math.round(tookMs)} ms`);
  assert.deepEqual(demo.counts, {
    companies: 375,
    contacts: 3000,
    activities: 200,
    customFields: 9,
    tags: 8,
    consentQuestions: 5,
  });
  const counted = await withTenant(ctx.database.db, demo.login.tenantId, async (tx) => ({
    contacts: Number(
      (
        await tx
          .selectFrom('contact')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    companies: Number(
      (
        await tx
          .selectFrom('company')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    activities: Number(
      (await sql<{ n: number }>`select count(*)::int as n from activity`.execute(tx)).rows[0]?.n,
    ),
  }));
  assert.deepEqual(counted, { contacts: 3000, companies: 375, activities: 200 });
  const fields = (await get('/api/v1/custom-fields')).items.map((f) => `${f.objectType}.${f.key}`);
  assert.deepEqual(fields.sort(), [
    'company.flottengroesse',
    'company.kundennummer',
    'contact.interessen',
    'contact.kilometerstand',
    'contact.kraftstoff',
    'contact.letzter_service',
    'contact.marke',
    'contact.modell',
    'contact.probefahrt_gewuenscht',
  ]);
  const tags = await all('/api/v1/tags');
  const kunde = tags.find((tag) => tag.name === 'Kunde');
  assert.ok(Number(kunde?.contactCount) > 1000 && Number(kunde?.companyCount) > 100, JSON.stringify(kunde));
  for (const name of [
    'Interessent',
    'VIP',
    'Newsletter',
    'Messe 2026',
    'Partner',
    'Flottenkunde',
    'Lieferant',
  ])
    assert.ok(
      tags.some((tag) => tag.name === name),
      name,
    );
});

test('the printed API token works on /api/v1/contacts, and the JSON has exactly the documented keys', async () => {
  assert.deepEqual(Object.keys(demo.login).sort(), [
    'adminEmail',
    'adminPassword',
    'apiToken',
    'formId',
    'newsletterId',
    'tenantId',
  ]);
  assert.match(demo.login.formId, /^[0-9a-f-]{36}$/, 'the demo contact form');
  const form = (await get(`/api/v1/forms/${demo.login.formId}`)) as unknown as {
    status: string;
    definition: { languages: string[]; autoReply: { enabled: boolean } };
  };
  assert.equal(form.status, 'published');
  assert.deepEqual(form.definition.languages, ['de', 'en', 'fr']);
  assert.equal(form.definition.autoReply.enabled, true);
  const hosted = await ctx.app.inject({
    method: 'GET',
    url: `/public/forms/${demo.login.formId}/definition?lang=fr`,
  });
  assert.equal(hosted.json().title, 'Nous contacter', 'its public definition, in French');
  assert.match(demo.login.newsletterId, /^[0-9a-f-]{36}$/, 'the demo newsletter');
  assert.equal(demo.login.adminEmail, 'admin@demo-gmbh.example');
  assert.ok(demo.login.adminPassword.length >= 20, 'a generated strong password');
  const page = await get('/api/v1/contacts?limit=5');
  assert.equal(page.items.length, 5);
});

test('the demo has consent questions (a prohibition among them) and a newsletter with double opt-in and a welcome mail, and the demo form offers it and the email-promotion question', async () => {
  const stored = await withTenant(ctx.database.db, demo.login.tenantId, async (tx) => ({
    questions: (
      await sql<{ key: string; channel: string; purpose: string; polarities: string }>`
        select q.key, q.channel, q.purpose,
               (select string_agg(o->>'polarity', ',') from jsonb_array_elements(v.options) o) as polarities
          from consent_question q
          join consent_question_version v on v.question_id = q.id and v.version = q.current_version
         order by q.key`.execute(tx)
    ).rows,
    newsletters: (
      await sql<{ id: string; doubleOptIn: boolean; welcomeEnabled: boolean }>`
        select id, double_opt_in as "doubleOptIn", welcome_enabled as "welcomeEnabled" from newsletter`.execute(
        tx,
      )
    ).rows,
  }));
  assert.deepEqual(
    stored.questions.map((q) => [q.key, q.channel, q.purpose, q.polarities]),
    [
      ['email-promotions', 'email', 'dpv:DirectMarketing', 'grant,neutral'],
      ['email-tracking', 'email', 'dpv:ServiceUsageAnalytics', 'grant,neutral'],
      ['no-contact', 'any', 'dpv:DirectMarketing', 'prohibition,neutral'],
      ['phone-calls', 'phone', 'dpv:DirectMarketing', 'grant,neutral'],
      ['postal-brochures', 'postal', 'dpv:DirectMarketing', 'grant,neutral'],
    ],
  );
  assert.deepEqual(stored.newsletters, [
    { id: demo.login.newsletterId, doubleOptIn: true, welcomeEnabled: true },
  ]);

  const hosted = await ctx.app.inject({
    method: 'GET',
    url: `/public/forms/${demo.login.formId}/definition?lang=en`,
  });
  assert.equal(hosted.statusCode, 200, hosted.body);
  const definition = hosted.json() as {
    consentQuestions: { label: string; required: boolean; options: { key: string; polarity: string }[] }[];
    newsletters: { id: string; title: string }[];
  };
  assert.deepEqual(
    definition.newsletters.map((n) => [n.id, n.title]),
    [[demo.login.newsletterId, 'Car dealer news']],
  );
  assert.deepEqual(
    definition.consentQuestions.map((q) => [
      q.label,
      q.required,
      q.options.map((o) => `${o.key}:${o.polarity}`),
    ]),
    [['May we send you offers and news by email?', false, ['yes:grant', 'no:neutral']]],
  );
});

test('the admin signs in with the printed password (and not with another)', async () => {
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: demo.login.adminEmail, password: demo.login.adminPassword },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const me = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    cookies: Object.fromEntries(ok.cookies.map((c) => [c.name, c.value])),
  });
  assert.equal((me.json() as { tenantId: string }).tenantId, demo.login.tenantId);
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: demo.login.adminEmail, password: `${demo.login.adminPassword}x` },
  });
  assert.equal(wrong.statusCode, 401);
});

test('every stored person passes the API’s rules again, read back through the API', async () => {
  const contacts = await all('/api/v1/contacts');
  assert.equal(contacts.length, 3000);
  for (const c of contacts) {
    const { id, companyName, createdAt, updatedAt, customFields, ...body } = c;
    const parsed = createContactSchema.safeParse(body);
    assert.ok(parsed.success, `${String(id)}: ${JSON.stringify(parsed.error?.issues)}`);
    assert.equal(parsed.data.phone, body.phone ?? null, 'stored in E.164');
    assert.equal(parsed.data.iban, body.iban ?? null);
  }
  const companies = await all('/api/v1/companies');
  assert.equal(companies.length, 375);
  assert.ok(
    companies.every((c) => Number(c.contactCount) >= 1),
    'every company has someone',
  );
  const countries = new Map<string, number>();
  for (const c of contacts) countries.set(String(c.country), (countries.get(String(c.country)) ?? 0) + 1);
  for (const [country, share] of [
    ['DE', 57],
    ['CH', 26],
    ['AT', 9],
    ['FR', 6],
  ] as const) {
    const actual = (100 * (countries.get(country) ?? 0)) / 3000;
    assert.ok(Math.abs(actual - share) <= 1, `${country}: ${actual} %`);
  }
});

test('search finds umlaut names however they are typed: Müller, Mueller, muller', async () => {
  const page = await get(`/api/v1/contacts?q=${encodeURIComponent('Müller')}`);
  const muellers = page.items.filter((c) => c.lastName === 'Müller');
  assert.ok(muellers.length > 0, 'the demo has Müllers');
  for (const q of ['Mueller', 'muller', 'MULLER']) {
    const found = await get(`/api/v1/contacts?q=${encodeURIComponent(q)}`);
    assert.ok(
      found.items.some((c) => c.lastName === 'Müller'),
      `${q} finds Müller`,
    );
  }
  const other = page.items.find((c) => typeof c.firstName === 'string');
  assert.ok(other);
  const umlaut = (await all('/api/v1/contacts')).find(
    (c) => typeof c.lastName === 'string' && /[öä]/.test(c.lastName) && c.lastName !== 'Müller',
  );
  assert.ok(umlaut, 'a name with ö or ä');
  const folded = String(umlaut.lastName).replace(/ö/g, 'oe').replace(/ä/g, 'ae');
  const found = await get(
    `/api/v1/contacts?q=${encodeURIComponent(`${String(umlaut.firstName)} ${folded}`)}`,
  );
  assert.ok(
    found.items.some((c) => c.id === umlaut.id),
    `${folded} finds ${String(umlaut.lastName)}`,
  );
});

test('timeline entries are on the persons’ timelines, written by the admin', async () => {
  const rows = await withTenant(ctx.database.db, demo.login.tenantId, (tx) =>
    sql<{ contactId: string; kind: string; createdBy: string | null }>`
      select contact_id as "contactId", kind, created_by as "createdBy" from activity`.execute(tx),
  ).then((r) => r.rows);
  assert.equal(rows.length, 200);
  assert.ok(rows.every((r) => r.createdBy === demo.adminUserId));
  assert.deepEqual([...new Set(rows.map((r) => r.kind))].sort(), ['call', 'meeting', 'note']);
  const first = rows[0];
  assert.ok(first);
  const timeline = await get(`/api/v1/contacts/${first.contactId}/activities`);
  assert.ok(timeline.items.length >= 1);
});

test('audited like a tenant creation: a summary with the counts, one entry per batch of persons, and the chain holds', async () => {
  const entries = await withTenant(ctx.database.db, demo.login.tenantId, (tx) =>
    tx.selectFrom('auditLog').select(['action', 'actorKind', 'changes']).orderBy('seq').execute(),
  );
  const actions = entries.map((e) => e.action);
  assert.equal(actions[0], 'tenant.created');
  assert.equal(actions.filter((a) => a === 'custom_field.created').length, 9);
  assert.equal(actions.filter((a) => a === 'company.created').length, 375);
  assert.equal(actions.filter((a) => a === 'contact.imported').length, 3, 'batches of 1,000');
  assert.equal(actions.filter((a) => a === 'activity.created').length, 200);
  const summary = entries.find((e) => e.action === 'demo_data.created');
  assert.equal(summary?.actorKind, 'cli');
  assert.ok(summary);
  const after = (summary.changes as { after: Record<string, unknown> }).after;
  assert.equal(after.contacts, 3000);
  assert.equal(after.seed, 4711);
  const imported = entries.find((e) => e.action === 'contact.imported');
  assert.ok(imported);
  const fields = (imported.changes as { fields: string[] }).fields;
  assert.ok(fields.includes('lastName') && fields.includes('iban') && fields.includes('customFields.marke'));
  assert.ok(!JSON.stringify(entries).includes('Müller'), 'no personal values in the audit log');
  const verified = await verifyAuditChain(ctx.database, demo.login.tenantId);
  assert.ok(verified.ok);
});

test('bad options are refused naming the option, and nothing is created', async () => {
  for (const [options, path] of [
    [{ contacts: 0 }, 'contacts'],
    [{ contacts: 100_001 }, 'contacts'],
    [{ contacts: 1.5 }, 'contacts'],
    [{ adminEmail: 'nope' }, 'adminEmail'],
    [{ adminPassword: 'short' }, 'adminPassword'],
    [{ name: ' ' }, 'name'],
  ] as const) {
    await assert.rejects(createDemoTenant(ctx.database.db, options), (e: unknown) => {
      assert.ok(e instanceof ZodError);
      assert.deepEqual(
        e.issues.map((i) => i.path.join('.')),
        [path],
      );
      return true;
    });
  }
});
