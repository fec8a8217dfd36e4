/**
 * The preference centre (public, no sign-in, no cookie, no script; strict CSP, no-store):
 * - `GET /public/preferences/{token}` — the contact's newsletters (a checkbox each, the
 *   tenant's opt-out text) and consent answers (a radio group per question, current wording),
 *   in the contact's language; a second form unsubscribes from all newsletters.
 * - `POST /public/preferences/{token}` — saves (`action=save`) or unsubscribes from all
 *   (`action=unsubscribe-all`), then 303 back to the page with a message (post/redirect/get).
 * - `GET /public/preferences?tenant=&lang=` — asks for an email; `POST` mails a fresh link (60
 *   days) and answers the same page for known and unknown addresses; 3 per address per 15 min.
 * An expired link: 410 with the form for a new one; a forged one: 404 with that form.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { Database } from '../../../kernel/db/database.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';
import { AppError } from '../../../kernel/errors.ts';
import {
  acceptLanguageOf,
  attrs,
  escapeHtml,
  fieldOf,
  isPublicPageLanguage,
  negotiateLanguage,
  type PublicPageLanguage,
  registerPublicFormBodies,
  renderPublicPage,
  sendPublicPage,
} from '../../../kernel/http/public-page.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { verifyPreferencesToken } from '../consent.links.ts';
import {
  contactLanguage,
  loadPreferences,
  type PreferencesView,
  readPreferencesForm,
  requestPreferencesLink,
  savePreferences,
  unsubscribeAll,
} from './preferences.service.ts';
import { PREFERENCES_TEXTS } from './preferences.texts.ts';

export type PreferencesDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  baseUrl: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const tokenParams = z.object({ token: z.string().max(200) });
const pageQuery = z.object({
  lang: z.string().max(35).optional(),
  done: z.enum(['saved', 'confirm', 'all']).optional(),
  tenant: z.string().max(100).optional(),
});
const formBody = z.record(z.string(), z.unknown()).nullish();
const page = z.string().describe('An HTML page');

function pickLanguage(
  request: FastifyRequest,
  query: string | undefined,
  own?: string | null,
): PublicPageLanguage {
  const asked = query?.toLowerCase();
  if (isPublicPageLanguage(asked)) return asked;
  return negotiateLanguage(
    undefined,
    acceptLanguageOf(request),
    undefined,
    isPublicPageLanguage(own) ? own : undefined,
  );
}

/** The form asking for a link (on its own page, and under an expired or unknown link). */
function requestForm(lang: PublicPageLanguage, tenantId: string | null, error?: string, email = ''): string {
  const t = PREFERENCES_TEXTS[lang];
  return `<form${attrs({ method: 'post', action: '/public/preferences', 'accept-charset': 'utf-8', novalidate: true })}>
<input type="hidden" name="lang" value="${lang}">
${tenantId ? `<input type="hidden" name="tenant" value="${escapeHtml(tenantId)}">\n` : ''}<p><label for="email">${escapeHtml(t.email)}</label></p>
${error ? `<p class="alert" id="email-error" role="alert">${escapeHtml(error)}</p>\n` : ''}<p><input${attrs({
    type: 'email',
    id: 'email',
    name: 'email',
    value: email,
    required: true,
    autocomplete: 'email',
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? 'email-error' : undefined,
  })}></p>
<div class="actions"><button type="submit">${escapeHtml(t.send)}</button></div>
</form>`;
}

