/** Human-readable progress for the person running the benchmarks: stderr, never stdout. */
export declare function note(message: string): void;
export type Figure = {
    /** Dotted, stable name, e.g. `http.list-users.rps`. */
    name: string;
    value: number;
    unit: string;
    /** The same quantity for the reference measured in the same run. */
    baseline: number;
} & Record<string, string | number>;
/** Prints one figure as one JSON line on stdout; `ratio` is value / baseline. */
export declare function emitFigure(figure: Figure): void;
export declare function round(value: number, digits: number): number;
/** Reads a positive whole number of seconds from the environment, or the default. */
export declare function secondsFromEnv(name: string, fallback: number): number;
