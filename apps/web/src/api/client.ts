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

  constructor(problem: Problem, body: unknown) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.body = body;
  }
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
 * network failures reject with the browser's `TypeError` as `fetch` does.
 */
export async function apiFetch<T>(
  path: string,
  parse: (body: unknown) => T,
  options: ApiRequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const init: RequestInit = {
    method: options.method ?? 'GET',
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
  if (!response.ok) throw new ApiError(toProblem(response, body), body);
  return parse(body);
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
