/**
 * Where forms live: the hosted page `/public/forms/{id}` (server-rendered, works without
 * JavaScript), its thank-you page, the embed script `/public/forms/embed.js` with the page's
 * script and CSS under `/public/forms/assets/`, and `GET /api/v1/forms/{id}/embed` (the
 * snippets). The JSON definition, the challenge and the POST belong to the forms core; a plain
 * form post that the core refuses (400, 429, …) is answered here as the page again, with the
 * errors next to the fields (the `onSend` hook below).
 *
 * Every page: strict CSP (no inline script or style), no cookies, `Cache-Control: no-store`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/database.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';
import { principalOf } from '../../../kernel/http/auth.ts';
import { formsError } from '../forms.errors.ts';
import { findForm } from '../forms.repository.ts';
import { type Asset, type PublicAssets, publicAssets } from './public.assets.ts';
import type { PublicDefinition } from './public.definition.ts';
import { isPageLanguage, messagesOf, negotiateLanguage, type PageLanguage } from './public.messages.ts';
import {
  consentName,
  type FieldErrors,
  type PageAssets,
  renderFormPage,
  renderMessagePage,
  renderThanksPage,
  type Values,
} from './public.page.ts';
import { embedSnippets, embedSnippetsSchema } from './public.snippets.ts';

/** Loads a published form's public definition in a language; undefined when there is none. */
export type DefinitionSource = (
  request: FastifyRequest,
  formId: string,
  lang: string | undefined,
) => Promise<PublicDefinition | undefined>;

