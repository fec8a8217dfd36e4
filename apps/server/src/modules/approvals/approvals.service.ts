import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { type AuditActor, auditActorOf, recordAudit } from '../audit/index.ts';
import { approvalsError } from './approvals.errors.ts';
import {
  type ApprovalContext,
  type ApprovalHandler,
  type ApprovalRequest,
  approvalRegistry,
} from './approvals.registry.ts';
import * as repo from './approvals.repository.ts';
import {
  type Approval,
  type ApprovalSubject,
  approvalSubjectSchema,
  type DecisionBody,
  type ListApprovalsQuery,
} from './approvals.schema.ts';

/** How long a request waits for a decision before it lapses (nothing runs then). */
export const APPROVAL_TTL_DAYS = 14;

/**
 * Who sees which requests: those who decide (`privacy:approve`) and those who audit
 * (`privacy:read`) see every request of the tenant; anyone else only their own.
 */
export function seesAllApprovals(principal: Pick<Principal, 'rights'>): boolean {
  return principal.rights.has('privacy:approve') || principal.rights.has('privacy:read');
}

export type NewApproval = {
  kind: string;
  /** What would run, shown to the privacy officer (and the requester). */
  subject: ApprovalSubject;
  /**
   * What the audit log keeps of the subject: never personal data (a filter's values may be),
   * as the audit log must not become a copy of it.
   */
  outline: ApprovalSubject;
  /** What makes two requests the same (hashed): asking again while one is pending returns it. */
  sameAs: unknown;
  reason: string | null;
  /** Defaults to APPROVAL_TTL_DAYS from now. */
  expiresAt?: Date;
};

export type ApprovalsService = ReturnType<typeof createApprovals>;

/**
 * Approval requests and their decisions. Handlers (one per kind) say what a decision starts;
 * everything here runs in the caller's tenant transaction, and each change is audited in it.
 */
