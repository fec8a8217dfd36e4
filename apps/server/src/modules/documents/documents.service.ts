import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { BlobNotFoundError, type BlobStore, newBlobKey } from '../../kernel/blob/blob-store.ts';
import { discardBlob, reserveBlobKey } from '../../kernel/blob/sweep.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import { type Action, rightOf } from '../../kernel/http/access.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import type { Logger } from '../../kernel/logger.ts';
import { auditActorOf, recordAudit } from '../audit/index.ts';
import { getCompany, getContact } from '../contacts/index.ts';
import { getUser } from '../identity/index.ts';
import { recordAccess } from '../privacy/index.ts';
import { documentsError, documentTooLarge } from './documents.errors.ts';
import { maskFileName, SNIFF_BYTES, sanitiseFileName, sniffContentType } from './documents.files.ts';
import * as repo from './documents.repository.ts';
import type { Document } from './documents.schema.ts';

/**
 * Use cases of documents. Reads run in the caller's tenant transaction (opened with the
 * principal, so the contact scope applies) and go to the access log as reads of the person or
 * company; uploads and deletions are audited by document id and field names — a file name is
 * personal data and never leaves the document row.
 */

export type Parent = repo.Parent;
export type Page<T> = { items: T[]; nextCursor: string | null };

/** What the service needs beyond a transaction (uploads open their own, around the blob write). */
export type DocumentsDeps = {
  db: Kysely<Tables>;
  blobs: BlobStore;
  logger: Logger;
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
};

/**
 * One uploaded file as the HTTP layer hands it over: its name as sent, its bytes, and a check
 * that nothing else came with it. Errors of the request itself (a limit, a broken body) arrive
 * as AppErrors from `chunks` and `finish`.
 */
export type UploadSource = {
  fileName: string | undefined;
  chunks: AsyncIterator<Buffer>;
  /** The parser cut the file at its size limit. */
  truncated(): boolean;
  /** Resolves when the request holds no further part; throws when it does. */
  finish(): Promise<void>;
};

// -- access -------------------------------------------------------------------------------------

function areaOf(parent: Parent) {
  return parent.kind === 'contact' ? ('contacts' as const) : ('companies' as const);
}

/** A company's documents need the companies right, a person's the contacts right. */
function assertParentRight(principal: Principal, parent: Parent, action: Action): void {
  if (!principal.rights.has(rightOf(areaOf(parent), action))) {
    throw documentsError(
      'DOCUMENTS_FORBIDDEN',
      `This needs the right ${areaOf(parent)}:${action}, which your roles do not give.`,
    );
  }
}

function assertMaySeeDocuments(principal: Principal): void {
  if (principal.fieldAccess.documents === 'none') {
    throw documentsError('DOCUMENTS_HIDDEN', 'Your roles do not show documents.');
  }
}

function assertMayDownload(principal: Principal): void {
  if (principal.fieldAccess.documents !== 'full') {
    throw documentsError(
      'DOCUMENTS_HIDDEN',
      'Your roles show documents only masked or not at all, so you cannot download them.',
    );
  }
}

/** The document as this principal may see it: the file name in full, masked or not at all. */
export function presentDocument(principal: Principal, document: Document): Document {
  const level = principal.fieldAccess.documents;
  if (level === 'full' || document.fileName === null) return document;
  return { ...document, fileName: level === 'masked' ? maskFileName(document.fileName) : null };
}

async function assertParent(tx: TenantTx, parent: Parent): Promise<void> {
  // The owners' look-ups: 404 for a person or company that is not there, of another tenant or
  // (persons) outside the principal's scope.
  if (parent.kind === 'contact') await getContact(tx, parent.id);
  else await getCompany(tx, parent.id);
}

function parentOf(row: repo.DocumentRow): Parent {
  return row.contactId
    ? { kind: 'contact', id: row.contactId }
    : { kind: 'company', id: row.companyId as string };
}

async function logRead(tx: TenantTx, principal: Principal, parent: Parent, purpose: string): Promise<void> {
  await recordAccess(tx, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    recordType: parent.kind,
    recordIds: [parent.id],
    purpose,
    kind: 'read',
  });
}

