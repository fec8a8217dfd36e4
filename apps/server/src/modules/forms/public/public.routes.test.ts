import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../../test/support/app.ts';
import { solveChallenge } from './client/pow.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

/** The forms core's minimum fill time is 3 s; the page's posts wait this long. */
const MIN_FILL_MS = 3_100;

type Json = Record<string, unknown>;

function definition(overrides: Json = {}): Json {
  return {
    languages: ['de', 'en'],
    title: { de: 'Anfrage', en: 'Enquiry' },
    fields: [
      {
        name: 'email',
        target: 'contact.email',
        type: 'email',
        label: { de: 'E-Mail', en: 'Email' },
        required: true,
      },
      {
        name: 'last_name',
        target: 'contact.lastName',
        type: 'text',
        label: { de: 'Nachname', en: 'Last name' },
        required: false,
      },
      {
        name: 'topic',
        target: 'none',
        type: 'select',
        label: { de: 'Thema', en: 'Topic' },
        required: false,
        options: [
          { value: 'offer', label: { de: 'Angebot', en: 'Quote' } },
          { value: 'other', label: { de: 'Anderes', en: 'Other' } },
        ],
      },
      {
        name: 'message',
        target: 'none',
        type: 'textarea',
        label: { de: 'Nachricht', en: 'Message' },
        required: false,
      },
    ],
    submitLabel: { de: 'Absenden', en: 'Submit' },
    successMessage: { de: 'Danke schön!', en: 'Thanks a lot!' },
    ...overrides,
  };
}

async function newForm(token: string, status: 'published' | 'draft' = 'published', overrides: Json = {}) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/forms',
    headers: bearer(token),
    payload: { name: 'Website enquiry', status, definition: definition(overrides) },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string };
}

function hiddenValue(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  assert.ok(match, `no hidden ${name} in the page`);
  return (match[1] as string).replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

function challengeOf(html: string): unknown {
  const match = /data-challenge="([^"]*)"/.exec(html);
  assert.ok(match, 'no challenge in the page');
  return JSON.parse(
    (match[1] as string)
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&'),
  );
}

function assertStrictPage(response: { headers: Record<string, unknown> }): void {
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.match(csp, /base-uri 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*\.|https?:/);
  assert.equal(response.headers['set-cookie'], undefined, 'no cookie');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
}

test('the hosted page renders the published form in the language asked for (?lang, else Accept-Language), with a strict CSP and no cookie', async () => {
  const tenant = await ctx.newTenant();
  const form = await newForm(tenant.apiToken);

  const en = await ctx.app.inject({ method: 'GET', url: `/public/forms/${form.id}?lang=en` });
  assert.equal(en.statusCode, 200, en.body);
  assertStrictPage(en);
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /<h1>Enquiry<\/h1>/);
  assert.match(en.body, new RegExp(`<form class="kf-form" method="post" action="/public/forms/${form.id}"`));
  assert.match(
    en.body,
    /<label for="kf-email">Email <span class="kf-required" aria-hidden="true">\*<\/span>/,
  );
  assert.match(
    en.body,
    /<input type="email" id="kf-email" name="email" value="" required autocomplete="email">/,
  );
  assert.match(en.body, /<option value="offer">Quote<\/option>/);
  assert.match(en.body, /<button type="submit" class="kf-submit">Submit<\/button>/);
  assert.match(en.body, /<input type="hidden" name="_lang" value="en">/);
  assert.ok(hiddenValue(en.body, '_token').length > 10);
  assert.ok(challengeOf(en.body), 'the page carries a challenge for its script');
  assert.match(
    en.body,
    /<div class="kf-hp" aria-hidden="true">[\s\S]*name="_hp" value="" tabindex="-1" autocomplete="off"/,
  );
  assert.match(en.body, /<script src="\/public\/forms\/assets\/page\.js\?v=[\w-]+" defer><\/script>/);
  assert.doesNotMatch(en.body, /<script>|<style|\sstyle=/);

  const de = await ctx.app.inject({
    method: 'GET',
    url: `/public/forms/${form.id}`,
    headers: { 'accept-language': 'fr-CH, de;q=0.9, en;q=0.5' },
  });
  assert.equal(de.statusCode, 200);
  assert.match(de.body, /<html lang="de">/);
  assert.match(de.body, /<label for="kf-email">E-Mail/);
  assert.match(de.body, /<button type="submit" class="kf-submit">Absenden<\/button>/);
  assert.match(de.body, /<option value="">Bitte wählen<\/option>/);

  // A language the form does not offer: its first language, unless the browser names another it offers.
  const fr = await ctx.app.inject({ method: 'GET', url: `/public/forms/${form.id}?lang=fr` });
  assert.match(fr.body, /<html lang="de">/);
  const second = await ctx.app.inject({
    method: 'GET',
    url: `/public/forms/${form.id}`,
    headers: { 'accept-language': 'fr, en;q=0.8' },
  });
  assert.match(second.body, /<html lang="en">/);
});

