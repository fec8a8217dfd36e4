import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  CamelCasePlugin,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { FULL_ACCESS } from '../../privacy/index.ts';
import { checkFilter, filterCondition, filterOutline, type PreparedFilter } from './selections.compile.ts';
import { type FieldSpec, fieldCatalog } from './selections.fields.ts';
import type { SelectionDb, SelectionSuppression } from './selections.leaf.ts';
import { type FilterNode, filterSchema } from './selections.schema.ts';

// Compiles filters to SQL without a database (Kysely's dummy driver): the SQL reviewers read in
// selections.queries.sql is what the code generates, or this test fails.

const db = new Kysely<SelectionDb>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
});

const TAG = {
  vip: '00000000-0000-4000-8000-00000000a001',
  newsletter: '00000000-0000-4000-8000-00000000a002',
  kunde: '00000000-0000-4000-8000-00000000a003',
};
const SCORE: FieldSpec = {
  name: 'customFields.score',
  type: 'number',
  category: 'custom',
  source: {
    kind: 'custom',
    field: {
      id: '00000000-0000-4000-8000-00000000f001',
      key: 'score',
      objectType: 'contact',
      type: 'number',
    },
  },
};
const INTERESTS: FieldSpec = {
  name: 'customFields.interests',
  type: 'multiSelect',
  category: 'custom',
  options: ['ski', 'wine', 'golf'],
  source: {
    kind: 'custom',
    field: {
      id: '00000000-0000-4000-8000-00000000f002',
      key: 'interests',
      objectType: 'contact',
      type: 'multi_select',
    },
  },
};
const fields = fieldCatalog([SCORE, INTERESTS]);

function prepared(filter: FilterNode): PreparedFilter {
  const parsed = filterSchema.parse(filter);
  const problems = checkFilter(parsed, { fields, fieldAccess: FULL_ACCESS });
  assert.deepEqual([...problems.invalid, ...problems.forbidden], []);
  return { filter: parsed, fields, resolved: new Map([['tag', new Map(Object.entries(TAG))]]) };
}

function countSql(filter: FilterNode) {
  return db
    .selectFrom('contact')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) => filterCondition(prepared(filter), eb))
    .compile();
}

