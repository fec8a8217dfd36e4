// Date filters: a `<input type="date">` value (`2026-11-29`, in the user's time zone) → ISO instants.

/** The ISO instant the day starts at, or undefined for an empty or malformed date. */
export function startOfDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const at = new Date(`${date}T00:00:00`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The ISO instant the next day starts at: an exclusive upper bound that takes in the whole day. */
export function dayAfter(date: string): string | undefined {
  const start = startOfDay(date);
  if (!start) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}
