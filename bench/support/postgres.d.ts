export type BenchDatabase = {
    /** Connection URL of the fresh, empty database. */
    url: string;
    drop(): Promise<void>;
};
/**
 * A fresh, empty database `kontor_bench_<pid>` on the PostgreSQL server of DATABASE_URL, or
 * on a local server at 127.0.0.1:5432 when DATABASE_URL is unset. Returns undefined (and says
 * so on stderr) when no DATABASE_URL is set and no local server answers; an unreachable
 * DATABASE_URL is an error. The database is dropped on `drop()` or at cleanup.
 */
export declare function freshPostgres(): Promise<BenchDatabase | undefined>;
