/** One entry of a problem's `errors` extension: which input was wrong and why. */
export type ProblemFieldError = { path: string; message: string };

/** An RFC 9457 problem details object as the Kontor server sends it. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string | undefined;
  code?: string | undefined;
  errors?: ProblemFieldError[] | undefined;
};

/** A non-2xx answer from the server, with its problem details when it sent any. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly errors: readonly ProblemFieldError[];
  /** The decoded response body (JSON or text), for endpoints that answer errors in another shape. */
  readonly body: unknown;
  /** From a `Retry-After` header (429, 503): how many seconds to wait before trying again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, body: unknown, retryAfterSeconds?: number) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The cookie the server sets at login for the double-submit CSRF check; readable by scripts on purpose. */
const csrfCookieName = 'kontor_csrf';

/** Methods that change something: the server wants the CSRF token with every one of them. */
const unsafeMethods: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export type ApiRequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as the JSON request body. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
};

/**
 * Calls the Kontor server and hands the decoded JSON body to `parse`, which validates it and gives
 * it its type (nothing from the network is trusted as-is). Non-2xx answers throw `ApiError`;
 * network failures reject with the browser's `TypeError` as `fetch` does. Writes carry the
 * session's CSRF token (`X-CSRF-Token`, copied from the `kontor_csrf` cookie).
 */
export async function apiFetch<T>(
  path: string,
  parse: (body: unknown) => T,
  options: ApiRequestOptions = {},
): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (unsafeMethods.has(method)) {
    const csrfToken = readCookie(csrfCookieName);
    if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  }
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers,
    signal: options.signal ?? null,
  };
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.json);
  }

  const response = await fetch(path, init);
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(toProblem(response, body), body, retryAfter(response));
  return parse(body);
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!/[/+]json\b/.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toProblem(response: Response, body: unknown): Problem {
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  if (!isRecord(body)) return { type: 'about:blank', title: fallbackTitle, status: response.status };
  return {
    type: typeof body.type === 'string' ? body.type : 'about:blank',
    title: typeof body.title === 'string' ? body.title : fallbackTitle,
    status: response.status, // the HTTP status is authoritative; the body's copy is advisory
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    code: typeof body.code === 'string' ? body.code : undefined,
    errors: Array.isArray(body.errors) ? body.errors.filter(isFieldError) : undefined,
  };
}

function isFieldError(value: unknown): value is ProblemFieldError {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
