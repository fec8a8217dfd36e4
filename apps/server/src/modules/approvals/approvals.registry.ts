import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import type { ApprovalSubject } from './approvals.schema.ts';

/** A request as its handler sees it. */
export type ApprovalRequest = {
  id: string;
  tenantId: string;
  kind: string;
  subject: ApprovalSubject;
  requestedBy: string;
};

/** What a handler may use when a decision falls (it runs inside the decision's transaction). */
export type ApprovalContext = {
  /** Send follow-up jobs with `{ tx }`, so they exist only if the decision commits. */
  queue: Pick<JobQueue, 'send'>;
};

/**
 * What happens when a request of one kind is decided. The module that asks for approvals of a
 * kind registers its handler (exports: `export`); the compliance engine adds its kinds the same
 * way. Both callbacks run in the transaction that records the decision: the decision and its
 * effect commit together or not at all.
 */
export type ApprovalHandler = {
  kind: string;
  /** The request was approved: start what waited for it (for an export: enqueue the job). */
  onApproved(tx: TenantTx, request: ApprovalRequest, ctx: ApprovalContext): Promise<void>;
  /** The request was rejected, withdrawn by the requester, or expired undecided: nothing runs. */
  onClosed(
    tx: TenantTx,
    request: ApprovalRequest,
    outcome: 'rejected' | 'cancelled' | 'expired',
  ): Promise<void>;
};

export type ApprovalRegistry = {
  kinds(): string[];
  /** The handler of a kind; throws for a kind nobody registered (a wiring mistake, not user input). */
  handlerOf(kind: string): ApprovalHandler;
};

/** The handlers of every kind, one per kind (see worker.ts `approvalHandlers`). */
export function approvalRegistry(handlers: readonly ApprovalHandler[]): ApprovalRegistry {
  const byKind = new Map<string, ApprovalHandler>();
  for (const handler of handlers) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(handler.kind)) {
      throw new Error(`approval kind ${handler.kind} must be lower-case letters, digits and _`);
    }
    if (byKind.has(handler.kind)) throw new Error(`two approval handlers for kind ${handler.kind}`);
    byKind.set(handler.kind, handler);
  }
  return {
    kinds: () => [...byKind.keys()],
    handlerOf(kind) {
      const handler = byKind.get(kind);
      if (!handler) throw new Error(`no approval handler is registered for kind ${kind}`);
      return handler;
    },
  };
}
