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
  /** A processing job could not be sent (the intake sweep sends it later). */
  onJobError: (error: unknown) => void;
  /** At most this many posts per write. */
  maxBatch?: number;
  /** Writes in flight at once (the others wait and gather the posts arriving meanwhile). */
  maxInFlight?: number;
};

/**
 * Group commit of the public intake. A post is written at once when no write is in flight;
 * posts arriving while writes are in flight wait for the next one and are written together, in
 * one statement, `kontor_form_intake_batch()` (its own transaction: one round trip to the
 * database per batch). Idle, a post waits for nothing; under load, a write carries the posts of
 * the last round trip. Each post is answered only after its batch committed: an answered
 * `stored` submission is durable. When a batch fails, its posts are written again one by one, so
 * a post that cannot be written fails alone (500; the visitor can send again).
 *
 * The processing jobs follow the commit, off the answer's path: one per tenant and `perJob`
 * stored submissions not yet covered by a job; stored submissions that arrive while jobs are
 * being sent are covered by the next round. A submission stored whose job was never sent (the
 * process died in between, or the send failed) is found by the intake sweep
 * (forms.intake-sweep, every minute), so every received submission is processed.
 */
export class FormIntake {
  readonly #options: Required<IntakeOptions>;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  /** Stored submissions no processing job covers yet, by tenant. */
  #uncovered = new Map<string, string[]>();
  #sending: Promise<void> | undefined;

  constructor(options: IntakeOptions) {
    this.#options = { maxBatch: 200, maxInFlight: 2, ...options };
  }

  write(item: IntakeItem): Promise<IntakeOutcome> {
    return new Promise<IntakeOutcome>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#pump();
    });
  }

  /** Resolves when no write is in flight and every stored submission's job has been sent. */
  async settled(): Promise<void> {
    while (this.#inFlight > 0 || this.#waiting.length > 0 || this.#sending || this.#uncovered.size > 0) {
      await (this.#sending ?? new Promise((resolve) => setTimeout(resolve, 5)));
    }
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
    let rows: { itemId: string; intakeTenant: string | null; outcome: string }[];
    try {
      ({ rows } = await sql<{ itemId: string; intakeTenant: string | null; outcome: string }>`
        select item_id, intake_tenant, outcome
        from kontor_form_intake_batch(${`[${batch.map(({ item }) => itemJson(item)).join(',')}]`}::jsonb)`.execute(
        this.#options.db,
      ));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One post may have failed the batch: each again on its own, so only that one fails.
      for (const waiting of batch) await this.#writeBatch([waiting]);
      return;
    }
    const byId = new Map(rows.map((r) => [r.itemId, r]));
    for (const { item } of batch) {
      const row = byId.get(item.id);
      if (row?.outcome !== 'stored' || !row.intakeTenant) continue;
      const ids = this.#uncovered.get(row.intakeTenant) ?? [];
      ids.push(item.id);
      this.#uncovered.set(row.intakeTenant, ids);
    }
    // Started before the answers go out, so the first job is on its way when the visitor is answered.
    this.#sendJobs();
    for (const { item, resolve, reject } of batch) {
      const row = byId.get(item.id);
      if (row?.outcome === 'stored' && row.intakeTenant !== item.tenantId) {
        // Stored under the form's tenant and processed there; the checks ran for another.
        reject(new Error('a form changed its tenant'));
      } else if (row?.outcome === 'stored' || row?.outcome === 'replay' || row?.outcome === 'gone') {
        resolve(row.outcome);
      } else reject(new Error(`the intake of a submission failed (${row?.outcome ?? 'no answer'})`));
    }
  }

  /** Sends the processing jobs of the stored submissions no job covers yet; one round at a time. */
  #sendJobs(): void {
    if (this.#sending) return;
    this.#sending = (async () => {
      while (this.#uncovered.size > 0) {
        const round = this.#uncovered;
        this.#uncovered = new Map();
        for (const [tenantId, ids] of round) {
          for (let i = 0; i < ids.length; i += this.#options.perJob) {
            const first = ids[i] as string;
            try {
              await this.#options.queue.send(
                this.#options.job,
                { submissionId: first, baseUrl: this.#options.baseUrl },
                { tenantId, idempotencyKey: `form-submission:${first}` },
              );
            } catch (error) {
              this.#options.onJobError(error);
            }
          }
        }
      }
    })().finally(() => {
      this.#sending = undefined;
    });
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
