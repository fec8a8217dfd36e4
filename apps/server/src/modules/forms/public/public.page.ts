/**
 * Server-rendered public form pages: the hosted form (a plain `<form method="post">` that works
 * without JavaScript), the thank-you page, and the not-found and error pages. Pure functions
 * from data to HTML; every text is escaped here. No inline script or style (strict CSP): the
 * proof-of-work script and the CSS are files under /public/forms/assets/.
 */

import { attrs, escapeHtml } from '../../../kernel/http/public-page.ts';
import type {
  PublicConsentQuestion,
  PublicDefinition,
  PublicField,
  PublicNewsletter,
} from './public.definition.ts';
import { textIn } from './public.definition.ts';
import { messagesOf, type PageLanguage, type PageMessages } from './public.messages.ts';

export type PageAssets = { css: string; script: string };

/** Submitted values to show again after an error: a field name → its value(s). */
export type Values = Record<string, string | string[] | undefined>;

/** Field errors by field name; `form` holds errors that belong to no field. */
export type FieldErrors = Record<string, string>;

export { escapeHtml };

function layout(
  lang: PageLanguage,
  title: string,
  assets: PageAssets,
  body: string,
  withScript = false,
): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assets.css)}">
${withScript ? `<script src="${escapeHtml(assets.script)}" defer></script>\n` : ''}</head>
<body class="kf-page">
<main class="kf">
${body}
</main>
</body>
</html>
`;
}

const AUTOCOMPLETE: Partial<Record<PublicField['type'], string>> = { email: 'email', tel: 'tel' };

function firstValue(values: Values, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function valuesOf(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v];
}

function renderField(
  field: PublicField,
  lang: string,
  m: PageMessages,
  values: Values,
  errors: FieldErrors,
): string {
  const id = `kf-${field.name}`;
  const errorId = `${id}-error`;
  const error = errors[field.name];
  const label = escapeHtml(textIn(field.label, lang));
  const requiredMark = requiredMarkOf(field.required, m);
  const errorHtml = error ? `\n<p class="kf-error" id="${errorId}">${escapeHtml(error)}</p>` : '';
  const common = {
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? errorId : undefined,
  };
  const classes = `kf-field kf-${field.type}${error ? ' kf-invalid' : ''}`;

  if (field.type === 'checkbox') {
    const checked = ['true', 'on', '1', 'yes'].includes(firstValue(values, field.name));
    return `<div class="${classes}">
<input${attrs({ type: 'checkbox', id, name: field.name, value: 'true', checked, required: field.required, ...common })}>
<label for="${id}">${label}${requiredMark}</label>${errorHtml}
</div>`;
  }
  if (field.type === 'multiselect') {
    const chosen = new Set(valuesOf(values, field.name));
    const boxes = field.options
      .map((option, i) => {
        const optionId = `${id}-${i}`;
        return `<div class="kf-option"><input${attrs({ type: 'checkbox', id: optionId, name: field.name, value: option.value, checked: chosen.has(option.value) })}><label for="${optionId}">${escapeHtml(textIn(option.label, lang))}</label></div>`;
      })
      .join('\n');
    return `<fieldset class="${classes}"${attrs(common)}>
<legend>${label}${requiredMark}</legend>
${boxes}${errorHtml}
</fieldset>`;
  }
  let control: string;
  if (field.type === 'select') {
    const current = firstValue(values, field.name);
    const options = [
      `<option value="">${escapeHtml(m.choose)}</option>`,
      ...field.options.map(
        (option) =>
          `<option${attrs({ value: option.value, selected: option.value === current })}>${escapeHtml(textIn(option.label, lang))}</option>`,
      ),
    ].join('');
    control = `<select${attrs({ id, name: field.name, required: field.required, ...common })}>${options}</select>`;
  } else if (field.type === 'textarea') {
    control = `<textarea${attrs({ id, name: field.name, rows: '5', required: field.required, ...common })}>${escapeHtml(firstValue(values, field.name))}</textarea>`;
  } else {
    control = `<input${attrs({
      type: field.type,
      id,
      name: field.name,
      value: firstValue(values, field.name),
      required: field.required,
      autocomplete: AUTOCOMPLETE[field.type],
      inputmode: field.type === 'number' ? 'decimal' : undefined,
      step: field.type === 'number' ? 'any' : undefined,
      ...common,
    })}>`;
  }
  return `<div class="${classes}">
