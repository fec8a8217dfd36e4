import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import type { JobDefinition } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';

/** One public POST's write: the submission as `received` (+ its solved challenge's replay record). */
export type IntakeItem = {
  id: string;
  formId: string;
  /** The tenant the form belonged to when the post was checked (a mismatch is an error). */
  tenantId: string;
  version: number;
  language: string;
  /** JSON text of the mapped values, the consent answers and the ticked newsletters. */
  data: string;
  consent: string;
  newsletterIds: string;
  challenge: { signatureHash: string; expiresAt: Date } | undefined;
};

export type IntakeOutcome = 'stored' | 'replay' | 'gone';

type Waiting = { item: IntakeItem; resolve: (o: IntakeOutcome) => void; reject: (e: unknown) => void };

/** The processing job as the intake sends it: one per tenant and `perJob` stored submissions. */
export type ProcessJob = JobDefinition<{ submissionId: string; baseUrl: string }>;

export type IntakeOptions = {
  db: Kysely<Tables>;
  queue: Pick<JobQueue, 'send'>;
  job: ProcessJob;
  baseUrl: string;
  /** Submissions one processing job takes (the processing batch size). */
  perJob: number;
  /** At most this many posts per write. */
  maxBatch?: number;
  /** Writes in flight at once (the others wait and gather the posts arriving meanwhile). */
  maxInFlight?: number;
};

/**
 * Group commit of the public intake. A post is written at once when no write is in flight;
 * posts arriving while writes are in flight wait for the next one and are written together —
 * one transaction: `kontor_form_intake_batch()` (one statement) and one processing job per
 * tenant and `perJob` stored submissions. Idle, a post waits for nothing; under load, a write
 * carries the posts of the last round trip, so the database sees a few statements per batch
 * instead of four round trips per post. Each post is answered only after its batch committed:
 * an answered `stored` submission is durable. When a batch fails, its posts are written again one
 * by one, so a post that cannot be written fails alone (500; the visitor can send again).
 */
export class FormIntake {
  readonly #options: Required<IntakeOptions>;
  #waiting: Waiting[] = [];
  #inFlight = 0;

  constructor(options: IntakeOptions) {
    this.#options = { maxBatch: 200, maxInFlight: 2, ...options };
  }

  write(item: IntakeItem): Promise<IntakeOutcome> {
    return new Promise<IntakeOutcome>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#waiting.length > 0 && this.#inFlight < this.#options.maxInFlight) {
      const batch = this.#waiting.splice(0, this.#options.maxBatch);
      this.#inFlight += 1;
      void this.#writeBatch(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
    }
  }

  async #writeBatch(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.#options.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ itemId: string; intakeTenant: string | null; outcome: string }>`
          select item_id, intake_tenant, outcome
          from kontor_form_intake_batch(${`[${batch.map(({ item }) => itemJson(item)).join(',')}]`}::jsonb)`.execute(
          tx,
        );
        const byId = new Map(rows.map((r) => [r.itemId, r]));
        const stored = new Map<string, string[]>();
        for (const { item } of batch) {
          const row = byId.get(item.id);
          if (row?.outcome !== 'stored') continue;
          if (row.intakeTenant !== item.tenantId) throw new Error('a form changed its tenant');
          const ids = stored.get(item.tenantId) ?? [];
          ids.push(item.id);
          stored.set(item.tenantId, ids);
        }
        // One job per tenant and perJob submissions: a job processes up to perJob received
        // submissions of its tenant, so the jobs always cover what is received.
        for (const [tenantId, ids] of stored) {
          for (let i = 0; i < ids.length; i += this.#options.perJob) {
            const first = ids[i] as string;
            await this.#options.queue.send(
              this.#options.job,
              { submissionId: first, baseUrl: this.#options.baseUrl },
              { tx, tenantId, idempotencyKey: `form-submission:${first}` },
            );
          }
        }
        return byId;
      });
      for (const { item, resolve, reject } of batch) {
        const outcome = outcomes.get(item.id)?.outcome;
        if (outcome === 'stored' || outcome === 'replay' || outcome === 'gone') resolve(outcome);
        else reject(new Error(`the intake of a submission failed (${outcome ?? 'no answer'})`));
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One post may have failed the batch: each again on its own, so only that one fails.
      for (const waiting of batch) await this.#writeBatch([waiting]);
    }
  }
}

/** The item as JSON text; the JSON parts are written as they are (no parse and stringify again). */
function itemJson(item: IntakeItem): string {
  const scalars = JSON.stringify({
    id: item.id,
    formId: item.formId,
    version: item.version,
    language: item.language,
    signatureHash: item.challenge?.signatureHash ?? null,
    expiresAt: item.challenge?.expiresAt.toISOString() ?? null,
  });
  return `${scalars.slice(0, -1)},"data":${item.data},"consent":${item.consent},"newsletterIds":${item.newsletterIds}}`;
}