test('an unknown, an unpublished and a malformed form id get the not-found page in the visitor’s language (404)', async () => {
  const tenant = await ctx.newTenant();
  const draft = await newForm(tenant.apiToken, 'draft');
  for (const id of ['6b1f4a52-8d7e-4c8e-9a55-2f3c1d0e9b7a', draft.id, 'not-a-form']) {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/public/forms/${id}`,
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(response.statusCode, 404, id);
    assertStrictPage(response);
    assert.match(response.body, /<html lang="fr">/);
    assert.match(response.body, /<h1>Formulaire introuvable<\/h1>/);
  }
  const thanks = await ctx.app.inject({ method: 'GET', url: `/public/forms/${draft.id}/thanks?lang=de` });
  assert.equal(thanks.statusCode, 404);
  assert.match(thanks.body, /Formular nicht gefunden/);
});

test('a plain form post the server refuses comes back as the page (400) with the error next to the field and the values kept; corrected, it lands on the thank-you page', async () => {
  const tenant = await ctx.newTenant();
  const form = await newForm(tenant.apiToken);
  const page = await ctx.app.inject({ method: 'GET', url: `/public/forms/${form.id}?lang=en` });
  const token = hiddenValue(page.body, '_token');
  const altcha = await solveChallenge(challengeOf(page.body));
  assert.ok(altcha);
  await new Promise((resolve) => setTimeout(resolve, MIN_FILL_MS));

  const refused = await ctx.app.inject({
    method: 'POST',
    url: `/public/forms/${form.id}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _token: token,
      _lang: 'en',
      _hp: '',
      altcha,
      email: 'not an address',
      last_name: 'Kept <b>',
      topic: 'other',
    }).toString(),
  });
  assert.equal(refused.statusCode, 400, refused.body);
  assertStrictPage(refused);
  assert.match(refused.body, /<html lang="en">/);
  assert.match(refused.body, /<div class="kf-alert" role="alert" id="kf-summary" tabindex="-1">/);
  assert.match(
    refused.body,
    /<input type="email" id="kf-email" name="email" value="not an address" required autocomplete="email" aria-invalid="true" aria-describedby="kf-email-error">/,
  );
  assert.match(refused.body, /<p class="kf-error" id="kf-email-error">Please check this entry.<\/p>/);
  assert.match(refused.body, /value="Kept &lt;b&gt;"/);
  assert.match(refused.body, /<option value="other" selected>Other<\/option>/);
  // The fill time keeps counting from the first render.
  assert.equal(hiddenValue(refused.body, '_token'), token);

  const fresh = await solveChallenge(challengeOf(refused.body));
  assert.ok(fresh);
  const accepted = await ctx.app.inject({
    method: 'POST',
    url: `/public/forms/${form.id}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _token: token,
      _lang: 'en',
      _hp: '',
      altcha: fresh,
      email: 'kept@example.com',
    }).toString(),
  });
  assert.equal(accepted.statusCode, 303, accepted.body);
  const location = String(accepted.headers.location);
  assert.match(location, new RegExp(`/public/forms/${form.id}/thanks`));
  assert.equal(accepted.headers['set-cookie'], undefined);

  const thanks = await ctx.app.inject({ method: 'GET', url: location.replace(/^https?:\/\/[^/]+/, '') });
  assert.equal(thanks.statusCode, 200);
  assertStrictPage(thanks);
  assert.match(thanks.body, /<div class="kf-success" role="status"><p>Thanks a lot!<\/p><\/div>/);

  // JSON posts (the embed, integrations) keep their problem+json.
  const json = await ctx.app.inject({
    method: 'POST',
    url: `/public/forms/${form.id}`,
    payload: {
      _token: token,
      _hp: '',
      altcha: await solveChallenge(challengeOf(refused.body)),
      email: 'nope',
    },
  });
  assert.equal(json.statusCode, 400);
  assert.match(String(json.headers['content-type']), /application\/problem\+json/);
  assert.deepEqual(
    (json.json() as { errors: { path: string }[] }).errors.map((e) => e.path),
    ['email'],
  );
});

test('past the per-address limit a plain form post gets a 429 page in the visitor’s language', async () => {
  const tenant = await ctx.newTenant();
  const form = await newForm(tenant.apiToken);
  let last: Awaited<ReturnType<typeof ctx.app.inject>> | undefined;
  for (let i = 0; i < 40; i++) {
    last = await ctx.app.inject({
      method: 'POST',
      url: `/public/forms/${form.id}`,
      remoteAddress: '203.0.113.9',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _token: 'x', _lang: 'de', email: 'bot@example.com' }).toString(),
    });
    if (last.statusCode === 429) break;
    assert.equal(last.statusCode, 303, 'a bot gets the generic success answer');
  }
  assert.ok(last);
  assert.equal(last.statusCode, 429);
  assertStrictPage(last);
  assert.match(last.body, /<html lang="de">/);
  assert.match(
    last.body,
    /<div class="kf-alert" role="alert"[^>]*>\n<p>Von Ihrer Adresse kamen gerade sehr viele Anfragen/,
  );
  assert.doesNotMatch(last.body, /name="_token" value="x"/);
});

test('embed.js and the page files are served for other origins, cached with an ETag, 304 when unchanged, without cookies', async () => {
  const embed = await ctx.app.inject({ method: 'GET', url: '/public/forms/embed.js' });
  assert.equal(embed.statusCode, 200);
  assert.match(String(embed.headers['content-type']), /^text\/javascript/);
  assert.equal(embed.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.equal(embed.headers['access-control-allow-origin'], '*');
  assert.match(String(embed.headers['cache-control']), /public, max-age=86400/);
  assert.equal(embed.headers['set-cookie'], undefined);
  const etag = String(embed.headers.etag);
  assert.match(etag, /^"[\w-]+"$/);
  assert.match(embed.body, /customElements/);

  const again = await ctx.app.inject({
    method: 'GET',
    url: '/public/forms/embed.js',
    headers: { 'if-none-match': etag },
  });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');

  const page = await ctx.app.inject({
    method: 'GET',
    url: '/public/forms/6b1f4a52-8d7e-4c8e-9a55-2f3c1d0e9b7a',
  });
  const css = /href="(\/public\/forms\/assets\/form\.css\?v=[\w-]+)"/.exec(page.body)?.[1];
  assert.ok(css);
  const sheet = await ctx.app.inject({ method: 'GET', url: css });
  assert.equal(sheet.statusCode, 200);
  assert.match(String(sheet.headers['content-type']), /^text\/css/);
  assert.equal(sheet.headers['cache-control'], 'public, max-age=31536000, immutable');
  const script = await ctx.app.inject({ method: 'GET', url: '/public/forms/assets/page.js' });
  assert.equal(script.statusCode, 200);
  assert.match(String(script.headers['content-type']), /^text\/javascript/);
});

test('GET /api/v1/forms/{id}/embed gives the snippets for the configured base URL; another tenant’s form is 404; it needs marketing:read', async () => {
  const tenant = await ctx.newTenant();
  const form = await newForm(tenant.apiToken);
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/forms/${form.id}/embed`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as Record<string, string>;
  assert.equal(body.hostedUrl, `http://localhost:3000/public/forms/${form.id}`);
  assert.equal(
    body.scriptSnippet,
    `<script src="http://localhost:3000/public/forms/embed.js" data-form="${form.id}" async></script>`,
  );
  assert.match(body.htmlSnippet as string, /<iframe src="http:\/\/localhost:3000\/public\/forms\//);
  assert.match(body.wordpressSnippet as string, new RegExp(`\\[kontor_form id="${form.id}"\\]`));

  const other = await ctx.newTenant();
  const foreign = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/forms/${form.id}/embed`,
    headers: bearer(other.apiToken),
  });
  assert.equal(foreign.statusCode, 404);

  const accountant = await ctx.newUser(tenant.tenantId, ['accounting']);
  const forbidden = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/forms/${form.id}/embed`,
    headers: bearer(accountant.token),
  });
  assert.equal(forbidden.statusCode, 403);
});
