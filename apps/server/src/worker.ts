import type { Kysely } from 'kysely';
import type { Tables } from './kernel/db/tables.ts';
import type { AnyJobDefinition } from './kernel/jobs/jobs.ts';
import type { Logger } from './kernel/logger.ts';
import { pruneJob } from './modules/jobs/index.ts';
import { pruneAccessLogJob } from './modules/privacy/index.ts';

/** Every module's job types and schedules, in one list the queue registers. */
export function jobDefinitions(deps: { db: Kysely<Tables>; logger: Logger }): AnyJobDefinition[] {
  return [pruneJob(deps), pruneAccessLogJob(deps)];
}
