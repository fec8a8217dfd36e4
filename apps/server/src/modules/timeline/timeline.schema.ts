import { z } from 'zod';
import type { ErrorDetail } from '../../kernel/errors.ts';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { DataCategory } from '../privacy/index.ts';

export const ACTIVITY_KINDS = [
  'note',
  'call',
  'meeting',
  'email',
  'form_submission',
  'consent',
  'system',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** What staff write by hand (an email here is a logged one, not a sent one). */
export const STAFF_KINDS = ['note', 'call', 'meeting', 'email'] as const satisfies readonly ActivityKind[];
export type StaffKind = (typeof STAFF_KINDS)[number];

export const ACTIVITY_SOURCES = ['staff', 'form', 'consent', 'mail', 'import', 'system'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const SUBJECT_MAX = 300;
export const BODY_MAX = 20_000;
export const DURATION_MAX_MINUTES = 24 * 60;
/** How far ahead `occurredAt` may be: clock skew, not planning (that is the calendar's). */
export const FUTURE_TOLERANCE_MS = 60 * 60 * 1000;
const EARLIEST = Date.UTC(1900, 0, 1);

/** Kinds that carry a direction, and kinds that carry a duration. */
const HAS_DIRECTION: ReadonlySet<ActivityKind> = new Set(['call', 'email']);
const HAS_DURATION: ReadonlySet<ActivityKind> = new Set(['call', 'meeting']);

/** What a reference names: another module's record (`form_submission`, `consent_event`, …). */
export const refSchema = z.object({
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/, 'lower-case letters, digits and _, starting with a letter, ≤ 50'),
  id: z.string().min(1).max(200),
});
export type ActivityRef = z.infer<typeof refSchema>;

/** Trimmed text; '' becomes null, undefined stays undefined (not given). */
function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === undefined ? undefined : v === null ? null : v.trim() || null));
}

const occurredAtInput = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone (Z or ±hh:mm)' })
  .describe('When it happened (default now); may be in the past, at most an hour ahead.');

/** The values the rules look at, whatever path they came by (create, change, another module). */
export type ActivityRuleInput = {
  kind: ActivityKind;
  direction?: Direction | null | undefined;
  subject?: string | null | undefined;
  body?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  occurredAt?: string | Date | null | undefined;
};

/** The rules that span fields: one entry per bad field, so one answer names them all. */
export function activityRuleIssues(a: ActivityRuleInput, now = Date.now()): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  if (a.direction != null && !HAS_DIRECTION.has(a.kind)) {
    issues.push({ path: 'direction', message: 'only calls and emails have a direction' });
  }
  if (a.durationMinutes != null && !HAS_DURATION.has(a.kind)) {
    issues.push({ path: 'durationMinutes', message: 'only calls and meetings have a duration' });
  }
  if (a.kind === 'note' && !a.body) issues.push({ path: 'body', message: 'a note needs a text' });
  if (a.kind === 'email' && !a.subject && !a.body) {
    issues.push({ path: 'subject', message: 'a logged email needs a subject or a text' });
  }
  if (a.occurredAt != null) {
    const at = a.occurredAt instanceof Date ? a.occurredAt.getTime() : Date.parse(a.occurredAt);
    // Not a date-time at all: the field's own format check says so.
    if (Number.isNaN(at)) return issues;
    if (at > now + FUTURE_TOLERANCE_MS)
      issues.push({ path: 'occurredAt', message: 'must not be more than an hour in the future' });
    else if (at < EARLIEST) issues.push({ path: 'occurredAt', message: 'must not be before 1900' });
  }
  return issues;
}

function addRuleIssues(value: ActivityRuleInput, ctx: z.RefinementCtx): void {
  for (const issue of activityRuleIssues(value)) {
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const staffShape = {
  kind: z.enum(STAFF_KINDS).describe('note, call, meeting or email (a logged email, not a sent one)'),
  direction: z.enum(DIRECTIONS).nullish().describe('Calls and emails: inbound or outbound'),
  subject: text(SUBJECT_MAX),
  body: text(BODY_MAX).describe(`The text (≤ ${BODY_MAX} characters); a note needs one`),
  occurredAt: occurredAtInput.optional(),
  durationMinutes: z
    .number()
    .int('must be whole minutes')
    .min(0)
    .max(DURATION_MAX_MINUTES, `must be at most ${DURATION_MAX_MINUTES} minutes`)
    .nullish()
    .describe('Calls and meetings'),
  companyId: z
    .uuid()
    .nullish()
    .describe("The company it concerns; by default the contact's company at the time"),
};

export const createActivitySchema = z.object(staffShape).superRefine(addRuleIssues);
export type CreateActivityInput = z.output<typeof createActivitySchema>;

/** PATCH: absent = unchanged, null clears; the rules are checked against the stored entry. */
export const updateActivitySchema = z.object({
  ...staffShape,
  kind: staffShape.kind.optional(),
});
export type UpdateActivityInput = z.output<typeof updateActivitySchema>;

/**
 * What another module hands `recordActivity()`: any kind and source, and a reference to its own
 * record that makes the call idempotent.
 */
export const recordActivityInputSchema = z
  .object({
    contactId: z.uuid(),
    kind: z.enum(ACTIVITY_KINDS),
    direction: z.enum(DIRECTIONS).nullish(),
    subject: text(SUBJECT_MAX),
    body: text(BODY_MAX),
    occurredAt: z.union([occurredAtInput, z.date()]).optional(),
    durationMinutes: z.number().int().min(0).max(DURATION_MAX_MINUTES).nullish(),
    companyId: z.uuid().nullish(),
    source: z.enum(ACTIVITY_SOURCES).optional(),
    ref: refSchema.optional(),
  })
  .superRefine(addRuleIssues);
export type RecordActivityInput = z.input<typeof recordActivityInputSchema>;

const kindFilter = z
  .union([z.enum(ACTIVITY_KINDS), z.array(z.enum(ACTIVITY_KINDS)).max(ACTIVITY_KINDS.length)])
  .optional()
  .transform((v) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...new Set(v)]))
  .describe('Only these kinds; repeat for several.');

export const listActivitiesQuerySchema = listQuerySchema.extend({ kind: kindFilter });
export type ListActivitiesQuery = z.output<typeof listActivitiesQuerySchema>;

export const idParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export type Activity = {
  id: string;
  contactId: string;
  companyId: string | null;
  kind: ActivityKind;
  direction: Direction | null;
  subject: string | null;
  body: string | null;
  occurredAt: string;
  durationMinutes: number | null;
  source: ActivitySource;
  ref: ActivityRef | null;
  createdBy: { userId: string; email: string } | null;
  createdAt: string;
  updatedAt: string;
};

export const activitySchema = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  companyId: z.uuid().nullable(),
  kind: z.enum(ACTIVITY_KINDS),
  direction: z.enum(DIRECTIONS).nullable(),
  subject: z.string().nullable().describe('Data category notes: masked or null by field access'),
  body: z.string().nullable().describe('Data category notes: masked or null by field access'),
  occurredAt: z.iso.datetime(),
  durationMinutes: z.number().int().nullable(),
  source: z.enum(ACTIVITY_SOURCES),
  ref: refSchema.nullable(),
  createdBy: z.object({ userId: z.uuid(), email: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const activityPageSchema = z.object({
  items: z.array(activitySchema),
  nextCursor: z.string().nullable(),
});

/** Subject and text of an entry are what was said or written about a person: notes. */
export const ACTIVITY_FIELD_CATEGORIES = {
  subject: 'notes',
  body: 'notes',
} as const satisfies { [K in keyof Activity]?: DataCategory };
