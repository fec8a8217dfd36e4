import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './report.ts';

const SCRIPT = fileURLToPath(new URL('./wrk-posts.lua', import.meta.url));

/** Whether wrk (Debian's package `wrk`) is on the PATH. */
export function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['-v'], { stdio: 'ignore' });
  return probe.error === undefined;
}

export type WrkRun = {
  /** Answers received in the run. */
  requests: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
};

/**
 * POSTs the lines of `bodiesFile` (one JSON body each, each at most once) to `url` for `seconds`
 * with wrk: `connections` connections on two threads, a C client that leaves the cores to the
 * server. Fails when an answer is not a 200, a socket errs, or the run needed more lines than
 * the file has (a body sent twice would be a replay, not a new submission) unless `repeat`.
 */
export async function wrkPosts(options: {
  label: string;
  url: string;
  bodiesFile: string;
  seconds: number;
  connections: number;
  /** Send the bodies again from the first when the run needs more (a route that takes repeats). */
  repeat?: boolean;
}): Promise<WrkRun> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'wrk',
      [
        '-t2',
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        '--timeout',
        '30s',
        '-s',
        SCRIPT,
        options.url,
      ],
      {
        env: { ...process.env, BODIES: options.bodiesFile, THREADS: '2', REPEAT: options.repeat ? '1' : '0' },
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${options.label}: wrk failed: ${stderr}`)) : resolve(stdout),
    );
  });
  const line = output.split('\n').find((l) => l.startsWith('WRK '));
  if (!line) throw new Error(`${options.label}: wrk printed no summary:\n${output}`);
  const r = JSON.parse(line.slice(4)) as {
    requests: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    non200: number;
    firstBadStatus: number;
    exhausted: number;
    socketErrors: number;
  };
  if (r.non200 > 0 || r.socketErrors > 0) {
    throw new Error(
      `${options.label}: ${r.non200} answers were not 200 (the first: ${r.firstBadStatus}), ${r.socketErrors} socket errors`,
    );
  }
  if (r.exhausted > 0) {
    throw new Error(`${options.label}: the run needed more than the prepared bodies; prepare more`);
  }
  const elapsedMs = r.durationUs / 1000;
  return {
    requests: r.requests,
    elapsedMs,
    rps: round((r.requests * 1000) / elapsedMs, 1),
    p50Ms: round(r.p50Us / 1000, 3),
    p99Ms: round(r.p99Us / 1000, 3),
  };
}
