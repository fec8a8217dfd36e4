/**
 * The public newsletter pages (no sign-in, no cookie, no CSRF token — the address carries the
 * authority; strict CSP, `Cache-Control: no-store`):
 * - `GET /public/newsletters/confirm/{token}` — the confirm button; changes nothing (mail
 *   scanners fetch links). `POST` — confirms once. Used or expired: 410; unknown: 404; both
 *   pages say so and change nothing.
 * - `GET /public/unsubscribe/{token}` — a button and the link to the preference centre;
 *   changes nothing. `POST` (RFC 8058 `List-Unsubscribe=One-Click`, urlencoded or multipart, or
 *   the page's button) — unsubscribes that newsletter, 200, idempotent. A forged token: 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { Database } from '../../../kernel/db/database.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';
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
import { CONFIRMATION_LINK_DAYS, preferencesUrl, verifyUnsubscribeToken } from '../consent.links.ts';
import * as repo from './newsletters.repository.ts';
import {
  type ConfirmationState,
  confirmationTenant,
  confirmSubscription,
  inspectConfirmation,
  parseNewsletter,
  textsIn,
  unsubscribe,
} from './newsletters.subscriptions.ts';
import { PAGE_TEXTS } from './newsletters.texts.ts';

export type NewslettersPublicDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  baseUrl: string;
};

const tokenParams = z.object({ token: z.string().max(200) });
const langQuery = z.object({ lang: z.string().max(35).optional() });
const formBody = z.record(z.string(), z.unknown()).nullish();
const page = z.string().describe('An HTML page');

/** ?lang=, else the language the person used (their request, their contact), else Accept-Language. */
function languageFor(
  request: FastifyRequest,
  query: string | undefined,
  own?: string | null,
): PublicPageLanguage {
  const asked = query?.toLowerCase();
  if (isPublicPageLanguage(asked)) return asked;
  const mine = own?.slice(0, 2).toLowerCase();
  return negotiateLanguage(
    undefined,
    acceptLanguageOf(request),
    undefined,
    isPublicPageLanguage(mine) ? mine : undefined,
  );
}

function messagePage(
  reply: FastifyReply,
  status: number,
  lang: PublicPageLanguage,
  title: string,
  text: string,
  extra = '',
): FastifyReply {
  const body = `<h1>${escapeHtml(title)}</h1>\n<p${status >= 400 ? ' class="alert" role="alert"' : ' class="status" role="status"'}>${escapeHtml(text)}</p>${extra}`;
  return sendPublicPage(reply, status, renderPublicPage({ lang, title, body }));
}

function confirmationPage(
  reply: FastifyReply,
  request: FastifyRequest,
  state: ConfirmationState,
  query: string | undefined,
  action: string,
): FastifyReply {
  const lang = languageFor(request, query, state.state === 'unknown' ? undefined : state.language);
  const t = PAGE_TEXTS[lang];
  switch (state.state) {
    case 'unknown':
      return messagePage(reply, 404, lang, t.unknownTitle, t.unknownText);
    case 'expired':
      return messagePage(reply, 410, lang, t.expiredTitle, t.expiredText(CONFIRMATION_LINK_DAYS));
    case 'used':
      return state.subscribed
        ? messagePage(reply, 410, lang, t.alreadyConfirmedTitle, t.alreadyConfirmedText(state.title))
        : messagePage(reply, 410, lang, t.usedTitle, t.usedText);
    case 'confirmed':
      return messagePage(reply, 200, lang, t.confirmedTitle, t.confirmedText(state.title));
    case 'open': {
      const body = `<h1>${escapeHtml(t.confirmTitle)}</h1>
<p>${escapeHtml(t.confirmText(state.title))}</p>
<form${attrs({ method: 'post', action, 'accept-charset': 'utf-8' })}>
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit">${escapeHtml(t.confirmButton)}</button></div>
</form>`;
      return sendPublicPage(reply, 200, renderPublicPage({ lang, title: t.confirmTitle, body }));
    }
  }
}

