import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublicDefinition } from './public.definition.ts';
import { negotiateLanguage } from './public.messages.ts';
import { renderFormPage, renderMessagePage } from './public.page.ts';
import { embedSnippets } from './public.snippets.ts';

const assets = { css: '/public/forms/assets/form.css?v=1', script: '/public/forms/assets/page.js?v=1' };

const definition: PublicDefinition = {
  id: '00000000-0000-4000-8000-000000000001',
  version: 1,
  language: 'en',
  title: 'Ask us <anything>',
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true, options: [] },
    {
      name: 'topic',
      type: 'select',
      label: 'Topic',
      required: false,
      options: [
        { value: 'a', label: 'Apples' },
        { value: 'b', label: 'Pears & plums' },
      ],
    },
    {
      name: 'sizes',
      type: 'multiselect',
      label: 'Sizes',
      required: false,
      options: [
        { value: 's', label: 'S' },
        { value: 'm', label: 'M' },
      ],
    },
    { name: 'terms', type: 'checkbox', label: 'I agree', required: true, options: [] },
    { name: 'message', type: 'textarea', label: 'Message', required: false, options: [] },
  ],
  consentQuestions: [],
  newsletters: [],
  submitLabel: 'Send',
  successMessage: 'Thanks',
  redirectUrl: null,
  token: 'tok"en',
  challenge: { parameters: { algorithm: 'SHA-256' }, signature: 'x' },
};

test('the hosted form escapes every text, labels each control and links errors with aria-describedby', () => {
  const html = renderFormPage({
    definition,
    lang: 'en',
    action: `/public/forms/${definition.id}`,
    challengeUrl: `/public/forms/${definition.id}/challenge`,
    assets,
    values: { email: 'not-an-email"><script>', topic: 'b', sizes: ['m'], message: '</textarea><b>x</b>' },
    errors: { email: 'Please check this entry.' },
  });
  assert.match(html, /<html lang="en">/);
  assert.match(html, /<h1>Ask us &lt;anything&gt;<\/h1>/);
  assert.doesNotMatch(html, /<script>|<b>x<\/b>/);
  assert.match(html, /<label for="kf-email">Email/);
  assert.match(
    html,
    /<input type="email" id="kf-email" name="email" value="not-an-email&quot;&gt;&lt;script&gt;" required autocomplete="email" aria-invalid="true" aria-describedby="kf-email-error">/,
  );
  assert.match(html, /<p class="kf-error" id="kf-email-error">Please check this entry.<\/p>/);
  assert.match(html, /<div class="kf-alert" role="alert" id="kf-summary" tabindex="-1">/);
  assert.match(html, /<option value="b" selected>Pears &amp; plums<\/option>/);
  assert.match(html, /<input type="checkbox" id="kf-sizes-1" name="sizes" value="m" checked>/);
  assert.match(
    html,
    /<textarea id="kf-message" name="message" rows="5">&lt;\/textarea&gt;&lt;b&gt;x&lt;\/b&gt;<\/textarea>/,
  );
  assert.match(html, /<input type="hidden" name="_token" value="tok&quot;en">/);
  // The honeypot: hidden from sight and from assistive technology, out of the tab order.
  assert.match(html, /<div class="kf-hp" aria-hidden="true">/);
  assert.match(html, /name="_hp" value="" tabindex="-1" autocomplete="off"/);
  // No inline script or style anywhere.
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=/);
});

