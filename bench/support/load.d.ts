export type LoadOptions = {
    label: string;
    url: string;
    headers?: Record<string, string>;
    connections: number;
    warmupSeconds: number;
    seconds: number;
};
export type LoadResult = {
    /** Mean of the per-second request counts of the measured run. */
    requestsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    requests: number;
};
/**
 * Drives `url` with autocannon: a warm-up run whose numbers are thrown away, then the measured
 * run. Every response of both runs must be a 200 and no request may error or time out; any
 * other outcome fails the benchmark, because a fast 401 or 500 is not a throughput figure.
 */
export declare function measureLoad(options: LoadOptions): Promise<LoadResult>;