<label for="${id}">${label}${requiredMark}</label>
${control}${errorHtml}
</div>`;
}

function requiredMarkOf(required: boolean, m: PageMessages): string {
  return required
    ? ` <span class="kf-required" aria-hidden="true">*</span><span class="kf-sr"> (${escapeHtml(m.required)})</span>`
    : '';
}

/** The `name` a consent answer posts as, and the key of its error. */
export const consentName = (questionId: string) => `consent.${questionId}`;
/** The `name` a newsletter's checkbox posts as. */
export const newsletterName = (newsletterId: string) => `newsletter.${newsletterId}`;

/**
 * A consent question: a fieldset with its wording as the legend, the help text, a radio per
 * answer — none selected unless the person chose it in this post — and the version shown, posted
 * back (`_cv.<id>`) so the answer is stored with the wording the person read.
 */
function renderQuestion(
  question: PublicConsentQuestion,
  lang: string,
  m: PageMessages,
  values: Values,
  errors: FieldErrors,
): string {
  const name = consentName(question.id);
  const id = `kf-consent-${question.id}`;
  const error = errors[name];
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [question.help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ');
  const chosen = firstValue(values, name);
  const radios = question.options
    .map((option, i) => {
      const optionId = `${id}-${i}`;
      return `<div class="kf-option"><input${attrs({
        type: 'radio',
        id: optionId,
        name,
        value: option.key,
        checked: chosen !== '' && chosen === option.key,
        required: question.required,
      })}><label for="${optionId}">${escapeHtml(textIn(option.label, lang))}</label></div>`;
    })
    .join('\n');
  return `<fieldset${attrs({
    class: `kf-field kf-consent${error ? ' kf-invalid' : ''}`,
    id,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  })}>
<legend>${escapeHtml(textIn(question.label, lang))}${requiredMarkOf(question.required, m)}</legend>
${question.help ? `<p class="kf-help" id="${helpId}">${escapeHtml(question.help)}</p>\n` : ''}${radios}
<input type="hidden" name="_cv.${escapeHtml(question.id)}" value="${question.version}">${
    error ? `\n<p class="kf-error" id="${errorId}">${escapeHtml(error)}</p>` : ''
  }
</fieldset>`;
}

/** The newsletters: one checkbox each, never ticked unless the person ticked it in this post. */
function renderNewsletters(
  newsletters: readonly PublicNewsletter[],
  lang: string,
  m: PageMessages,
  values: Values,
): string {
  if (newsletters.length === 0) return '';
  const boxes = newsletters
    .map((newsletter) => {
      const name = newsletterName(newsletter.id);
      const id = `kf-newsletter-${newsletter.id}`;
      const helpId = `${id}-help`;
      const ticked = ['on', 'true', '1', 'yes'].includes(firstValue(values, name));
      return `<div class="kf-option"><input${attrs({
        type: 'checkbox',
        id,
        name,
        value: 'on',
        checked: ticked,
        'aria-describedby': newsletter.description ? helpId : undefined,
      })}><label for="${id}">${escapeHtml(textIn(newsletter.title, lang))}</label></div>${
        newsletter.description
          ? `\n<p class="kf-help kf-indent" id="${helpId}">${escapeHtml(newsletter.description)}</p>`
          : ''
      }`;
    })
    .join('\n');
  return `<fieldset class="kf-field kf-newsletters">
