import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ZodError } from 'zod';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createdTenantSchema, createTenant, getTenant } from './index.ts';

let database: TestDatabase;
before(async () => {
  database = await freshDatabase();
});
after(() => database.close());

test('createTenant returns tenantId, adminUserId and a one-time API token', async () => {
  const created = await createTenant(database.db, { name: 'Acme GmbH', adminEmail: 'Chefin@Acme.example' });
  createdTenantSchema.parse(created);
  assert.match(created.apiToken, /^ktr_[A-Za-z0-9_-]{43}$/);
  const tenant = await getTenant(database.db, created.tenantId);
  assert.equal(tenant?.name, 'Acme GmbH');
  const stored = await withTenant(database.db, created.tenantId, (tx) =>
    tx.selectFrom('apiToken').select(['tokenHash', 'userId']).executeTakeFirstOrThrow(),
  );
  assert.equal(stored.userId, created.adminUserId);
  assert.notEqual(stored.tokenHash, created.apiToken, 'only a hash is stored');
  const user = await withTenant(database.db, created.tenantId, (tx) =>
    tx.selectFrom('appUser').select('email').executeTakeFirstOrThrow(),
  );
  assert.equal(user.email, 'chefin@acme.example');
});

test('an admin password is stored as an argon2id hash', async () => {
  const created = await createTenant(database.db, {
    name: 'Pw AG',
    adminEmail: 'a@pw.example',
    adminPassword: 'correct horse battery',
  });
  const user = await withTenant(database.db, created.tenantId, (tx) =>
    tx.selectFrom('appUser').select('passwordHash').executeTakeFirstOrThrow(),
  );
  assert.match(user.passwordHash ?? '', /^\$argon2id\$/);
});

test('bad input is refused with the field named, and nothing is created', async () => {
  await assert.rejects(createTenant(database.db, { name: '', adminEmail: 'not-an-email' }), (e: unknown) => {
    assert.ok(e instanceof ZodError);
    assert.deepEqual(e.issues.map((i) => i.path.join('.')).sort(), ['adminEmail', 'name']);
    return true;
  });
  await assert.rejects(
    createTenant(database.db, { name: 'Short', adminEmail: 'a@b.example', adminPassword: 'short' }),
    ZodError,
  );
});
