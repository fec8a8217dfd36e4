import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect over one PGlite instance that is safe under concurrency.
 *
 * PGlite is a single PostgreSQL session. A raw `BEGIN` sent through `query()` would make every
 * other caller's statements run inside that transaction (and roll back with it). So a Kysely
 * transaction here runs inside `pglite.transaction()`, which holds PGlite's exclusive lock for its
 * whole life: statements from other callers (plain `query()`, pg-boss) wait until it ends.
 * Savepoints (nested Kysely transactions) are plain SQL on the transaction's handle.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

type Deferred = { resolve: () => void; reject: (error: unknown) => void };

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  #tx: Transaction | undefined;
  #finish: Deferred | undefined;
  #done: Promise<void> | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.#tx) throw new Error('PGlite connection: a transaction is already open');
    const started = new Promise<void>((resolveStarted, rejectStarted) => {
      const finished = new Promise<void>((resolve, reject) => {
        this.#finish = { resolve, reject };
      });
      this.#done = this.#pglite
        .transaction(async (tx) => {
          this.#tx = tx;
          if (settings.isolationLevel || settings.accessMode) {
            const parts = [
              settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
              settings.accessMode ?? '',
            ].filter(Boolean);
            await tx.exec(`set transaction ${parts.join(' ')}`);
          }
          resolveStarted();
          await finished;
        })
        .catch((error: unknown) => {
          rejectStarted(error);
          throw error;
        });
      // The outcome is awaited in commit/rollback; keep an early failure from being unhandled.
      this.#done.catch(() => undefined);
    });
    await started;
  }

  async commit(): Promise<void> {
    await this.#end((deferred) => deferred.resolve());
  }

  async rollback(): Promise<void> {
    // Rejecting the callback makes PGlite issue ROLLBACK and release its lock.
    await this.#end((deferred) => deferred.reject(new RollbackSignal())).catch((error: unknown) => {
      if (!(error instanceof RollbackSignal)) throw error;
    });
  }

  async #end(settle: (deferred: Deferred) => void): Promise<void> {
    const finish = this.#finish;
    const done = this.#done;
    if (!finish || !done) throw new Error('PGlite connection: no transaction is open');
    this.#tx = undefined;
    this.#finish = undefined;
    this.#done = undefined;
    settle(finish);
    await done;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const target = this.#tx ?? this.#pglite;
    const result = await target.query<R>(compiledQuery.sql, [...compiledQuery.parameters], {
      rowMode: 'object',
    });
    const command = (result as { command?: string }).command;
    const writes =
      command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return {
      rows: result.rows,
      ...(writes && result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported on PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect: streaming queries are not supported');
  }
}

class RollbackSignal extends Error {
  constructor() {
    super('rollback');
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // A fresh handle per acquisition: only a handle that began a transaction routes its
    // statements into it; PGlite's own lock serialises everything else behind that transaction.
    return new PGliteConnection(this.#pglite);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).commit();
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).rollback();
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    // The PGlite instance belongs to whoever opened it (see database.ts); it closes it.
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