export function createApprovals(deps: { handlers: readonly ApprovalHandler[] }) {
  const registry = approvalRegistry(deps.handlers);

  /** Lapsed requests for the same subject are closed first, so that a new one can be made. */
  async function expire(tx: TenantTx, rows: repo.ApprovalRow[], actor: AuditActor): Promise<void> {
    for (const row of rows) {
      await registry.handlerOf(row.kind).onClosed(tx, requestOf(row), 'expired');
      await auditDecision(tx, row, actor, 'expired');
    }
  }

  return {
    kinds: registry.kinds,

    /**
     * Asks for approval; returns the new request, or the requester's pending request for the
     * same subject (`created: false`) — one pending request per identical thing.
     */
    async request(
      tx: TenantTx,
      principal: Principal,
      input: NewApproval,
    ): Promise<{ approval: Approval; created: boolean }> {
      registry.handlerOf(input.kind);
      const subject = approvalSubjectSchema.parse(input.subject);
      const subjectKey = createHash('sha256')
        .update(canonicalize({ kind: input.kind, sameAs: input.sameAs }) ?? '')
        .digest('hex');
      const key = { kind: input.kind, requestedBy: principal.userId, subjectKey };
      const open = await repo.findOpenForSubject(tx, key);
      if (open && open.status === 'pending') return { approval: toApproval(open), created: false };
      if (open) await expire(tx, await repo.expireDue(tx, undefined, key), auditActorOf(principal));
      const id = await repo.insertPending(tx, {
        tenantId: principal.tenantId,
        kind: input.kind,
        subject: JSON.stringify(subject),
        subjectKey,
        reason: input.reason,
        requestedBy: principal.userId,
        expiresAt: input.expiresAt ?? new Date(Date.now() + APPROVAL_TTL_DAYS * 86_400_000),
      });
      if (!id) {
        // Another request for the same subject committed in between: that one stands.
        const winner = await repo.findOpenForSubject(tx, key);
        if (!winner) throw new Error('approval request vanished after a conflicting insert');
        return { approval: toApproval(winner), created: false };
      }
      const created = await getRow(tx, id);
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        actor: auditActorOf(principal),
        action: 'approval.requested',
        entityType: 'approval_request',
        entityId: id,
        changes: {
          kind: 'settings',
          before: null,
          after: {
            kind: created.kind,
            status: 'pending',
            subject: approvalSubjectSchema.parse(input.outline),
          },
        },
      });
      return { approval: toApproval(created), created: true };
    },

    /** One request the principal may see (404 otherwise, whether or not it exists). */
    async get(tx: TenantTx, principal: Principal, id: string): Promise<Approval> {
      const row = await repo.findRequest(tx, id);
      if (!row || !(seesAllApprovals(principal) || row.requestedBy === principal.userId)) {
        throw approvalsError('APPROVALS_NOT_FOUND', 'There is no such approval request.');
      }
      return toApproval(row);
    },

    async list(tx: TenantTx, principal: Principal, query: ListApprovalsQuery) {
      const mineOnly = query.mine === true || !seesAllApprovals(principal);
      const rows = await repo.listRequests(
        tx,
        { status: query.status, kind: query.kind, requestedBy: mineOnly ? principal.userId : undefined },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return toPage(rows, query.limit, toApproval);
    },

    /**
     * Approves or rejects a pending request (right `privacy:approve`, checked by the route).
     * Four eyes: nobody decides their own request. The handler's effect (for an approved
     * export: its job) is part of the same transaction as the decision.
     */
    async decide(
      tx: TenantTx,
      principal: Principal,
      id: string,
      status: 'approved' | 'rejected',
      body: DecisionBody | null | undefined,
      ctx: ApprovalContext,
    ): Promise<Approval> {
      const row = await repo.findRequest(tx, id, true);
      if (!row) throw approvalsError('APPROVALS_NOT_FOUND', 'There is no such approval request.');
      if (row.requestedBy === principal.userId) {
        throw approvalsError(
          'APPROVALS_OWN_REQUEST',
          'Nobody approves or rejects a request of their own: another person with privacy:approve decides it.',
        );
      }
      assertPending(row);
      const decided = await repo.decide(tx, id, {
        status,
        decidedBy: principal.userId,
        note: body?.note ?? null,
      });
      if (!decided) assertPending(await getRow(tx, id));
      const handler = registry.handlerOf(row.kind);
      if (status === 'approved') await handler.onApproved(tx, requestOf(row), ctx);
      else await handler.onClosed(tx, requestOf(row), 'rejected');
      await auditDecision(tx, row, auditActorOf(principal), status);
      return toApproval(await getRow(tx, id));
    },

    /** The requester withdraws a pending request; nothing runs. */
    async cancel(tx: TenantTx, principal: Principal, id: string): Promise<Approval> {
      const row = await repo.findRequest(tx, id, true);
      if (!row || !(seesAllApprovals(principal) || row.requestedBy === principal.userId)) {
        throw approvalsError('APPROVALS_NOT_FOUND', 'There is no such approval request.');
      }
      if (row.requestedBy !== principal.userId) {
        throw approvalsError('APPROVALS_NOT_REQUESTER', 'Only the requester may withdraw a request.');
      }
      assertPending(row);
      if (!(await repo.cancel(tx, id))) assertPending(await getRow(tx, id));
      await registry.handlerOf(row.kind).onClosed(tx, requestOf(row), 'cancelled');
      await auditDecision(tx, row, auditActorOf(principal), 'cancelled');
      return toApproval(await getRow(tx, id));
    },

    /** Closes the tenant's requests that lapsed undecided (the expiry job). Returns how many. */
    async expireDue(tx: TenantTx, now?: Date): Promise<number> {
      const rows = await repo.expireDue(tx, now);
      await expire(tx, rows, { kind: 'system' });
      return rows.length;
    },
  };
}

async function getRow(tx: TenantTx, id: string): Promise<repo.ApprovalRow> {
  const row = await repo.findRequest(tx, id);
  if (!row) throw approvalsError('APPROVALS_NOT_FOUND', 'There is no such approval request.');
  return row;
}

function assertPending(row: repo.ApprovalRow): void {
  if (row.status !== 'pending') {
    throw approvalsError(
      'APPROVALS_NOT_PENDING',
      `This request is ${row.status}; only a pending request can be decided or withdrawn.`,
      undefined,
      { members: { approvalStatus: row.status } },
    );
  }
}

async function auditDecision(
  tx: TenantTx,
  row: repo.ApprovalRow,
  actor: AuditActor,
  status: 'approved' | 'rejected' | 'cancelled' | 'expired',
): Promise<void> {
  await recordAudit(tx, {
    tenantId: row.tenantId,
    actor,
    action: `approval.${status}`,
    entityType: 'approval_request',
    entityId: row.id,
    // The decision note stays on the request: free text may name people.
    changes: { kind: 'settings', before: { status: 'pending' }, after: { status } },
  });
}

function subjectOf(row: repo.ApprovalRow): ApprovalSubject {
  return approvalSubjectSchema.parse(JSON.parse(row.subject));
}

function requestOf(row: repo.ApprovalRow): ApprovalRequest {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    subject: subjectOf(row),
    requestedBy: row.requestedBy,
  };
}

const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d).toISOString();

function toApproval(row: repo.ApprovalRow): Approval {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    subject: subjectOf(row),
    reason: row.reason,
    requestedBy: row.requestedBy,
    requestedAt: row.createdAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt === null ? null : iso(row.decidedAt),
    decisionNote: row.decisionNote,
    expiresAt: row.expiresAt.toISOString(),
  };
}