async function audit(
  tx: TenantTx,
  principal: Principal,
  action: 'document.created' | 'document.deleted',
  row: repo.DocumentRow,
): Promise<void> {
  await recordAudit(tx, {
    tenantId: principal.tenantId,
    actor: auditActorOf(principal),
    action,
    entityType: 'document',
    entityId: row.id,
    changes: {
      kind: 'personal-data',
      fields: [row.contactId ? 'contactId' : 'companyId', 'fileName', 'contentType', 'size', 'sha256'],
    },
  });
}

// -- records ------------------------------------------------------------------------------------

async function uploadersOf(
  tx: TenantTx,
  rows: repo.DocumentRow[],
): Promise<Map<string, Document['uploadedBy']>> {
  const uploaders = new Map<string, Document['uploadedBy']>();
  for (const userId of new Set(rows.flatMap((r) => (r.uploadedBy ? [r.uploadedBy] : [])))) {
    try {
      const user = await getUser(tx, userId);
      uploaders.set(userId, { userId, email: user.email });
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'not_found')) throw error;
      uploaders.set(userId, null);
    }
  }
  return uploaders;
}

function toDocument(row: repo.DocumentRow, uploaders: Map<string, Document['uploadedBy']>): Document {
  return {
    id: row.id,
    contactId: row.contactId,
    companyId: row.companyId,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy ? (uploaders.get(row.uploadedBy) ?? null) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function getDocumentRow(tx: TenantTx, id: string): Promise<repo.DocumentRow> {
  const row = await repo.findDocument(tx, id);
  if (!row) throw documentsError('DOCUMENTS_NOT_FOUND', 'There is no such document.');
  return row;
}

// -- reads --------------------------------------------------------------------------------------

/** A person's or a company's documents, newest first, a page at a time. */
export async function listDocuments(
  tx: TenantTx,
  principal: Principal,
  parent: Parent,
  page: { limit: number; cursor: string | undefined },
  purpose: string,
): Promise<Page<Document>> {
  assertParentRight(principal, parent, 'read');
  assertMaySeeDocuments(principal);
  await assertParent(tx, parent);
  const rows = await repo.listDocuments(tx, parent, { limit: page.limit, after: decodeCursor(page.cursor) });
  const uploaders = await uploadersOf(tx, rows);
  const result = toPage(rows, page.limit, (row) => toDocument(row, uploaders));
  if (result.items.length > 0) await logRead(tx, principal, parent, purpose);
  return result;
}

/** One document's metadata; the read goes to the access log. */
export async function readDocument(
  tx: TenantTx,
  principal: Principal,
  id: string,
  purpose: string,
): Promise<Document> {
  const row = await getDocumentRow(tx, id);
  const parent = parentOf(row);
  assertParentRight(principal, parent, 'read');
  assertMaySeeDocuments(principal);
  await logRead(tx, principal, parent, purpose);
  return toDocument(row, await uploadersOf(tx, [row]));
}

/**
 * A document's bytes, for a principal who sees documents in full. The read is logged in its
 * own transaction; the file is opened after it commits (no database lock held while the store
 * answers).
 */
export async function openDocument(
  deps: DocumentsDeps,
  principal: Principal,
  id: string,
  purpose: string,
): Promise<{ document: Document; content: Readable }> {
  const { row, document } = await withPrincipal(deps.db, principal, async (tx) => {
    const found = await getDocumentRow(tx, id);
    const parent = parentOf(found);
    assertParentRight(principal, parent, 'read');
    assertMayDownload(principal);
    await logRead(tx, principal, parent, purpose);
    return { row: found, document: toDocument(found, await uploadersOf(tx, [found])) };
  });
  try {
    return { document, content: await deps.blobs.get(row.blobKey) };
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
    deps.logger.error({ documentId: id }, 'the blob of a document is missing from the blob store');
    throw documentsError('DOCUMENTS_CONTENT_MISSING', 'The file of this document is missing from the store.');
  }
}

// -- writes -------------------------------------------------------------------------------------

/**
 * Stores an uploaded file for a person or a company:
 *  1. the parent must exist (and be in scope) before a byte is read;
 *  2. the first bytes decide the type (allow-list; the declared type is ignored) — an empty or
 *     refused file is answered before anything is written;
 *  3. the blob key is reserved (committed), then the bytes stream to the store, counted against
 *     the limit and hashed on the way;
 *  4. the row is inserted and audited in one transaction, which claims the reservation.
 * Any failure after 3 deletes what was written; if even that fails (or the process dies), the
 * reservation falls due and the sweep deletes it.
 */
export async function uploadDocument(
  deps: DocumentsDeps,
  principal: Principal,
  parent: Parent,
  source: UploadSource,
): Promise<Document> {
  assertParentRight(principal, parent, 'update');
  await withPrincipal(deps.db, principal, (tx) => assertParent(tx, parent));

  const { head, done } = await readHead(source.chunks, SNIFF_BYTES);
  if (head.length === 0 && done) {
    throw documentsError('DOCUMENTS_EMPTY', 'The file is empty.', [{ path: 'file', message: 'is empty' }]);
  }
  const nameAsSent = sanitiseFileName(source.fileName, 'application/octet-stream');
  const sniffed = await sniffContentType(head, nameAsSent);
  if (!sniffed.ok) {
    throw documentsError(
      'DOCUMENTS_TYPE_REFUSED',
      `Files of this type are not accepted${sniffed.detected ? ` (the content is ${sniffed.detected})` : ''}. ` +
        'Accepted: PDF, PNG, JPEG, GIF, WebP, Word, Excel and PowerPoint (docx, xlsx, pptx), ' +
        'OpenDocument text and spreadsheets (odt, ods), and text files named .txt or .csv.',
      [{ path: 'file', message: 'is not of an accepted type' }],
    );
  }
  const fileName = sanitiseFileName(source.fileName, sniffed.contentType);

  const key = newBlobKey(principal.tenantId);
  await reserveBlobKey(deps.db, key);
  try {
    const hash = createHash('sha256');
    let size = 0;
    const limit = deps.maxFileBytes;
    async function* counted(): AsyncIterable<Buffer> {
      for (
        let chunk: Buffer | undefined = head;
        chunk !== undefined;
        chunk = await next(source.chunks, done)
      ) {
        size += chunk.length;
        if (size > limit) throw documentTooLarge(limit);
        hash.update(chunk);
        yield chunk;
      }
    }
    await deps.blobs.put(key, counted(), { contentType: sniffed.contentType });
    if (source.truncated()) throw documentTooLarge(limit);
    await source.finish();
    const sha256 = hash.digest('hex');
    return await withPrincipal(deps.db, principal, async (tx) => {
      await assertParent(tx, parent);
      const row = await repo.insertDocument(tx, {
        tenantId: principal.tenantId,
        parent,
        fileName,
        contentType: sniffed.contentType,
        size,
        sha256,
        blobKey: key,
        uploadedBy: principal.userId,
      });
      await audit(tx, principal, 'document.created', row);
      return toDocument(row, await uploadersOf(tx, [row]));
    });
  } catch (error) {
    await discardBlob(deps.db, deps.blobs, key).catch((cleanup: unknown) => {
      deps.logger.warn({ key, err: cleanup }, 'could not remove a failed upload; the blob sweep will');
    });
    throw error;
  }
}

/** Deletes a document; its file is handed to the blob sweep in the same transaction (trigger). */
export async function deleteDocument(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const row = await getDocumentRow(tx, id);
  assertParentRight(principal, parentOf(row), 'update');
  await repo.deleteDocument(tx, id);
  await audit(tx, principal, 'document.deleted', row);
}

/** Reads until `bytes` have arrived or the file ends. */
async function readHead(
  chunks: AsyncIterator<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const step = await chunks.next();
    if (step.done) return { head: Buffer.concat(parts), done: true };
    parts.push(step.value);
    length += step.value.length;
  }
  return { head: Buffer.concat(parts), done: false };
}

async function next(chunks: AsyncIterator<Buffer>, ended: boolean): Promise<Buffer | undefined> {
  if (ended) return undefined;
  const step = await chunks.next();
  return step.done ? undefined : step.value;
}