export type FormsPublicDeps = {
  database: Database;
  baseUrl: string;
  /** The forms core's published definitions (`formsRoutes` passes its own, with its guard). */
  definitions: DefinitionSource;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORM_POST_ROUTE = '/public/forms/:id';

/** The CSP of every public form page. `form-action` also names the redirect URL's origin: Chromium checks it on the 303. */
export function pageCsp(redirectUrl?: string | null): string {
  let formAction = "'self'";
  if (redirectUrl) {
    try {
      const origin = new URL(redirectUrl).origin;
      if (/^https:\/\//.test(origin)) formAction += ` ${origin}`;
    } catch {}
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formAction}`,
    "base-uri 'none'",
    // Framing is allowed: an iframe is the embed for sites that take no script.
    'frame-ancestors *',
  ].join('; ');
}

function sendPage(
  reply: FastifyReply,
  status: number,
  html: string,
  redirectUrl?: string | null,
): FastifyReply {
  reply.removeHeader('x-frame-options');
  return reply
    .status(status)
    .header('content-security-policy', pageCsp(redirectUrl))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

function pageAssets(assets: PublicAssets): PageAssets {
  return {
    css: `/public/forms/assets/form.css?v=${assets.css.version}`,
    script: `/public/forms/assets/page.js?v=${assets.page.version}`,
  };
}

function acceptLanguage(request: FastifyRequest): string | undefined {
  const header = request.headers['accept-language'];
  return typeof header === 'string' ? header : undefined;
}

function langOf(definition: PublicDefinition): PageLanguage {
  return isPageLanguage(definition.language) ? definition.language : 'en';
}

/**
 * The definition in the visitor's language: `?lang`, else their first choice in
 * `Accept-Language` among the languages the form offers (asked again when the first guess is
 * not one of them), else the form's default.
 */
async function definitionFor(
  definitions: DefinitionSource,
  request: FastifyRequest,
  formId: string,
  query: string | undefined,
): Promise<PublicDefinition | undefined> {
  const first = await definitions(request, formId, negotiateLanguage(query, acceptLanguage(request)));
  if (!first) return undefined;
  const offered = (first.languages ?? []).filter(isPageLanguage);
  if (offered.length === 0) return first;
  const better = negotiateLanguage(query, acceptLanguage(request), offered);
  return better === first.language ? first : definitions(request, formId, better);
}

function sendAsset(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: Asset,
  crossOrigin: boolean,
): FastifyReply {
  const v = (request.query as { v?: string } | undefined)?.v;
  reply
    .header('content-type', asset.contentType)
    .header('etag', asset.etag)
    .header(
      'cache-control',
      v === asset.version
        ? 'public, max-age=31536000, immutable'
        : // The embed's address never changes: a day, then revalidated by ETag.
          'public, max-age=86400, stale-while-revalidate=604800',
    );
  if (crossOrigin) {
    reply.header('cross-origin-resource-policy', 'cross-origin').header('access-control-allow-origin', '*');
  }
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  return reply.send(asset.body);
}

function notFoundPage(request: FastifyRequest, reply: FastifyReply, assets: PublicAssets, query?: string) {
  const lang = negotiateLanguage(query, acceptLanguage(request));
  const m = messagesOf(lang);
  return sendPage(
    reply,
    404,
    renderMessagePage({ lang, title: m.notFoundTitle, text: m.notFoundText, assets: pageAssets(assets) }),
  );
}

/** The values of a parsed urlencoded body, for showing them again (never the internal fields). */
function submittedValues(body: unknown): Values {
  if (!body || typeof body !== 'object') return {};
  const values: Values = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith('_') || key === 'altcha') continue;
    if (typeof value === 'string') values[key] = value.slice(0, 10_000);
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return values;
}

function isFormPost(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return (
    request.method === 'POST' &&
    request.routeOptions.url === FORM_POST_ROUTE &&
    typeof type === 'string' &&
    type.toLowerCase().startsWith('application/x-www-form-urlencoded')
  );
}

function problemOf(payload: unknown): { errors?: { path?: unknown }[] } {
  if (typeof payload !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed && typeof parsed === 'object' ? (parsed as { errors?: { path?: unknown }[] }) : {};
  } catch {
    return {};
  }
}

export function formsPublicRoutes(deps: FormsPublicDeps) {
  const { definitions } = deps;
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');

  const plugin = async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const hidden = { hide: true } as const;

    r.get('/public/forms/embed.js', { schema: hidden }, async (request, reply) =>
      sendAsset(request, reply, (await publicAssets()).embed, true),
    );
    r.get('/public/forms/assets/page.js', { schema: hidden }, async (request, reply) =>
      sendAsset(request, reply, (await publicAssets()).page, false),
    );
    r.get('/public/forms/assets/form.css', { schema: hidden }, async (request, reply) =>
      sendAsset(request, reply, (await publicAssets()).css, true),
    );

    const pageQuery = z.object({ lang: z.string().max(35).optional() });
    const pageParams = z.object({ id: z.string().max(100) });

    r.get(
      '/public/forms/:id',
      { schema: { ...hidden, params: pageParams, querystring: pageQuery } },
      async (request, reply) => {
        const assets = await publicAssets();
        const { id } = request.params;
        if (!UUID.test(id)) return notFoundPage(request, reply, assets, request.query.lang);
        const definition = await definitionFor(definitions, request, id, request.query.lang);
        if (!definition) return notFoundPage(request, reply, assets, request.query.lang);
        const html = renderFormPage({
          definition,
          lang: langOf(definition),
          action: `/public/forms/${id}`,
          challengeUrl: `/public/forms/${id}/challenge`,
          assets: pageAssets(assets),
        });
        return sendPage(reply, 200, html, definition.redirectUrl);
      },
    );

    r.get(
      '/public/forms/:id/thanks',
      { schema: { ...hidden, params: pageParams, querystring: pageQuery } },
      async (request, reply) => {
        const assets = await publicAssets();
        const { id } = request.params;
        if (!UUID.test(id)) return notFoundPage(request, reply, assets, request.query.lang);
        const definition = await definitionFor(definitions, request, id, request.query.lang);
        if (!definition) return notFoundPage(request, reply, assets, request.query.lang);
        const html = renderThanksPage({
          lang: langOf(definition),
          title: typeof definition.title === 'string' ? definition.title : '',
          message: typeof definition.successMessage === 'string' ? definition.successMessage : '',
          assets: pageAssets(assets),
        });
        return sendPage(reply, 200, html);
      },
    );

    r.get(
      '/api/v1/forms/:id/embed',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags: ['forms'],
          summary:
            'How to put a form on a website: the hosted page, the script tag, an iframe and a WordPress shortcode, for the configured base URL',
          params: z.object({ id: z.uuid() }),
          response: { 200: embedSnippetsSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const form = await withTenant(deps.database.db, principal.tenantId, (tx) =>
          findForm(tx, request.params.id),
        );
        if (!form) throw formsError('FORMS_NOT_FOUND', 'There is no form with this id.');
        return embedSnippets(baseUrl, form.id, form.name);
      },
    );

    // A plain form post (the hosted page, JavaScript or not) that the core refused: the page
    // again, in the visitor's language, with the values and an error next to each field named in
    // errors[].path. JSON posts (the embed, integrations) keep their problem+json.
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode < 400 || !isFormPost(request)) return payload;
      const id = (request.params as { id?: string }).id ?? '';
      const assets = await publicAssets();
      const body = (request.body ?? {}) as Record<string, unknown>;
      const lang = negotiateLanguage(
        typeof body._lang === 'string' ? body._lang : undefined,
        acceptLanguage(request),
      );
      const m = messagesOf(lang);
      const status = reply.statusCode;
      const page = (html: string, redirectUrl?: string | null) => {
        reply.removeHeader('x-frame-options');
        reply
          .header('content-security-policy', pageCsp(redirectUrl))
          .header('cache-control', 'no-store')
          .header('content-type', 'text/html; charset=utf-8')
          .removeHeader('content-length');
        return html;
      };
      const definition =
        UUID.test(id) && status !== 404
          ? await definitions(request, id, lang).catch(() => undefined)
          : undefined;
      if (!definition) {
        const text = status === 404 ? m.notFoundText : status === 429 ? m.tooManyText : m.failedText;
        const title = status === 404 ? m.notFoundTitle : status === 429 ? m.tooManyTitle : m.failedTitle;
        return page(
          renderMessagePage({
            lang,
            title,
            text,
            assets: pageAssets(assets),
            ...(status === 404 ? {} : { back: `/public/forms/${id}?lang=${lang}` }),
          }),
        );
      }
      const fieldNames = new Set(definition.fields.map((f) => f.name));
      const values = submittedValues(body);
      const errors: FieldErrors = {};
      let formError: string | undefined;
      // An answer given to a wording that has changed since is not shown as chosen: the person
      // reads the new wording and answers again.
      for (const question of definition.consentQuestions) {
        const name = consentName(question.id);
        const shown = body[`_cv.${question.id}`];
        if (values[name] !== undefined && shown !== undefined && String(shown) !== String(question.version)) {
          delete values[name];
          errors[name] = m.consentChanged;
        }
      }
      if (status === 400) {
        const questionIds = new Set(definition.consentQuestions.map((q) => q.id));
        for (const error of problemOf(payload).errors ?? []) {
          const [first = '', second = '', third] = String(error.path ?? '').split('.');
          if (first === 'consent' && questionIds.has(second)) {
            const name = consentName(second);
            errors[name] ??=
              third === 'version' ? m.consentChanged : values[name] ? m.fieldInvalid : m.answerRequired;
            if (third === 'version') delete values[name];
            continue;
          }
          if (!fieldNames.has(first)) continue;
          const value = values[first];
          const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
          errors[first] = empty ? m.fieldRequired : m.fieldInvalid;
        }
        if (Object.keys(errors).length === 0) formError = m.failedText;
      } else {
        formError = status === 429 ? m.tooManyText : status === 413 ? m.tooLargeText : m.failedText;
      }
      // A 400 passed the spam checks: its token (the first render's) keeps counting the fill
      // time. The challenge is always a fresh one.
      const token =
        status === 400 && typeof body._token === 'string' && body._token.length < 200
          ? body._token
          : definition.token;
      return page(
        renderFormPage({
          definition: { ...definition, token },
          lang: langOf(definition),
          action: `/public/forms/${id}`,
          challengeUrl: `/public/forms/${id}/challenge`,
          assets: pageAssets(assets),
          values,
          errors,
          ...(formError ? { formError } : {}),
        }),
        definition.redirectUrl,
      );
    });
  };
  // Registered in the root context: the hook must see the core's POST route.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
