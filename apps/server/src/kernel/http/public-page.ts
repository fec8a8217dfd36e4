/**
 * The shell of server-rendered public pages (double-opt-in confirmation, unsubscribe, preference
 * centre): escaping, the page language (de/en/fr) and one accessible layout whose only style is
 * an inline stylesheet allowed by its hash. Every page is sent with a strict CSP (no script at
 * all, forms post only to us, never framed), `Cache-Control: no-store`, no cookie and no
 * referrer (the token in the address stays with us).
 *
 * Pure functions plus `sendPublicPage`; no business rules.
 */
import { createHash } from 'node:crypto';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PUBLIC_PAGE_LANGUAGES = ['de', 'en', 'fr'] as const;
export type PublicPageLanguage = (typeof PUBLIC_PAGE_LANGUAGES)[number];

export function isPublicPageLanguage(value: unknown): value is PublicPageLanguage {
  return typeof value === 'string' && (PUBLIC_PAGE_LANGUAGES as readonly string[]).includes(value);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content and attribute values (double- or single-quoted). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** ` name="value"` pairs, escaped; `true` writes a bare attribute, false/undefined nothing. */
export function attrs(list: Record<string, string | boolean | undefined>): string {
  return Object.entries(list)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(v as string)}"`))
    .join('');
}

/**
 * The page language: `?lang=` when it is one of `offered`, else the first language of
 * `Accept-Language` (by weight) among them, else `fallback` (or the first offered).
 */
export function negotiateLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined,
  offered: readonly PublicPageLanguage[] = PUBLIC_PAGE_LANGUAGES,
  fallback?: PublicPageLanguage,
): PublicPageLanguage {
  const first = fallback && offered.includes(fallback) ? fallback : (offered[0] ?? 'en');
  const asked = query?.toLowerCase();
  if (isPublicPageLanguage(asked) && offered.includes(asked)) return asked;
  if (!acceptLanguage) return first;
  const wanted = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return {
        lang: tag.trim().toLowerCase().split('-')[0] ?? '',
        weight: Number.isNaN(weight) ? 0 : weight,
        index,
      };
    })
    .filter((w) => w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const w of wanted) {
    if (isPublicPageLanguage(w.lang) && offered.includes(w.lang)) return w.lang;
  }
  return first;
}

/** The request's `Accept-Language` header, if it sent one. */
export function acceptLanguageOf(request: FastifyRequest): string | undefined {
  const header = request.headers['accept-language'];
  return typeof header === 'string' ? header.slice(0, 500) : undefined;
}

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1d21;background:#f5f6f8}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
fieldset{border:1px solid #c9ccd1;border-radius:.375rem;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.25rem 0}
.hint{color:#4a4f57;font-size:.925rem;margin:.25rem 0 .5rem 1.75rem}
.note{color:#4a4f57;font-size:.925rem}
label{cursor:pointer}
input[type=email]{box-sizing:border-box;width:100%;font:inherit;padding:.5rem .625rem;border:1px solid #8a8f98;border-radius:.375rem}
button{font:inherit;padding:.6rem 1.1rem;border:0;border-radius:.375rem;background:#1c5fd4;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1c5fd4;border:1px solid #1c5fd4}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
.status{padding:.75rem 1rem;border-radius:.375rem;background:#e7f4ea;border:1px solid #2e7d32}
.alert{padding:.75rem 1rem;border-radius:.375rem;background:#fdecea;border:1px solid #b3261e}
a{color:#1c5fd4}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/**
 * No script, the one inline stylesheet by its hash, forms posting only to this origin, never
 * inside a frame (a confirm or unsubscribe button must not be clickjacked).
 */
export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A whole page: `body` is trusted HTML built with escapeHtml; the title is escaped here. */
export function renderPublicPage(input: { lang: PublicPageLanguage; title: string; body: string }): string {
  return `<!doctype html>
<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${input.body}
</main>
</body>
</html>
`;
}

/** Sends a rendered page with the headers every public page carries. */
export function sendPublicPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  reply.removeHeader('set-cookie');
  return reply
    .status(status)
    .header('content-security-policy', PUBLIC_PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The largest body a public page's POST takes (a form of toggles and radio answers). */
export const PUBLIC_FORM_BODY_LIMIT = 32 * 1024;

/**
 * Body parsing for public form posts, in the caller's (encapsulated) plugin: urlencoded (plain
 * HTML forms, most RFC 8058 receivers) and multipart/form-data without files (the other RFC
 * 8058 form) as a flat object of strings; any other body is read (up to the limit) and ignored,
 * so a POST is never refused for its content type.
 */
export async function registerPublicFormBodies(app: FastifyInstance): Promise<void> {
  await app.register(formbody, { bodyLimit: PUBLIC_FORM_BODY_LIMIT });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 200, fieldSize: 4096, files: 0, parts: 200, fieldNameSize: 200 },
  });
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: PUBLIC_FORM_BODY_LIMIT },
    (_request, _body, done) => done(null, {}),
  );
}

/** A posted field as one string (the first, when it came several times). */
export function fieldOf(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Every value of a posted field (repeated names arrive as an array). */
export function fieldsOf(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}
