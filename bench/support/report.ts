/** Human-readable progress for the person running the benchmarks: stderr, never stdout. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export type Figure = {
  /** Dotted, stable name, e.g. `http.list-users.rps`. */
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the reference measured in the same run. */
  baseline: number;
} & Record<string, string | number>;

/** Prints one figure as one JSON line on stdout; `ratio` is value / baseline. */
export function emitFigure(figure: Figure): void {
  const { name, value, unit, baseline, ...extra } = figure;
  const line = { name, value, unit, baseline, ratio: round(value / baseline, 3), ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Reads a positive whole number of seconds from the environment, or the default. */
export function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name}: must be a whole number of seconds, 1 or more (got "${raw}")`);
  }
  return value;
}
