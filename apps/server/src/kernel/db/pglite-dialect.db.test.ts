import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from './database.ts';

// These tests pin our own PGlite dialect, so they run on PGlite whatever DATABASE_URL says.
let database: Database;

before(async () => {
  database = await openDatabase({ kind: 'pglite-memory' });
  await database.asOwner(async (s) => {
    await s.exec(`CREATE TABLE probe (id serial PRIMARY KEY, label text NOT NULL);
      GRANT SELECT, INSERT, UPDATE, DELETE ON probe TO kontor_app;
      GRANT USAGE ON SEQUENCE probe_id_seq TO kontor_app;`);
  });
});
after(() => database.close());

async function labels(): Promise<string[]> {
  const rows = await sql<{ label: string }>`select label from probe order by id`.execute(database.db);
  return rows.rows.map((r) => r.label);
}

async function insert(label: string) {
  await sql`insert into probe (label) values (${label})`.execute(database.db);
}

test('an unrelated insert survives a concurrent transaction that rolls back', async () => {
  await sql`delete from probe`.execute(database.db);
  let release!: () => void;
  const holding = new Promise<void>((r) => {
    release = r;
  });
  const failing = database.db
    .transaction()
    .execute(async (tx) => {
      await sql`insert into probe (label) values ('inside')`.execute(tx);
      await holding;
      throw new Error('roll back');
    })
    .catch((e: Error) => e.message);
  // Issued while the transaction is open: it must not become part of it.
  const outside = insert('outside');
  await new Promise((r) => setTimeout(r, 20));
  release();
  assert.equal(await failing, 'roll back');
  await outside;
  assert.deepEqual(await labels(), ['outside']);
});

test('a committed transaction keeps all of its writes', async () => {
  await sql`delete from probe`.execute(database.db);
  await database.db.transaction().execute(async (tx) => {
    await sql`insert into probe (label) values ('a')`.execute(tx);
    await sql`insert into probe (label) values ('b')`.execute(tx);
  });
  assert.deepEqual(await labels(), ['a', 'b']);
});

test('concurrent transactions are serialised, not interleaved', async () => {
  await sql`delete from probe`.execute(database.db);
  const order: string[] = [];
  await Promise.all(
    ['t1', 't2', 't3'].map((name) =>
      database.db.transaction().execute(async (tx) => {
        order.push(`${name}:begin`);
        await sql`insert into probe (label) values (${name})`.execute(tx);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name}:end`);
      }),
    ),
  );
  for (let i = 0; i < order.length; i += 2) {
    assert.equal(order[i]?.split(':')[0], order[i + 1]?.split(':')[0], `interleaved: ${order.join(', ')}`);
  }
  assert.equal((await labels()).length, 3);
});

test('a failing statement inside a transaction rolls the whole transaction back', async () => {
  await sql`delete from probe`.execute(database.db);
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      await sql`insert into probe (label) values ('kept?')`.execute(tx);
      await sql`insert into probe (label) values (null)`.execute(tx);
    }),
    /null value/,
  );
  assert.deepEqual(await labels(), []);
  await insert('after');
  assert.deepEqual(await labels(), ['after']);
});

test('savepoints roll back only the nested part', async () => {
  await sql`delete from probe`.execute(database.db);
  const trx = await database.db.startTransaction().execute();
  await sql`insert into probe (label) values ('outer')`.execute(trx);
  const sp = await trx.savepoint('inner').execute();
  await sql`insert into probe (label) values ('inner')`.execute(sp);
  await sp.rollbackToSavepoint('inner').execute();
  await trx.commit().execute();
  assert.deepEqual(await labels(), ['outer']);
});

test('Kysely reports affected rows for writes', async () => {
  await sql`delete from probe`.execute(database.db);
  await insert('x');
  await insert('y');
  const result = await sql`update probe set label = 'z'`.execute(database.db);
  assert.equal(result.numAffectedRows, 2n);
});
