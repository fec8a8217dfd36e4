import { z } from 'zod';
import { escapeHtml } from './public.page.ts';

export const embedSnippetsSchema = z.object({
  hostedUrl: z.string().describe('The hosted page: link to it, or share it'),
  scriptSnippet: z.string().describe('One script tag: the form appears where the tag is (web component)'),
  htmlSnippet: z
    .string()
    .describe('An iframe of the hosted page, for sites that allow no script; with a link for text browsers'),
  wordpressSnippet: z
    .string()
    .describe('PHP for a [kontor_form id="…"] shortcode (functions.php or a snippets plugin), and its use'),
});
export type EmbedSnippets = z.infer<typeof embedSnippetsSchema>;

/** The ways to put form `formId` on a website, for a Kontor reachable at `baseUrl`. */
export function embedSnippets(baseUrl: string, formId: string, formName: string): EmbedSnippets {
  const base = baseUrl.replace(/\/+$/, '');
  const hostedUrl = `${base}/public/forms/${formId}`;
  const script = `${base}/public/forms/embed.js`;
  const title = escapeHtml(formName);
  return {
    hostedUrl,
    scriptSnippet: `<script src="${script}" data-form="${formId}" async></script>`,
    htmlSnippet: [
      `<iframe src="${hostedUrl}" title="${title}" width="100%" height="720" loading="lazy"></iframe>`,
      `<noscript><a href="${hostedUrl}">${title}</a></noscript>`,
    ].join('\n'),
    wordpressSnippet: [
      '<?php',
      '// Kontor form shortcode: put this in your theme’s functions.php or a code-snippets plugin,',
      `// then write [kontor_form id="${formId}"] where the form should appear.`,
      "add_shortcode('kontor_form', function ($atts) {",
      "  $a = shortcode_atts(['id' => '', 'lang' => ''], $atts, 'kontor_form');",
      "  $id = preg_replace('/[^0-9a-fA-F-]/', '', $a['id']);",
      "  if ($id === '') return '';",
      `  wp_enqueue_script('kontor-forms', '${script}', [], null, ['strategy' => 'async']);`,
      `  $lang = in_array($a['lang'], ['de', 'en', 'fr'], true) ? ' lang="' . $a['lang'] . '"' : '';`,
      `  return '<kontor-form form="' . esc_attr($id) . '" base="${base}"' . $lang . '></kontor-form>';`,
      '});',
    ].join('\n'),
  };
}