function renderPreferences(
  lang: PublicPageLanguage,
  view: PreferencesView,
  action: string,
  message?: { text: string; alert?: boolean },
): string {
  const t = PREFERENCES_TEXTS[lang];
  const status = message
    ? `<p${message.alert ? ' class="alert" role="alert"' : ' class="status" role="status"'}>${escapeHtml(message.text)}</p>\n`
    : '';
  const newsletters =
    view.newsletters.length === 0
      ? `<p>${escapeHtml(t.noNewsletters)}</p>`
      : view.newsletters
          .map((n) => {
            const id = `nl-${n.id}`;
            const hints = [
              n.description,
              n.status === 'pending' ? t.pending : null,
              (n.status === 'subscribed' || n.status === 'pending') && n.optOutText
                ? `${t.optOut} ${n.optOutText}`
                : null,
            ].filter((h): h is string => Boolean(h));
            const hintId = hints.length > 0 ? `${id}-hint` : undefined;
            return `<input type="hidden" name="shown" value="${n.id}">
<div class="choice"><input${attrs({
              type: 'checkbox',
              id,
              name: 'newsletter',
              value: n.id,
              checked: n.status === 'subscribed' || n.status === 'pending',
              'aria-describedby': hintId,
            })}><label for="${id}">${escapeHtml(n.title)}</label></div>${
              hintId ? `\n<p class="hint" id="${hintId}">${hints.map(escapeHtml).join('<br>')}</p>` : ''
            }`;
          })
          .join('\n');
  const questions = view.questions
    .map((q) => {
      const helpId = q.help ? `q-${q.id}-help` : undefined;
      const options = q.options
        .map((o, i) => {
          const id = `q-${q.id}-${i}`;
          return `<div class="choice"><input${attrs({
            type: 'radio',
            id,
            name: `q.${q.id}`,
            value: o.key,
            checked: q.current === o.key,
          })}><label for="${id}">${escapeHtml(o.label)}</label></div>`;
        })
        .join('\n');
      return `<fieldset${attrs({ 'aria-describedby': helpId })}>
<legend>${escapeHtml(q.label)}</legend>${q.help ? `\n<p class="note" id="${helpId}">${escapeHtml(q.help)}</p>` : ''}
<input type="hidden" name="v.${q.id}" value="${q.version}">
${options}
</fieldset>`;
    })
    .join('\n');
  const receivesAny = view.newsletters.some((n) => n.status === 'subscribed' || n.status === 'pending');
  const body = `<h1>${escapeHtml(t.title)}</h1>
${status}<p>${escapeHtml(t.intro(view.tenant))}</p>
<form${attrs({ method: 'post', action, 'accept-charset': 'utf-8' })}>
<input type="hidden" name="action" value="save">
<fieldset aria-describedby="nl-hint">
<legend>${escapeHtml(t.newsletters)}</legend>
<p class="note" id="nl-hint">${escapeHtml(t.newslettersHint)}</p>
${newsletters}
</fieldset>
${questions ? `<h2>${escapeHtml(t.consents)}</h2>\n${questions}\n` : ''}<div class="actions"><button type="submit">${escapeHtml(t.save)}</button></div>
</form>${
    receivesAny
      ? `
<form${attrs({ method: 'post', action, 'accept-charset': 'utf-8' })}>
<input type="hidden" name="action" value="unsubscribe-all">
<p class="note">${escapeHtml(t.unsubscribeAllHint)}</p>
<div class="actions"><button type="submit" class="secondary">${escapeHtml(t.unsubscribeAll)}</button></div>
</form>`
      : ''
  }`;
  return renderPublicPage({ lang, title: t.title, body });
}

