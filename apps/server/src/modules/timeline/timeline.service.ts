import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { type AuditActor, auditActorOf, recordAudit } from '../audit/index.ts';
import { getCompany, getContact } from '../contacts/index.ts';
import { getUser } from '../identity/index.ts';
import { recordAccess } from '../privacy/index.ts';
import { timelineError } from './timeline.errors.ts';
import * as repo from './timeline.repository.ts';
import {
  type Activity,
  type ActivityKind,
  type ActivitySource,
  activityRuleIssues,
  type CreateActivityInput,
  type Direction,
  type ListActivitiesQuery,
  type RecordActivityInput,
  recordActivityInputSchema,
  STAFF_KINDS,
  type UpdateActivityInput,
} from './timeline.schema.ts';

/**
 * Use cases of the activity timeline. Each runs in the caller's tenant transaction (the routes
 * open it with withPrincipal(), other modules pass their own), writes its audit entry there
 * (field names only) and logs reads in the access log. Values come back unmasked: the routes
 * apply the reader's field access.
 */

/** A job or another module acting on its own, not for a user. */
export type SystemActor = { kind: 'system'; tenantId: string };
/** Who adds an entry: a request's principal, or the system. */
export type TimelineActor = Principal | SystemActor;

export function systemActor(tenantId: string): SystemActor {
  return { kind: 'system', tenantId };
}

function isPrincipal(actor: TimelineActor): actor is Principal {
  return 'via' in actor;
}

function auditActor(actor: TimelineActor): AuditActor {
  return isPrincipal(actor) ? auditActorOf(actor) : { kind: 'system' };
}

/** Sources whose entries people wrote (by hand, or brought over from another system). */
const EDITABLE_SOURCES: ReadonlySet<string> = new Set<ActivitySource>(['staff', 'import']);
const EDITABLE_KINDS: ReadonlySet<string> = new Set<ActivityKind>(STAFF_KINDS);

/** Entries of forms, consent, mail and the system are facts; only people's own entries change. */
export function isEditable(row: { kind: string; source: string }): boolean {
  return EDITABLE_KINDS.has(row.kind) && EDITABLE_SOURCES.has(row.source);
}

// ---------------------------------------------------------------------------------------------
// Adding entries
// ---------------------------------------------------------------------------------------------

/**
 * Adds an entry to a contact's timeline, in the caller's transaction — the public face for
 * other modules (forms, consent, mail). With a `ref` the call is idempotent: the same
 * (ref.type, ref.id) again returns the entry recorded the first time (`created: false`) and
 * adds nothing, so a retried job never adds an entry twice. The contact must exist and be
 * visible in the transaction (CONTACTS_NOT_FOUND otherwise); `companyId` defaults to the
 * contact's company. Source defaults to `staff` for a principal and `system` for the system.
 */
export async function recordActivity(
  tx: TenantTx,
  actor: TimelineActor,
  input: RecordActivityInput,
): Promise<{ id: string; created: boolean }> {
  const parsed = recordActivityInputSchema.safeParse(input);
  if (!parsed.success) {
    throw timelineError(
      'TIMELINE_INVALID_FIELDS',
      'The activity is not valid; see errors.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message })),
    );
  }
  const a = parsed.data;
  const contact = await getContact(tx, a.contactId);
  if (a.ref) {
    const existing = await repo.findActivityByRef(tx, a.ref.type, a.ref.id);
    if (existing) return sameContact(existing, a.contactId);
  }
  const companyId = a.companyId === undefined ? contact.companyId : a.companyId;
  if (companyId && companyId !== contact.companyId) await assertCompany(tx, companyId);
  const values: repo.NewActivity = {
    tenantId: actor.tenantId,
    contactId: a.contactId,
    companyId,
    kind: a.kind,
    direction: a.direction ?? null,
    subject: a.subject ?? null,
    body: a.body ?? null,
    occurredAt: a.occurredAt,
    durationMinutes: a.durationMinutes ?? null,
    source: a.source ?? (isPrincipal(actor) ? 'staff' : 'system'),
    refType: a.ref?.type ?? null,
    refId: a.ref?.id ?? null,
    createdBy: isPrincipal(actor) ? actor.userId : null,
  };
  const id = await repo.insertActivity(tx, values);
  if (id === undefined) {
    // A concurrent transaction recorded the same reference first (ON CONFLICT DO NOTHING).
    const existing = a.ref ? await repo.findActivityByRef(tx, a.ref.type, a.ref.id) : undefined;
    if (!existing) throw refConflict();
    return sameContact(existing, a.contactId);
  }
  await audit(tx, actor, 'activity.created', id, filledFields(values, values.refType !== null));
  return { id, created: true };
}

