import { sql, type Transaction } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Keyset } from '../../kernel/http/pagination.ts';
import type { DocumentsTables } from './documents.tables.ts';

/**
 * Kysely only, no rules. Every function takes the tenant's transaction: row-level security
 * limits each query to the tenant, and to the principal's contact scope.
 */
type Db = Transaction<Tables & DocumentsTables>;

function own(tx: TenantTx): Db {
  return tx.$extendTables<DocumentsTables>();
}

export type Parent = { kind: 'contact' | 'company'; id: string };

export type DocumentRow = {
  id: string;
  contactId: string | null;
  companyId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  blobKey: string;
  uploadedBy: string | null;
  createdAt: Date;
  cursorTs: string;
};

const COLUMNS = [
  'id',
  'contactId',
  'companyId',
  'fileName',
  'contentType',
  'size',
  'sha256',
  'blobKey',
  'uploadedBy',
  'createdAt',
] as const;

const cursorTs = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function findDocument(tx: TenantTx, id: string): Promise<DocumentRow | undefined> {
  return own(tx)
    .selectFrom('document')
    .select([...COLUMNS, cursorTs.as('cursorTs')])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of a person's or a company's documents, newest first (`limit + 1` rows). */
export async function listDocuments(
  tx: TenantTx,
  parent: Parent,
  page: { limit: number; after: Keyset | undefined },
): Promise<DocumentRow[]> {
  let query = own(tx)
    .selectFrom('document')
    .select([...COLUMNS, cursorTs.as('cursorTs')])
    .where(parent.kind === 'contact' ? 'contactId' : 'companyId', '=', parent.id)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    const { t, i } = page.after;
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '<', sql<Date>`${t}::timestamptz`),
        eb.and([eb('createdAt', '=', sql<Date>`${t}::timestamptz`), eb('id', '<', i)]),
      ]),
    );
  }
  return query.execute();
}

export type NewDocument = {
  tenantId: string;
  parent: Parent;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  blobKey: string;
  uploadedBy: string;
};

export async function insertDocument(tx: TenantTx, doc: NewDocument): Promise<DocumentRow> {
  return own(tx)
    .insertInto('document')
    .values({
      tenantId: doc.tenantId,
      contactId: doc.parent.kind === 'contact' ? doc.parent.id : null,
      companyId: doc.parent.kind === 'company' ? doc.parent.id : null,
      fileName: doc.fileName,
      contentType: doc.contentType,
      size: doc.size,
      sha256: doc.sha256,
      blobKey: doc.blobKey,
      uploadedBy: doc.uploadedBy,
    })
    .returning([...COLUMNS, cursorTs.as('cursorTs')])
    .executeTakeFirstOrThrow();
}

export async function deleteDocument(tx: TenantTx, id: string): Promise<boolean> {
  const result = await own(tx).deleteFrom('document').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
