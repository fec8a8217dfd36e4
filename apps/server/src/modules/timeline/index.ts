/** Activity timeline: notes, calls, meetings, emails, form submissions and consent events per contact. */

export { timelineRoutes } from './timeline.routes.ts';
export {
  ACTIVITY_FIELD_CATEGORIES,
  ACTIVITY_KINDS,
  ACTIVITY_SOURCES,
  type Activity,
  type ActivityKind,
  type ActivityRef,
  type ActivitySource,
  type RecordActivityInput,
} from './timeline.schema.ts';
export {
  getActivity,
  recordActivity,
  type SystemActor,
  systemActor,
  type TimelineActor,
} from './timeline.service.ts';
export type { ActivityTable, TimelineTables } from './timeline.tables.ts';