/** Line breaks before and/or and subqueries, indented by parenthesis depth; strings kept. */
function format(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  const indent = () => `\n${'  '.repeat(depth + 1)}`;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === "'") quoted = !quoted;
    if (!quoted) {
      if (c === '(') depth += 1;
      if (c === ')') depth -= 1;
      const rest = text.slice(i);
      const word = [' and ', ' or ', ' union all ', ' intersect '].find((w) => rest.startsWith(w));
      if (word) {
        out += `${indent()}${word.trim()}`;
        i += word.length - 2;
        continue;
      }
      if (rest.startsWith('(select ')) {
        out += `(${indent().slice(0, -2)}select`;
        i += 'select'.length;
        continue;
      }
      if (c === ' ' && rest.startsWith(' where ')) {
        out += `${indent().slice(0, -2)}where`;
        i += ' where'.length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

const REPRESENTATIVE: [string, FilterNode][] = [
  [
    'The benchmark filter: two tags, a custom field and a city. The sets of ids (tags, custom field) become semi-joins the planner can intersect from their indexes; the folded city is tested on the rows that remain.',
    {
      all: [
        { tag: { hasAll: ['Newsletter', 'Kunde'] } },
        { field: 'customFields.score', op: 'gte', value: 80 },
        { field: 'city', op: 'eq', value: 'Zürich' },
      ],
    },
  ],
  [
    'Folded text: contains and startsWith fold the value as search does; LIKE wildcards in the value are escaped.',
    {
      any: [
        { field: 'lastName', op: 'contains', value: 'Mül_%' },
        { field: 'company.name', op: 'startsWith', value: 'Bäckerei' },
      ],
    },
  ],
  [
    'Sets of ids in an any: one UNION ALL, still a semi-join.',
    {
      any: [
        { tag: { hasAny: ['VIP', 'Kunde'] } },
        { field: 'customFields.interests', op: 'hasAll', value: ['ski', 'wine'] },
      ],
    },
  ],
  [
    'Negations: NOT EXISTS (anti-joins) for sets of ids; a not of a row condition is two-valued (no value: the not holds).',
    {
      all: [
        { tag: { hasNone: ['VIP'] } },
        { field: 'customFields.score', op: 'neq', value: 50 },
        { not: { field: 'city', op: 'in', value: ['Basel', 'Bern'] } },
      ],
    },
  ],
  [
    'Dates: a date on a timestamp is that whole UTC day; relative ranges use the database clock.',
    {
      all: [
        { field: 'createdAt', op: 'between', value: ['2026-01-01', '2026-03-31'] },
        { field: 'updatedAt', op: 'withinLast', value: 30 },
        { field: 'birthday', op: 'inMonth', value: 12 },
        { company: { exists: true } },
      ],
    },
  ],
];

const SNAPSHOT = new URL('./selections.queries.sql', import.meta.url);

test('the generated SQL of representative filters is the one committed in selections.queries.sql', () => {
  const text = [
    '-- Generated by selections.compile.test.ts from the filters in each comment; do not edit by hand.',
    '-- Regenerate: UPDATE_SNAPSHOTS=1 node --import tsx --test apps/server/src/modules/contacts/selections/selections.compile.test.ts',
    '-- Row-level security adds tenant_id = kontor_current_tenant() (and the contact scope) to every table.',
    '',
    ...REPRESENTATIVE.flatMap(([title, filter]) => {
      const compiled = countSql(filter);
      return [
        `-- ${title}`,
        `-- ${JSON.stringify(filter)}`,
        ...compiled.parameters.map((p, i) => `--   $${i + 1} = ${JSON.stringify(p)}`),
        `${format(compiled.sql.replace(/\s+/g, ' '))};`,
        '',
      ];
    }),
  ].join('\n');
  if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(SNAPSHOT, text);
  assert.equal(text, readFileSync(SNAPSHOT, 'utf8'));
});

test('values are parameters, never part of the SQL text', () => {
  const compiled = countSql({
    all: [
      { field: 'city', op: 'eq', value: "Zürich'; drop table contact; --" },
      { field: 'customFields.score', op: 'in', value: [1, 2] },
    ],
  });
  assert.ok(!compiled.sql.includes('drop table'));
  assert.ok(compiled.parameters.includes("Zürich'; drop table contact; --"));
});

test('each field type takes its own operators and values; each problem is named by its path', () => {
  const check = (filter: FilterNode) => {
    const parsed = filterSchema.parse(filter);
    return checkFilter(parsed, { fields, fieldAccess: FULL_ACCESS }).invalid.map(
      (e) => `${e.path}: ${e.message}`,
    );
  };
  assert.deepEqual(
    check({
      all: [
        { field: 'customFields.score', op: 'contains', value: '5' },
        { field: 'customFields.score', op: 'eq', value: '5' },
        { field: 'customFields.interests', op: 'hasAny', value: ['chess'] },
        { field: 'country', op: 'eq', value: 'Germany' },
        { field: 'paymentMethod', op: 'in', value: ['invoice', 'cheque'] },
        { field: 'birthday', op: 'between', value: ['2000-01-01', '1990-01-01'] },
        { field: 'birthday', op: 'inMonth', value: 13 },
        { field: 'createdAt', op: 'isEmpty' },
        { tag: { hasAll: ['A'], hasNone: ['B'] } },
      ],
    }),
    [
      'filter.all.0.op: customFields.score is a number field: use one of eq, neq, lt, lte, gt, gte, between, in, isEmpty, isNotEmpty',
      'filter.all.1.value: must be a number',
      'filter.all.2.value: item 0 must be one of ski, wine, golf',
      'filter.all.3.value: must be an ISO 3166-1 alpha-2 country code, e.g. DE',
      'filter.all.4.value: item 1 must be one of invoice, sepa_direct_debit, card, cash, bank_transfer, other',
      'filter.all.5.value: from must not be after to',
      'filter.all.6.value: must be a month, 1 to 12',
      'filter.all.7.op: createdAt is a timestamp field: use one of eq, lt, lte, gt, gte, before, after, between, withinLast',
      'filter.all.8.tag: takes exactly one of hasAll, hasAny, hasNone',
    ],
  );
});

test('field access: hidden categories are refused, masked ones only for presence', () => {
  const access = { ...FULL_ACCESS, billing: 'masked' as const, notes: 'none' as const };
  const parsed = filterSchema.parse({
    all: [
      { field: 'iban', op: 'isNotEmpty' },
      { field: 'iban', op: 'startsWith', value: 'DE' },
      { field: 'notes', op: 'isEmpty' },
      { field: 'company.vatId', op: 'eq', value: 'DE123456789' },
      { field: 'company.name', op: 'eq', value: 'ACME' },
    ],
  });
  const { forbidden, invalid } = checkFilter(parsed, { fields, fieldAccess: access });
  assert.deepEqual(invalid, []);
  assert.deepEqual(
    forbidden.map((e) => e.path),
    ['filter.all.1.field', 'filter.all.2.field', 'filter.all.3.field'],
  );
});

test('the audit outline names the fields a filter tests, not its values', () => {
  assert.deepEqual(
    filterOutline({
      all: [
        { field: 'email', op: 'eq', value: 'a@example.com' },
        { not: { tag: { hasAll: ['VIP'] } } },
        { company: { exists: true } },
      ],
    }),
    ['company', 'email', 'tag'],
  );
});

test("a suppression of the selection's purpose takes its contacts out of what the filter matches: NOT EXISTS", () => {
  // Not registered (the registry is global): handed to the compiler as prepareFilter would.
  const suppression: SelectionSuppression = {
    key: 'test.kunde',
    purposes: ['marketing'],
    describe: 'customers are never advertised to (test)',
    compile: ({ eb }) => ({
      kind: 'ids',
      ids: eb
        .selectFrom('contactTag')
        .select('contactTag.contactId')
        .where('contactTag.tagId', '=', TAG.kunde),
    }),
  };
  const compiled = db
    .selectFrom('contact')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) =>
      filterCondition(
        { ...prepared({ tag: { hasAll: ['VIP'] } }), suppressions: [{ suppression, resolved: undefined }] },
        eb,
      ),
    )
    .compile();
  assert.equal(
    compiled.sql,
    'select count(*) as "n" from "contact" where (contact.id in ((select "contact_tag"."contact_id" from "contact_tag" where "contact_tag"."tag_id" = $1))' +
      ' and not exists (select 1 from ((select "contact_tag"."contact_id" from "contact_tag" where "contact_tag"."tag_id" = $2)) as s where s.contact_id = contact.id))',
  );
  assert.deepEqual(compiled.parameters, [TAG.vip, TAG.kunde]);
});
