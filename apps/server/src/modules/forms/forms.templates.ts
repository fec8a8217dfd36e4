import type { ErrorDetail } from '../../kernel/errors.ts';
import { htmlSource, renderTemplates, safeName, TemplateError } from '../../kernel/templates/liquid.ts';
import { FORM_LANGUAGES, type FormDefinition, type FormLanguage } from './forms.schema.ts';

export { TemplateError };

/**
 * Auto-reply templates (LiquidJS) in the kernel's sandbox (kernel/templates/liquid.ts). The
 * only variables are a few contact fields and the form's name (`replyVariables`): never what
 * the visitor typed into free-text fields, so the form cannot relay spam to an address someone
 * else typed in. Names that look like links or addresses are left out, too.
 */

export type ReplyContact = {
  salutation?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  language?: string | null | undefined;
};

export type ReplyVariables = {
  contact: Record<keyof ReplyContact, string>;
  form: { name: string };
};

export function replyVariables(contact: ReplyContact, formName: string): ReplyVariables {
  return {
    contact: {
      salutation: safeName(contact.salutation),
      firstName: safeName(contact.firstName),
      lastName: safeName(contact.lastName),
      email: contact.email ?? '',
      language: contact.language ?? '',
    },
    form: { name: formName },
  };
}

const SAMPLE = replyVariables(
  { salutation: 'Frau', firstName: 'Anna', lastName: 'Muster', email: 'anna@example.com', language: 'de' },
  'Kontakt',
);

// ---------------------------------------------------------------------------------------------
// Use
// ---------------------------------------------------------------------------------------------

/** Parses and test-renders every auto-reply template; one problem per bad template. */
export async function checkTemplates(definition: FormDefinition, errors: ErrorDetail[]): Promise<void> {
  const { autoReply } = definition;
  for (const part of ['subject', 'body'] as const) {
    for (const lang of FORM_LANGUAGES) {
      const source = autoReply[part][lang];
      if (!source) continue;
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
          path: `definition.autoReply.${part}.${lang}`,
          message: `is not a valid template: ${error.message}`,
        });
      }
    }
    if (autoReply.enabled) {
      for (const lang of definition.languages) {
        if (!autoReply[part][lang]?.trim()) {
          errors.push({
            path: `definition.autoReply.${part}.${lang}`,
            message: 'is required for an automatic reply',
          });
        }
      }
    }
  }
}

export type RenderedReply = { subject: string; text: string; html: string };

/** The reply in one language; TemplateError when a template fails or takes too long. */
export async function renderReply(
  definition: FormDefinition,
  language: FormLanguage,
  variables: ReplyVariables,
): Promise<RenderedReply> {
  const body = definition.autoReply.body[language] ?? '';
  const [subject = '', text = '', inner = ''] = await renderTemplates(
    [
      { source: definition.autoReply.subject[language] ?? '', html: false },
      { source: body, html: false },
      { source: htmlSource(body), html: true },
    ],
    variables,
  );
  return {
    // One line, at most 200 characters: a header, not a place for text.
    subject: subject.replace(/\s+/g, ' ').trim().slice(0, 200),
    text,
    html: `<!doctype html><html lang="${language}"><body><div style="font-family:sans-serif;line-height:1.5">${inner}</div></body></html>`,
  };
}
