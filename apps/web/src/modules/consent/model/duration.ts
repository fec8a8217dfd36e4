/**
 * Ages of open consent changes and processing times: a duration in the largest unit that fits
 * (minutes, hours, days), and how urgent an open change is. The compliance rule CON-06 expects
 * consent changes to be handled within 3 days and escalates after twice that.
 */

export type DurationUnit = 'minute' | 'hour' | 'day';
export type Duration = { value: number; unit: DurationUnit };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The days within which a change should be handled (CON-06); twice as long escalates. */
export const HANDLING_DAYS = 3;

/** Whole minutes below an hour, whole hours below a day, whole days from then on (rounded down). */
export function durationOf(ms: number): Duration {
  const span = Math.max(0, ms);
  if (span < HOUR) return { value: Math.floor(span / MINUTE), unit: 'minute' };
  if (span < DAY) return { value: Math.floor(span / HOUR), unit: 'hour' };
  return { value: Math.floor(span / DAY), unit: 'day' };
}

/** The time between two ISO instants in milliseconds (0 when either is unreadable or the order is reversed). */
export function between(fromIso: string, toIso: string | Date): number {
  const from = Date.parse(fromIso);
  const to = typeof toIso === 'string' ? Date.parse(toIso) : toIso.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return 0;
  return Math.max(0, to - from);
}

/** A duration in words of the locale: `3 days`, `3 Tage`, `3 jours`. */
export function formatDuration(ms: number, locale: string): string {
  const { value, unit } = durationOf(ms);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export type Urgency = 'fresh' | 'due' | 'overdue';

/** An open change is due from the handling time on and overdue from twice that. */
export function urgencyOf(ageMs: number): Urgency {
  if (ageMs >= 2 * HANDLING_DAYS * DAY) return 'overdue';
  if (ageMs >= HANDLING_DAYS * DAY) return 'due';
  return 'fresh';
}

export const urgencyColor: Record<Urgency, string> = { fresh: 'gray', due: 'orange', overdue: 'red' };