export function newslettersPublicRoutes(deps: NewslettersPublicDeps) {
  const { database } = deps;
  return async (app: FastifyInstance) => {
    await registerPublicFormBodies(app);
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.removeHeader('set-cookie');
      return payload;
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['public newsletters'];
    const html = { produces: ['text/html'] };
    const forms = { consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'] };

    // -- double opt-in ----------------------------------------------------------------------------

    r.get(
      '/public/newsletters/confirm/:token',
      {
        schema: {
          tags,
          summary: 'The double-opt-in page with its confirm button (a GET changes nothing)',
          ...html,
          params: tokenParams,
          querystring: langQuery,
          response: { 200: page, 404: page, 410: page },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const tenantId = confirmationTenant(token);
        const state: ConfirmationState = tenantId
          ? await withTenant(database.db, tenantId, (tx) => inspectConfirmation(tx, token))
          : { state: 'unknown' };
        return confirmationPage(reply, request, state, request.query.lang, request.url.split('?')[0] ?? '');
      },
    );

    r.post(
      '/public/newsletters/confirm/:token',
      {
        bodyLimit: 32 * 1024,
        schema: {
          tags,
          summary:
            'Confirm a subscription (once): 200; used or expired: 410; unknown: 404 — nothing changes then',
          ...html,
          ...forms,
          params: tokenParams,
          querystring: langQuery,
          body: formBody,
          response: { 200: page, 404: page, 410: page },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const tenantId = confirmationTenant(token);
        const state: ConfirmationState = tenantId
          ? await withTenant(database.db, tenantId, (tx) =>
              confirmSubscription(tx, token, {
                queue: deps.queue,
                baseUrl: deps.baseUrl,
                secrets: deps.secrets,
              }),
            )
          : { state: 'unknown' };
        if (state.state === 'confirmed' && state.welcome === 'failed') {
          request.log.warn({ tenantId }, 'newsletter welcome mail not sent: its template failed');
        }
        return confirmationPage(reply, request, state, request.query.lang, request.url.split('?')[0] ?? '');
      },
    );

    // -- unsubscribe ------------------------------------------------------------------------------------

    type Shown = {
      lang: PublicPageLanguage;
      title: string;
      optOutText: string | null;
      subscribed: boolean;
      preferences: string;
    };

    /** What the unsubscribe page shows; undefined for a token of no newsletter. */
    const unsubscribeView = async (
      request: FastifyRequest,
      link: NonNullable<ReturnType<typeof verifyUnsubscribeToken>>,
      query: string | undefined,
    ) =>
      withTenant(database.db, link.tenantId, async (tx): Promise<Shown | undefined> => {
        const row = await repo.findNewsletter(tx, link.newsletterId);
        if (!row) return undefined;
        const subscription = await repo.findSubscription(tx, link.contactId, link.newsletterId);
        const contact = await tx
          .selectFrom('contact')
          .select('language')
          .where('id', '=', link.contactId)
          .executeTakeFirst();
        const lang = languageFor(request, query, subscription?.language ?? contact?.language);
        const texts = textsIn(parseNewsletter(row), lang);
        return {
          lang,
          title: texts.title,
          optOutText: texts.optOutText,
          subscribed: subscription?.status === 'subscribed' || subscription?.status === 'pending',
          preferences: contact
            ? preferencesUrl(deps.baseUrl, deps.secrets, link.tenantId, link.contactId)
            : '',
        };
      });

    const preferencesLink = (shown: Shown) =>
      shown.preferences
        ? `\n<p><a${attrs({ href: shown.preferences })}>${escapeHtml(PAGE_TEXTS[shown.lang].preferencesLink)}</a></p>`
        : '';

    r.get(
      '/public/unsubscribe/:token',
      {
        schema: {
          tags,
          summary:
            'The unsubscribe page: a button (POST) and the link to the preference centre; a GET changes nothing',
          ...html,
          params: tokenParams,
          querystring: langQuery,
          response: { 200: page, 404: page },
        },
      },
      async (request, reply) => {
        const link = verifyUnsubscribeToken(deps.secrets, request.params.token);
        const shown = link ? await unsubscribeView(request, link, request.query.lang) : undefined;
        if (!shown) {
          const lang = languageFor(request, request.query.lang);
          return messagePage(reply, 404, lang, PAGE_TEXTS[lang].unknownTitle, PAGE_TEXTS[lang].unknownText);
        }
        const t = PAGE_TEXTS[shown.lang];
        if (!shown.subscribed) {
          return messagePage(
            reply,
            200,
            shown.lang,
            t.unsubscribeTitle,
            t.notSubscribedText(shown.title),
            preferencesLink(shown),
          );
        }
        const body = `<h1>${escapeHtml(t.unsubscribeTitle)}</h1>
<p>${escapeHtml(t.unsubscribeText(shown.title))}</p>${shown.optOutText ? `\n<p class="note">${escapeHtml(shown.optOutText)}</p>` : ''}
<form${attrs({ method: 'post', action: request.url.split('?')[0] ?? '', 'accept-charset': 'utf-8' })}>
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<input type="hidden" name="_page" value="1">
<div class="actions"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></div>
</form>${preferencesLink(shown)}`;
        return sendPublicPage(
          reply,
          200,
          renderPublicPage({ lang: shown.lang, title: t.unsubscribeTitle, body }),
        );
      },
    );

    r.post(
      '/public/unsubscribe/:token',
      {
        bodyLimit: 32 * 1024,
        schema: {
          tags,
          summary:
            'One-click unsubscribe (RFC 8058): POST List-Unsubscribe=One-Click (urlencoded or multipart) → 200; idempotent; no session or CSRF token',
          ...html,
          ...forms,
          params: tokenParams,
          querystring: langQuery,
          body: formBody,
          response: { 200: page, 404: page },
        },
      },
      async (request, reply) => {
        const link = verifyUnsubscribeToken(deps.secrets, request.params.token);
        if (!link) {
          const lang = languageFor(request, request.query.lang);
          return messagePage(reply, 404, lang, PAGE_TEXTS[lang].unknownTitle, PAGE_TEXTS[lang].unknownText);
        }
        const fromPage = fieldOf(request.body, '_page') === '1';
        await withTenant(database.db, link.tenantId, async (tx) => {
          if (!(await repo.findNewsletter(tx, link.newsletterId))) return;
          await unsubscribe(tx, deps.queue, {
            contactId: link.contactId,
            newsletterId: link.newsletterId,
            source: 'newsletter',
            sourceRef: fromPage ? 'unsubscribe-page' : 'list-unsubscribe-post',
            byContact: true,
          });
        });
        const shown = await unsubscribeView(request, link, request.query.lang);
        const lang = shown?.lang ?? languageFor(request, request.query.lang);
        const t = PAGE_TEXTS[lang];
        return messagePage(
          reply,
          200,
          lang,
          t.unsubscribedTitle,
          t.unsubscribedText(shown?.title ?? ''),
          shown ? preferencesLink(shown) : '',
        );
      },
    );
  };
}