function sameContact(existing: repo.ActivityRow, contactId: string): { id: string; created: boolean } {
  if (existing.contactId !== contactId) throw refConflict();
  return { id: existing.id, created: false };
}

function refConflict(): AppError {
  return timelineError(
    'TIMELINE_REF_CONFLICT',
    'An activity with this reference exists already, for another contact.',
    [{ path: 'ref', message: 'is recorded already' }],
  );
}

/** A note, call, meeting or logged email a person writes (POST …/contacts/{id}/activities). */
export async function createActivity(
  tx: TenantTx,
  principal: Principal,
  contactId: string,
  input: CreateActivityInput,
): Promise<Activity> {
  const { id } = await recordActivity(tx, principal, { ...input, contactId, source: 'staff' });
  return getActivity(tx, id);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export async function getActivity(tx: TenantTx, id: string): Promise<Activity> {
  const row = await repo.findActivity(tx, id);
  if (!row) throw timelineError('TIMELINE_ACTIVITY_NOT_FOUND', 'There is no such activity.');
  return toActivity(row, await emailsOf(tx, [row.createdBy]));
}

/**
 * A page of a contact's timeline, newest first (by when it happened). The contact must be
 * visible (404 otherwise); the read goes to the access log under the contact's id.
 */
export async function listActivities(
  tx: TenantTx,
  principal: Principal,
  contactId: string,
  query: ListActivitiesQuery,
  purpose: string,
): Promise<{ items: Activity[]; nextCursor: string | null }> {
  await getContact(tx, contactId);
  const rows = await repo.listActivities(
    tx,
    contactId,
    { kinds: query.kind },
    { limit: query.limit, after: decodeCursor(query.cursor) },
  );
  const page = toPage(rows, query.limit, (r) => r);
  const emails = await emailsOf(
    tx,
    page.items.map((r) => r.createdBy),
  );
  await recordAccess(tx, {
    tenantId: principal.tenantId,
    userId: principal.userId,
    recordType: 'contact',
    recordIds: [contactId],
    purpose,
    kind: 'read',
  });
  return { items: page.items.map((r) => toActivity(r, emails)), nextCursor: page.nextCursor };
}

// ---------------------------------------------------------------------------------------------
// Changing and deleting (people's own entries only)
// ---------------------------------------------------------------------------------------------

async function editable(tx: TenantTx, id: string): Promise<Activity> {
  const before = await getActivity(tx, id);
  if (!isEditable(before)) {
    throw timelineError(
      'TIMELINE_ACTIVITY_IMMUTABLE',
      `This entry records a ${before.kind.replace('_', ' ')} (source ${before.source}); it cannot be changed or deleted.`,
    );
  }
  return before;
}

export async function updateActivity(
  tx: TenantTx,
  principal: Principal,
  id: string,
  patch: UpdateActivityInput,
): Promise<Activity> {
  const before = await editable(tx, id);
  const values: repo.ActivityValues = definedOnly({
    kind: patch.kind,
    direction: patch.direction,
    subject: patch.subject,
    body: patch.body,
    occurredAt: patch.occurredAt,
    durationMinutes: patch.durationMinutes,
    companyId: patch.companyId,
  });
  if (Object.keys(values).length === 0) return before;
  const merged = {
    kind: patch.kind ?? before.kind,
    direction: patch.direction !== undefined ? patch.direction : before.direction,
    subject: patch.subject !== undefined ? patch.subject : before.subject,
    body: patch.body !== undefined ? patch.body : before.body,
    durationMinutes: patch.durationMinutes !== undefined ? patch.durationMinutes : before.durationMinutes,
    occurredAt: patch.occurredAt ?? before.occurredAt,
  };
  const errors: ErrorDetail[] = activityRuleIssues(merged);
  if (
    values.companyId &&
    values.companyId !== before.companyId &&
    !(await companyExists(tx, values.companyId))
  ) {
    errors.push({ path: 'companyId', message: 'there is no such company' });
  }
  if (errors.length > 0) {
    throw timelineError('TIMELINE_INVALID_FIELDS', 'Some fields are not valid; see errors.', errors);
  }
  await repo.updateActivity(tx, id, values);
  const after = await getActivity(tx, id);
  await audit(tx, principal, 'activity.updated', id, changedFields(before, after));
  return after;
}

export async function deleteActivity(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await editable(tx, id);
  await repo.deleteActivity(tx, id);
  await audit(tx, principal, 'activity.deleted', id, ['id', ...filledFields(before, before.ref !== null)]);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function companyExists(tx: TenantTx, companyId: string): Promise<boolean> {
  try {
    await getCompany(tx, companyId);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONTACTS_COMPANY_NOT_FOUND') return false;
    throw error;
  }
}

async function assertCompany(tx: TenantTx, companyId: string): Promise<void> {
  if (!(await companyExists(tx, companyId))) {
    throw timelineError('TIMELINE_INVALID_FIELDS', 'Some fields are not valid; see errors.', [
      { path: 'companyId', message: 'there is no such company' },
    ]);
  }
}

/** The email of each user who wrote one of the entries (through the identity module). */
async function emailsOf(tx: TenantTx, userIds: (string | null)[]): Promise<Map<string, string>> {
  const emails = new Map<string, string>();
  for (const userId of new Set(userIds)) {
    if (!userId) continue;
    try {
      emails.set(userId, (await getUser(tx, userId)).email);
    } catch (error) {
      // Deleted in the meantime: created_by is cleared with the user (ON DELETE SET NULL).
      if (!(error instanceof AppError && error.code === 'IDENTITY_USER_NOT_FOUND')) throw error;
    }
  }
  return emails;
}

function toActivity(row: repo.ActivityRow, emails: Map<string, string>): Activity {
  const email = row.createdBy ? emails.get(row.createdBy) : undefined;
  return {
    id: row.id,
    contactId: row.contactId,
    companyId: row.companyId,
    kind: row.kind as ActivityKind,
    direction: row.direction as Direction | null,
    subject: row.subject,
    body: row.body,
    occurredAt: row.occurredAt.toISOString(),
    durationMinutes: row.durationMinutes,
    source: row.source as ActivitySource,
    ref: row.refType !== null && row.refId !== null ? { type: row.refType, id: row.refId } : null,
    createdBy: row.createdBy && email !== undefined ? { userId: row.createdBy, email } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The fields of an entry an audit entry may name. */
const AUDITED = [
  'contactId',
  'companyId',
  'kind',
  'direction',
  'subject',
  'body',
  'occurredAt',
  'durationMinutes',
  'source',
] as const;

/** The fields an entry holds a value in, by name (every entry has occurredAt): what an audit lists. */
function filledFields(a: Partial<Record<(typeof AUDITED)[number], unknown>>, hasRef: boolean): string[] {
  const fields: string[] = AUDITED.filter((f) => f === 'occurredAt' || (a[f] !== null && a[f] !== undefined));
  return hasRef ? [...fields, 'ref'] : fields;
}

function changedFields(before: Activity, after: Activity): string[] {
  return AUDITED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

async function audit(
  tx: TenantTx,
  actor: TimelineActor,
  action: string,
  id: string,
  fields: string[],
): Promise<void> {
  if (fields.length === 0) return;
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actor: auditActor(actor),
    action,
    entityType: 'activity',
    entityId: id,
    changes: { kind: 'personal-data', fields },
  });
}
