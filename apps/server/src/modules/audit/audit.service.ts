import { randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { auditError } from './audit.errors.ts';
import { auditEntryHash, canonicalJson, GENESIS_HASH, isoMicros } from './audit.hash.ts';
import {
  type AuditRowInsert,
  advanceChainHead,
  insertAuditEntries,
  insertAuditEntry,
  lockChainHead,
  ownerBypassesRls,
  ownerTenantIds,
  readAuditRows,
  readChainHead,
  type StoredAuditRow,
  setOwnerTenant,
} from './audit.repository.ts';
import {
  type AuditActor,
  type AuditChanges,
  type AuditEntryInput,
  auditEntryInputSchema,
  type RecordedAuditEntry,
} from './audit.schema.ts';

/**
 * Appends one entry to the tenant's audit chain. Call it inside the transaction of the change it
 * records, so that both commit or neither does. Concurrent calls for one tenant are serialised
 * by a row lock on the tenant's chain head, held until `tx` ends: keep such transactions short.
 *
 * Throws AUDIT_INVALID_ENTRY (and so rolls the change back) when the entry breaks the contract,
 * e.g. personal-data changes that carry anything but field names.
 */
export async function recordAudit(tx: TenantTx, input: AuditEntryInput): Promise<RecordedAuditEntry> {
  const parsed = auditEntryInputSchema.safeParse(input);
  if (!parsed.success) {
    throw auditError(
      'AUDIT_INVALID_ENTRY',
      'The audit entry breaks the audit contract.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const entry = parsed.data;
  const tenantId = entry.tenantId.toLowerCase();
  const occurredAt = entry.occurredAt ?? new Date();
  // Stored as canonical text and hashed as what the jsonb column gives back for that text.
  const changes = canonicalJson(entry.changes);
  const head = await lockChainHead(tx, tenantId);
  const row = {
    id: randomUUID(),
    tenantId,
    seq: head.seq + 1,
    actorKind: entry.actor.kind,
    actorUserId: entry.actor.userId?.toLowerCase() ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    prevHash: head.hash,
  };
  const hash = auditEntryHash({
    ...row,
    occurredAt: isoMicros(occurredAt),
    changes: JSON.parse(changes),
  });
  await insertAuditEntry(tx, { ...row, occurredAt, changes, hash });
  await advanceChainHead(tx, tenantId, row.seq, hash);
  return { id: row.id, seq: row.seq, hash };
}

/**
 * Appends several entries of one tenant at once (a bulk change: tagging or importing many
 * contacts): the chain head is locked once, the entries are chained in memory in the given
 * order and written in one statement, and the head moves once. Same contract and validation as
 * recordAudit(); an invalid entry rejects the whole batch (and so the change).
 */
export async function recordAudits(tx: TenantTx, inputs: AuditEntryInput[]): Promise<RecordedAuditEntry[]> {
  if (inputs.length === 0) return [];
  const entries = inputs.map((input, index) => {
    const parsed = auditEntryInputSchema.safeParse(input);
    if (!parsed.success) {
      throw auditError(
        'AUDIT_INVALID_ENTRY',
        'The audit entry breaks the audit contract.',
        parsed.error.issues.map((i) => ({ path: [index, ...i.path].join('.'), message: i.message })),
      );
    }
    return parsed.data;
  });
  const tenantId = (entries[0] as (typeof entries)[number]).tenantId.toLowerCase();
  if (entries.some((e) => e.tenantId.toLowerCase() !== tenantId))
    throw auditError('AUDIT_INVALID_ENTRY', 'One batch of audit entries belongs to one tenant.');
  const head = await lockChainHead(tx, tenantId);
  const now = new Date();
  let seq = head.seq;
  let prevHash = head.hash;
  const rows: AuditRowInsert[] = entries.map((entry) => {
    const occurredAt = entry.occurredAt ?? now;
    const changes = canonicalJson(entry.changes);
    seq += 1;
    const row = {
      id: randomUUID(),
      tenantId,
      seq,
      actorKind: entry.actor.kind,
      actorUserId: entry.actor.userId?.toLowerCase() ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      prevHash,
    };
    const hash = auditEntryHash({ ...row, occurredAt: isoMicros(occurredAt), changes: JSON.parse(changes) });
    prevHash = hash;
    return { ...row, occurredAt, changes, hash };
  });
  await insertAuditEntries(tx, rows);
  await advanceChainHead(tx, tenantId, seq, prevHash);
  return rows.map((r) => ({ id: r.id, seq: r.seq, hash: r.hash }));
}

/** Several entries by a request's principal in one go (see recordAudits). */
export function auditManyBy(
  tx: TenantTx,
  principal: Principal,
  entries: { action: string; entityType: string; entityId: string; changes: AuditChanges }[],
): Promise<RecordedAuditEntry[]> {
  const actor = auditActorOf(principal);
  return recordAudits(
    tx,
    entries.map((e) => ({ tenantId: principal.tenantId, actor, ...e })),
  );
}

/** One audit entry by a request's principal, in the transaction of the change. */
export function auditBy(
  tx: TenantTx,
  principal: Principal,
  action: string,
  entityType: string,
  entityId: string,
  changes: AuditChanges,
): Promise<RecordedAuditEntry> {
  return recordAudit(tx, {
    tenantId: principal.tenantId,
    actor: auditActorOf(principal),
    action,
    entityType,
    entityId,
    changes,
  });
}

export function auditActorOf(principal: Principal): AuditActor {
  return { kind: principal.via.kind === 'api_token' ? 'api_token' : 'user', userId: principal.userId };
}

export type AuditBreakReason =
  /** An entry is missing before this one (deleted, or seq altered). */
  | 'seq gap'
  /** This entry does not point at the previous entry's hash. */
  | 'prev_hash mismatch'
  /** This entry's content is not what was hashed when it was written (altered). */
  | 'hash mismatch'
  /** This entry is beyond the chain head: appended around the writer. */
  | 'beyond head'
  /** The chain head records later entries than the log holds (entries at the end deleted). */
  | 'missing tail'
  /** The last entry is not the one the chain head records. */
  | 'head mismatch';

export type AuditVerification =
  | { ok: true; checked: number; tenants: number }
  | {
      ok: false;
      /** Entries found whole before the break. */
      checked: number;
      tenants: number;
      tenantId: string;
      /** The first broken entry; null when it is gone (missing tail). */
      entryId: string | null;
      seq: number;
      reason: AuditBreakReason;
      detail: string;
    };

type ChainBreak = Omit<Extract<AuditVerification, { ok: false }>, 'ok' | 'checked' | 'tenants' | 'tenantId'>;

const PAGE = 1000;

/**
 * Re-computes every entry's hash and link, tenant by tenant (or one tenant), as the schema owner
 * in one read-only snapshot, and compares each chain's end with its head. Stops at the first
 * broken entry.
 */
export async function verifyAuditChain(
  database: Pick<Database, 'asOwner'>,
  tenantId?: string,
): Promise<AuditVerification> {
  if (
    tenantId !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)
  )
    throw auditError('AUDIT_INVALID_TENANT', `"${tenantId}" is not a tenant id (a UUID).`);
  const only = tenantId?.toLowerCase();
  return database.asOwner(async (session) => {
    // One snapshot: heads and rows agree even while other processes append.
    await session.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    if (only === undefined && !(await ownerBypassesRls(session))) {
      throw auditError(
        'AUDIT_OWNER_CANNOT_SEE_ALL',
        'The database user is subject to row-level security and cannot list every tenant; verify one with --tenant.',
      );
    }
    if (only !== undefined) await setOwnerTenant(session, only);
    const tenants = await ownerTenantIds(session, only);
    if (only !== undefined && tenants.length === 0)
      throw auditError('AUDIT_TENANT_NOT_FOUND', `There is no tenant ${only}.`);
    let checked = 0;
    for (const tenant of tenants) {
      await setOwnerTenant(session, tenant);
      const head = (await readChainHead(session, tenant)) ?? { seq: 0, hash: GENESIS_HASH };
      let last: StoredAuditRow | undefined;
      for (;;) {
        const rows = await readAuditRows(session, tenant, last?.seq ?? 0, PAGE);
        for (const row of rows) {
          const broken = checkEntry(row, last, head.seq);
          if (broken) return { ok: false, checked, tenants: tenants.length, tenantId: tenant, ...broken };
          checked += 1;
          last = row;
        }
        if (rows.length < PAGE) break;
      }
      const broken = checkEnd(last, head);
      if (broken) return { ok: false, checked, tenants: tenants.length, tenantId: tenant, ...broken };
    }
    return { ok: true, checked, tenants: tenants.length };
  });
}

function checkEntry(row: StoredAuditRow, previous: StoredAuditRow | undefined, headSeq: number) {
  const at = (reason: AuditBreakReason, detail: string): ChainBreak => ({
    entryId: row.id,
    seq: row.seq,
    reason,
    detail,
  });
  const expected = (previous?.seq ?? 0) + 1;
  if (row.seq !== expected) return at('seq gap', `expected seq ${expected}, found ${row.seq}`);
  if (row.seq > headSeq) return at('beyond head', `the chain head ends at seq ${headSeq}`);
  if (row.prevHash !== (previous?.hash ?? GENESIS_HASH))
    return at('prev_hash mismatch', 'it does not link to the previous entry');
  if (auditEntryHash(row) !== row.hash)
    return at('hash mismatch', 'its content was changed after it was written');
  return undefined;
}

function checkEnd(
  last: StoredAuditRow | undefined,
  head: { seq: number; hash: string },
): ChainBreak | undefined {
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < head.seq) {
    return {
      entryId: null,
      seq: lastSeq + 1,
      reason: 'missing tail',
      detail: `the chain head records ${head.seq} entries, the log ends at seq ${lastSeq}`,
    };
  }
  if (last && last.hash !== head.hash) {
    return {
      entryId: last.id,
      seq: last.seq,
      reason: 'head mismatch',
      detail: 'the chain head records another hash for it',
    };
  }
  return undefined;
}