<legend>${escapeHtml(m.newsletters)}</legend>
${boxes}
</fieldset>`;
}

export type FormPageInput = {
  definition: PublicDefinition;
  lang: PageLanguage;
  action: string;
  challengeUrl: string;
  assets: PageAssets;
  values?: Values;
  errors?: FieldErrors;
  /** An error about the whole submission (e.g. too many requests). */
  formError?: string;
};

/** The hosted form. Works without JavaScript; with it, the page script solves the proof of work first. */
export function renderFormPage(input: FormPageInput): string {
  const { definition, lang } = input;
  const m = messagesOf(lang);
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const title = textIn(definition.title, lang);
  const questions = definition.consentQuestions;
  // Each error's place: the control the summary links to and the words it names.
  const places = [
    ...definition.fields.map((f) => ({ key: f.name, anchor: `kf-${f.name}`, label: textIn(f.label, lang) })),
    ...questions.map((q) => ({
      key: consentName(q.id),
      anchor: `kf-consent-${q.id}-0`,
      label: textIn(q.label, lang),
    })),
  ];
  const known = new Set(places.map((p) => p.key));
  const invalid = places.filter((p) => errors[p.key]);
  const formError = input.formError ?? Object.entries(errors).find(([k]) => !known.has(k))?.[1];
  const summary =
    invalid.length > 0 || formError
      ? `<div class="kf-alert" role="alert" id="kf-summary" tabindex="-1">
<p>${escapeHtml(formError ?? m.errorSummary)}</p>${
          invalid.length > 0
            ? `\n<ul>${invalid
                .map(
                  (p) =>
                    `<li><a href="#${escapeHtml(p.anchor)}">${escapeHtml(p.label)}: ${escapeHtml(errors[p.key] ?? '')}</a></li>`,
                )
                .join('')}</ul>`
            : ''
        }
</div>\n`
      : '';
  const body = `${title ? `<h1>${escapeHtml(title)}</h1>\n` : ''}${summary}<form${attrs({
    class: 'kf-form',
    method: 'post',
    action: input.action,
    'accept-charset': 'utf-8',
    'data-challenge': JSON.stringify(definition.challenge ?? null),
    'data-challenge-url': input.challengeUrl,
    'data-sending': m.sending,
  })}>
<input type="hidden" name="_token" value="${escapeHtml(definition.token)}">
<input type="hidden" name="_lang" value="${lang}">
<div class="kf-hp" aria-hidden="true">
<label for="kf-hp">${escapeHtml(m.honeypot)}</label>
<input type="text" id="kf-hp" name="_hp" value="" tabindex="-1" autocomplete="off">
</div>
${[
  ...definition.fields.map((f) => renderField(f, lang, m, values, errors)),
  ...questions.map((q) => renderQuestion(q, lang, m, values, errors)),
  renderNewsletters(definition.newsletters, lang, m, values),
]
  .filter(Boolean)
  .join('\n')}
<noscript><p class="kf-hint">${escapeHtml(m.noScript)}</p></noscript>
<div class="kf-actions"><button type="submit" class="kf-submit">${escapeHtml(textIn(definition.submitLabel, lang))}</button></div>
</form>`;
  return layout(lang, title || m.thanksTitle, input.assets, body, true);
}

/** The thank-you page a form post without a redirect URL lands on. */
export function renderThanksPage(input: {
  lang: PageLanguage;
  title: string;
  message: string;
  assets: PageAssets;
}): string {
  const m = messagesOf(input.lang);
  const body = `<h1>${escapeHtml(input.title || m.thanksTitle)}</h1>
<div class="kf-success" role="status"><p>${escapeHtml(input.message || m.thanksText)}</p></div>`;
  return layout(input.lang, input.title || m.thanksTitle, input.assets, body);
}

/** A page that only says something: not found, too many requests, an error. */
export function renderMessagePage(input: {
  lang: PageLanguage;
  title: string;
  text: string;
  assets: PageAssets;
  back?: string;
}): string {
  const m = messagesOf(input.lang);
  const body = `<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.text)}</p>${input.back ? `\n<p><a href="${escapeHtml(input.back)}">${escapeHtml(m.back)}</a></p>` : ''}`;
  return layout(input.lang, input.title, input.assets, body);
}