function linkProblemPage(
  reply: FastifyReply,
  status: 404 | 410,
  lang: PublicPageLanguage,
  tenantId: string | null,
): FastifyReply {
  const t = PREFERENCES_TEXTS[lang];
  const title = status === 410 ? t.expiredTitle : t.unknownTitle;
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="alert" role="alert">${escapeHtml(status === 410 ? t.expiredText : t.unknownText)}</p>
${requestForm(lang, tenantId)}`;
  return sendPublicPage(reply, status, renderPublicPage({ lang, title, body }));
}

export function preferencesRoutes(deps: PreferencesDeps) {
  const { database } = deps;
  /** An expired link still names its contact: the page in their language, with the form for a new link. */
  const expiredPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    link: { tenantId: string; contactId: string },
    query: string | undefined,
  ) => {
    const own = await withTenant(database.db, link.tenantId, (tx) => contactLanguage(tx, link.contactId));
    return linkProblemPage(reply, 410, pickLanguage(request, query, own), link.tenantId);
  };
  return async (app: FastifyInstance) => {
    await registerPublicFormBodies(app);
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.removeHeader('set-cookie');
      return payload;
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['public preferences'];
    const html = { produces: ['text/html'] };
    const forms = { consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'] };

    r.get(
      '/public/preferences/:token',
      {
        schema: {
          tags,
          summary:
            "The preference centre: the contact's newsletters and consent answers (works without JavaScript)",
          ...html,
          params: tokenParams,
          querystring: pageQuery,
          response: { 200: page, 404: page, 410: page },
        },
      },
      async (request, reply) => {
        const verified = verifyPreferencesToken(deps.secrets, request.params.token);
        if (!verified) return linkProblemPage(reply, 404, pickLanguage(request, request.query.lang), null);
        const { link } = verified;
        if (verified.status === 'expired') return expiredPage(request, reply, link, request.query.lang);
        const result = await withTenant(database.db, link.tenantId, async (tx) => {
          const own = await contactLanguage(tx, link.contactId);
          if (own === null) return undefined;
          const lang = pickLanguage(request, request.query.lang, own);
          const view = await loadPreferences(tx, link.contactId, lang);
          return view ? { lang, view } : undefined;
        });
        if (!result)
          return linkProblemPage(reply, 404, pickLanguage(request, request.query.lang), link.tenantId);
        const t = PREFERENCES_TEXTS[result.lang];
        const done = request.query.done;
        const message =
          done === 'saved'
            ? { text: t.saved }
            : done === 'confirm'
              ? { text: `${t.saved} ${t.confirmationSent}` }
              : done === 'all'
                ? { text: t.unsubscribedAll }
                : undefined;
        const action = `/public/preferences/${request.params.token}?lang=${result.lang}`;
        return sendPublicPage(reply, 200, renderPreferences(result.lang, result.view, action, message));
      },
    );

    r.post(
      '/public/preferences/:token',
      {
        bodyLimit: 32 * 1024,
        schema: {
          tags,
          summary:
            'Save the preference centre (action=save: newsletter=<id>…, shown=<id>…, q.<questionId>=<optionKey>, v.<questionId>=<version>; action=unsubscribe-all) → 303 to the page',
          ...html,
          ...forms,
          params: tokenParams,
          querystring: pageQuery,
          body: formBody,
          response: { 303: z.null(), 400: page, 404: page, 410: page },
        },
      },
      async (request, reply) => {
        const verified = verifyPreferencesToken(deps.secrets, request.params.token);
        if (!verified) return linkProblemPage(reply, 404, pickLanguage(request, request.query.lang), null);
        const { link } = verified;
        if (verified.status === 'expired') return expiredPage(request, reply, link, request.query.lang);
        const action = fieldOf(request.body, 'action') === 'unsubscribe-all' ? 'all' : 'save';
        const form = readPreferencesForm(request.body);
        try {
          const outcome = await withTenant(database.db, link.tenantId, async (tx) => {
            const own = await contactLanguage(tx, link.contactId);
            if (own === null) return undefined;
            const lang = pickLanguage(request, request.query.lang, own);
            if (action === 'all') {
              await unsubscribeAll(tx, deps.queue, { contactId: link.contactId, language: lang });
              return { lang, done: 'all' as const };
            }
            const { confirmationSent } = await savePreferences(tx, deps.queue, {
              contactId: link.contactId,
              language: lang,
              baseUrl: deps.baseUrl,
              form,
            });
            return { lang, done: confirmationSent ? ('confirm' as const) : ('saved' as const) };
          });
          if (!outcome) {
            return linkProblemPage(reply, 404, pickLanguage(request, request.query.lang), link.tenantId);
          }
          return reply
            .status(303)
            .header('cache-control', 'no-store')
            .header(
              'location',
              `/public/preferences/${request.params.token}?lang=${outcome.lang}&done=${outcome.done}`,
            )
            .send(null);
        } catch (error) {
          if (!(error instanceof AppError) || error.kind !== 'bad_request') throw error;
          // An answer that is not an option of the question (a tampered form): the page again, nothing saved.
          const again = await withTenant(database.db, link.tenantId, async (tx) => {
            const lang = pickLanguage(request, request.query.lang, await contactLanguage(tx, link.contactId));
            const view = await loadPreferences(tx, link.contactId, lang);
            return view ? { lang, view } : undefined;
          });
          if (!again)
            return linkProblemPage(reply, 404, pickLanguage(request, request.query.lang), link.tenantId);
          const actionUrl = `/public/preferences/${request.params.token}?lang=${again.lang}`;
          return sendPublicPage(
            reply,
            400,
            renderPreferences(again.lang, again.view, actionUrl, {
              text: PREFERENCES_TEXTS[again.lang].invalidAnswer,
              alert: true,
            }),
          );
        }
      },
    );

    const tenantOf = (value: string | undefined) => (value && UUID.test(value) ? value.toLowerCase() : null);

    r.get(
      '/public/preferences',
      {
        schema: {
          tags,
          summary: 'Ask for a link to the preference centre by email (?tenant= names the organisation)',
          ...html,
          querystring: pageQuery,
          response: { 200: page },
        },
      },
      async (request, reply) => {
        const lang = pickLanguage(request, request.query.lang);
        const t = PREFERENCES_TEXTS[lang];
        const body = `<h1>${escapeHtml(t.requestTitle)}</h1>
<p>${escapeHtml(t.requestText)}</p>
${requestForm(lang, tenantOf(request.query.tenant))}`;
        return sendPublicPage(reply, 200, renderPublicPage({ lang, title: t.requestTitle, body }));
      },
    );

    r.post(
      '/public/preferences',
      {
        bodyLimit: 8 * 1024,
        schema: {
          tags,
          summary:
            'Mail a fresh link to the preference centre (email=, tenant=, lang=): the same page for known and unknown addresses; 429 after 3 per address in 15 minutes',
          ...html,
          ...forms,
          querystring: pageQuery,
          body: formBody,
          response: { 200: page, 400: page, 429: page },
        },
      },
      async (request, reply) => {
        const lang = pickLanguage(request, fieldOf(request.body, 'lang') ?? request.query.lang);
        const t = PREFERENCES_TEXTS[lang];
        const email = (fieldOf(request.body, 'email') ?? '').trim().slice(0, 320);
        const tenantId = tenantOf(fieldOf(request.body, 'tenant') ?? request.query.tenant);
        if (!EMAIL.test(email)) {
          const body = `<h1>${escapeHtml(t.requestTitle)}</h1>
<p>${escapeHtml(t.requestText)}</p>
${requestForm(lang, tenantId, t.emailInvalid, email)}`;
          return sendPublicPage(reply, 400, renderPublicPage({ lang, title: t.requestTitle, body }));
        }
        try {
          await requestPreferencesLink(database.db, deps.queue, {
            email,
            tenantId,
            language: lang,
            baseUrl: deps.baseUrl,
            secrets: deps.secrets,
          });
        } catch (error) {
          if (!(error instanceof AppError) || error.kind !== 'rate_limited') throw error;
          const retry = error.extras?.headers?.['Retry-After'];
          if (retry) reply.header('retry-after', retry);
          const body = `<h1>${escapeHtml(t.tooManyTitle)}</h1>
<p class="alert" role="alert">${escapeHtml(t.tooManyText)}</p>`;
          return sendPublicPage(reply, 429, renderPublicPage({ lang, title: t.tooManyTitle, body }));
        }
        const body = `<h1>${escapeHtml(t.requestedTitle)}</h1>
<p class="status" role="status">${escapeHtml(t.requestedText)}</p>`;
        return sendPublicPage(reply, 200, renderPublicPage({ lang, title: t.requestedTitle, body }));
      },
    );
  };
}
