import autocannon from 'autocannon';
import { note, round } from './report.ts';

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
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const base = {
    url: options.url,
    connections: options.connections,
    headers: options.headers ?? {},
    timeout: 10,
  };
  note(`${options.label}: warming up for ${options.warmupSeconds} s`);
  checkEveryResponseOk(
    `${options.label} warm-up`,
    await autocannon({ ...base, duration: options.warmupSeconds }),
  );
  note(`${options.label}: measuring for ${options.seconds} s with ${options.connections} connections`);
  const result = await autocannon({ ...base, duration: options.seconds });
  checkEveryResponseOk(options.label, result);
  const measured = {
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
  note(
    `${options.label}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, ${measured.requests} requests`,
  );
  return measured;
}

function checkEveryResponseOk(label: string, result: autocannon.Result): void {
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, stats]) => `${status}×${stats.count ?? 0}`)
    .join(', ');
  const ok200 = result.statusCodeStats?.['200']?.count ?? 0;
  const problems = [
    result.non2xx > 0 ? `${result.non2xx} non-2xx responses` : '',
    result['2xx'] !== ok200 ? `${result['2xx'] - ok200} 2xx responses other than 200` : '',
    result.errors > 0 ? `${result.errors} errors (${result.timeouts} of them timeouts)` : '',
    result['2xx'] === 0 ? 'no successful response at all' : '',
  ].filter((problem) => problem !== '');
  if (problems.length > 0) {
    throw new Error(`${label}: ${problems.join('; ')} (status codes: ${statuses || 'none'})`);
  }
}
