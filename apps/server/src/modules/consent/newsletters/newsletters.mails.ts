/**
 * Newsletter mails: the headers every one carries (List-Id, one List-Unsubscribe, the RFC 8058
 * one-click POST, Precedence: bulk — never Auto-Submitted), the visible footer, and the welcome
 * mail rendered from the tenant's LiquidJS templates in the kernel's sandbox.
 */
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { ErrorDetail } from '../../../kernel/errors.ts';
import { htmlSource, renderTemplates, safeName, TemplateError } from '../../../kernel/templates/liquid.ts';
import { preferencesUrl, unsubscribeUrl } from '../consent.links.ts';
import type { Welcome } from './newsletters.schema.ts';
import type { Language } from './newsletters.tables.ts';
import { newsletterFooter } from './newsletters.texts.ts';

export { TemplateError };

/** RFC 2047 encoded words for a phrase that is not plain ASCII (each word at most 75 characters). */
function encodedPhrase(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 39) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

/**
 * The display part of List-Id: the name as plain words when it is ASCII letters, digits, spaces
 * and the atom's other characters, else RFC 2047 encoded words. Never a quoted string: nodemailer
 * encodes a whole header value that holds a `"` (and the List-Id's `<…>` with it).
 */
function listIdPhrase(name: string): string {
  const clean =
    name
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100) || 'Newsletter';
  return /^[A-Za-z0-9!#$%&'*+/^_`{|}~ -]+$/.test(clean) ? clean : encodedPhrase(clean);
}

/** The namespace of our List-Ids: the server's host name (an IP address or none: `localhost`). */
function listIdNamespace(baseUrl: string): string {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase().replace(/\.$/, '');
    return /[a-z]/.test(host) && /^[a-z0-9.-]+$/.test(host) ? host : 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * `<name> <list-label.tenant-short-id.host>` (RFC 2919): readable, and unique per newsletter
 * — the list label is unique per tenant, the first 8 hex digits of the tenant id separate tenants.
 */
export function listIdHeader(
  newsletter: { name: string; listId: string },
  tenantId: string,
  baseUrl: string,
): string {
  const short = tenantId.replaceAll('-', '').slice(0, 8).toLowerCase();
  return `${listIdPhrase(newsletter.name)} <${newsletter.listId}.${short}.${listIdNamespace(baseUrl)}>`;
}

export type NewsletterHeadersInput = {
  newsletter: { id: string; name: string; listId: string };
  tenantId: string;
  contactId: string;
  baseUrl: string;
  secrets: SecretBox;
};

/**
 * The headers of every newsletter mail (the welcome mail now, campaigns later): exactly one
 * List-Unsubscribe with one https URI (the signed one-click address of this contact and
 * newsletter), List-Unsubscribe-Post for RFC 8058, List-Id, Precedence: bulk. The mail module
 * DKIM-signs every header passed in `headers`, so the signature covers all four.
 */
export function newsletterHeaders(input: NewsletterHeadersInput): Record<string, string> {
  const url = unsubscribeUrl(
    input.baseUrl,
    input.secrets,
    input.tenantId,
    input.contactId,
    input.newsletter.id,
  );
  return {
    'List-Id': listIdHeader(input.newsletter, input.tenantId, input.baseUrl),
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    Precedence: 'bulk',
  };
}

/** The footer's links for a contact and newsletter (unsubscribe, preference centre). */
export function footerLinks(input: NewsletterHeadersInput): {
  unsubscribeUrl: string;
  preferencesUrl: string;
} {
  return {
    unsubscribeUrl: unsubscribeUrl(
      input.baseUrl,
      input.secrets,
      input.tenantId,
      input.contactId,
      input.newsletter.id,
    ),
    preferencesUrl: preferencesUrl(input.baseUrl, input.secrets, input.tenantId, input.contactId),
  };
}

// -- welcome mail -----------------------------------------------------------------------------------

export type WelcomeVariables = {
  contact: { salutation: string; firstName: string; lastName: string };
  newsletter: { title: string };
};

/** Only these: never an email address or free text, and names that look like links are dropped. */
export function welcomeVariables(
  contact: { salutation?: string | null; firstName?: string | null; lastName?: string | null },
  title: string,
): WelcomeVariables {
  return {
    contact: {
      salutation: safeName(contact.salutation),
      firstName: safeName(contact.firstName),
      lastName: safeName(contact.lastName),
    },
    newsletter: { title },
  };
}

const SAMPLE = welcomeVariables({ salutation: 'Frau', firstName: 'Anna', lastName: 'Muster' }, 'Newsletter');

/**
 * Parses and test-renders the welcome templates; when the welcome mail is on, each language of
 * the newsletter needs a subject and a body. One problem per template, under `welcome.*`.
 */
export async function checkWelcome(
  welcome: Welcome,
  languages: readonly Language[],
  enabled: boolean,
): Promise<ErrorDetail[]> {
  const errors: ErrorDetail[] = [];
  for (const part of ['subject', 'body'] as const) {
    for (const lang of ['de', 'en', 'fr'] as const) {
      const source = welcome[part][lang];
      if (source === undefined || source.trim() === '') {
        if (enabled && languages.includes(lang)) {
          errors.push({
            path: `welcome.${part}.${lang}`,
            message: 'is required while the welcome mail is on',
          });
        }
        continue;
      }
      try {
        await renderTemplates(
          [
            { source, html: false },
            { source: htmlSource(source), html: true },
          ],
          SAMPLE,
        );
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        errors.push({
          path: `welcome.${part}.${lang}`,
          message: `is not a valid template: ${error.message}`,
        });
      }
    }
  }
  return errors;
}

export type RenderedMail = { subject: string; text: string; html: string };

/**
 * The welcome mail in `language` (else the newsletter's first language with templates), with
 * the footer in text and HTML; undefined when there is no template. TemplateError when one fails.
 */
export async function renderWelcome(input: {
  welcome: Welcome;
  languages: readonly Language[];
  language: Language;
  variables: WelcomeVariables;
  footer: { title: string; unsubscribeUrl: string; preferencesUrl: string };
}): Promise<RenderedMail | undefined> {
  const has = (l: Language) => Boolean(input.welcome.subject[l]?.trim() && input.welcome.body[l]?.trim());
  const lang = has(input.language) ? input.language : input.languages.find(has);
  if (!lang) return undefined;
  const body = input.welcome.body[lang] ?? '';
  const [subject = '', text = '', inner = ''] = await renderTemplates(
    [
      { source: input.welcome.subject[lang] ?? '', html: false },
      { source: body, html: false },
      { source: htmlSource(body), html: true },
    ],
    input.variables,
  );
  const footer = newsletterFooter(lang, input.footer);
  return {
    // One line, at most 200 characters: a header, not a place for text.
    subject: subject.replace(/\s+/g, ' ').trim().slice(0, 200) || input.footer.title,
    text: `${text.trimEnd()}\n${footer.text}\n`,
    html: `<!doctype html><html lang="${lang}"><body><div style="font-family:sans-serif;line-height:1.5">${inner}</div>\n${footer.html}</body></html>`,
  };
}