test('consent questions are radio groups with nothing chosen and newsletters unticked checkboxes; an error names the question', () => {
  const questionId = '00000000-0000-4000-8000-0000000000a1';
  const newsletterId = '00000000-0000-4000-8000-0000000000b1';
  const withConsent: PublicDefinition = {
    ...definition,
    consentQuestions: [
      {
        id: questionId,
        version: 3,
        label: 'May we email you <offers>?',
        help: 'Withdraw any time.',
        required: true,
        options: [
          { key: 'yes', label: 'Yes', polarity: 'grant' },
          { key: 'no', label: 'No', polarity: 'neutral' },
        ],
      },
    ],
    newsletters: [{ id: newsletterId, title: 'News & more', description: 'Monthly.' }],
  };
  const page = (values = {}, errors = {}) =>
    renderFormPage({
      definition: withConsent,
      lang: 'en',
      action: `/public/forms/${definition.id}`,
      challengeUrl: `/public/forms/${definition.id}/challenge`,
      assets,
      values,
      errors,
    });
  const html = page();
  const has = (text: string, part: string) => assert.ok(text.includes(part), `the page has ${part}`);
  has(
    html,
    `<fieldset class="kf-field kf-consent" id="kf-consent-${questionId}" aria-describedby="kf-consent-${questionId}-help">
<legend>May we email you &lt;offers&gt;? <span class="kf-required" aria-hidden="true">*</span>`,
  );
  has(html, `<p class="kf-help" id="kf-consent-${questionId}-help">Withdraw any time.</p>`);
  has(
    html,
    `<input type="radio" id="kf-consent-${questionId}-0" name="consent.${questionId}" value="yes" required><label for="kf-consent-${questionId}-0">Yes</label>`,
  );
  has(html, `<input type="hidden" name="_cv.${questionId}" value="3">`);
  has(
    html,
    `<input type="checkbox" id="kf-newsletter-${newsletterId}" name="newsletter.${newsletterId}" value="on" aria-describedby="kf-newsletter-${newsletterId}-help"><label for="kf-newsletter-${newsletterId}">News &amp; more</label>`,
  );
  assert.doesNotMatch(html, /checked/, 'nothing pre-selected, nothing pre-ticked');

  const refused = page(
    { [`consent.${questionId}`]: 'no', [`newsletter.${newsletterId}`]: 'on' },
    { [`consent.${questionId}`]: 'Please choose an answer.' },
  );
  has(refused, 'value="no" checked required>');
  has(refused, `name="newsletter.${newsletterId}" value="on" checked`);
  has(
    refused,
    `class="kf-field kf-consent kf-invalid" id="kf-consent-${questionId}" aria-invalid="true" aria-describedby="kf-consent-${questionId}-help kf-consent-${questionId}-error"`,
  );
  has(refused, `<p class="kf-error" id="kf-consent-${questionId}-error">Please choose an answer.</p>`);
  has(
    refused,
    `<li><a href="#kf-consent-${questionId}-0">May we email you &lt;offers&gt;?: Please choose an answer.</a></li>`,
  );
});

test('message pages and the language choice', () => {
  const html = renderMessagePage({ lang: 'fr', title: 'Formulaire introuvable', text: 'x', assets });
  assert.match(html, /<html lang="fr">/);
  assert.equal(negotiateLanguage(undefined, 'fr-CH, de;q=0.8'), 'fr');
  assert.equal(negotiateLanguage(undefined, 'it, de;q=0.5, en;q=0.9'), 'en');
  assert.equal(negotiateLanguage('de', 'fr'), 'de');
  assert.equal(negotiateLanguage('xx', undefined, ['fr', 'de']), 'fr');
});

test('the snippets name the configured base URL and the form', () => {
  const s = embedSnippets('https://crm.example.com/', definition.id, 'Contact "us"');
  assert.equal(s.hostedUrl, `https://crm.example.com/public/forms/${definition.id}`);
  assert.equal(
    s.scriptSnippet,
    `<script src="https://crm.example.com/public/forms/embed.js" data-form="${definition.id}" async></script>`,
  );
  assert.match(
    s.htmlSnippet,
    /<iframe src="https:\/\/crm\.example\.com\/public\/forms\/[^"]+" title="Contact &quot;us&quot;"/,
  );
  assert.match(s.wordpressSnippet, /add_shortcode\('kontor_form'/);
  assert.match(s.wordpressSnippet, /\[kontor_form id="00000000-0000-4000-8000-000000000001"\]/);
});
