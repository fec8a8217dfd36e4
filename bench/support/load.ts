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
  /** Latencies of the measured run's responses, in ms with µs precision. */
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
  note(`${options.label}: warming up for ${options.warmupSeconds} s`);
  const warmup = await drive(options, options.warmupSeconds);
  checkEveryResponseOk(`${options.label} warm-up`, warmup.result);
  note(`${options.label}: measuring for ${options.seconds} s with ${options.connections} connections`);
  const { result, latenciesMs } = await drive(options, options.seconds);
  checkEveryResponseOk(options.label, result);
  const measured = {
    requestsPerSecond: round(result.requests.average, 1),
    p50Ms: round(percentile(latenciesMs, 0.5), 3),
    p99Ms: round(percentile(latenciesMs, 0.99), 3),
    requests: result.requests.total,
  };
  note(
    `${options.label}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, ${measured.requests} requests`,
  );
  return measured;
}

/**
 * One autocannon run. Latencies are collected from its `response` events: its own histogram
 * keeps whole milliseconds only, which reads 0 ms for anything faster than 1 ms.
 */
function drive(
  options: LoadOptions,
  seconds: number,
): Promise<{ result: autocannon.Result; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        headers: options.headers ?? {},
        duration: seconds,
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ result, latenciesMs });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latenciesMs.push(responseTime);
    });
  });
}

function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
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
