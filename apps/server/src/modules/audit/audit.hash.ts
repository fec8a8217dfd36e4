import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The prev_hash of a tenant's first entry, and the chain head's hash before there is one. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an entry's hash covers: all its columns except hash, created_at and updated_at. */
export type HashedEntry = {
  id: string;
  tenantId: string;
  seq: number;
  /** UTC with microseconds, `2026-11-29T10:00:00.123000Z` (what the column holds exactly). */
  occurredAt: string;
  actorKind: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  prevHash: string;
};

/**
 * SHA-256 (hex) of the entry as RFC 8785 canonical JSON. The writer and the verifier both call
 * this, so what is checked is exactly what was written. Changing it breaks every existing chain:
 * bump `v` and keep the old version verifiable.
 */
export function auditEntryHash(entry: HashedEntry): string {
  const text = canonicalJson({
    v: 1,
    id: entry.id,
    tenantId: entry.tenantId,
    seq: entry.seq,
    occurredAt: entry.occurredAt,
    actor: { kind: entry.actorKind, userId: entry.actorUserId },
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** RFC 8785 canonical JSON; throws for what JSON cannot hold (NaN, Infinity, lone surrogates). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('audit: value has no JSON representation');
  return text;
}

/** A Date as the microsecond ISO form PostgreSQL's to_char(… 'US') gives back for it. */
export function isoMicros(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}
