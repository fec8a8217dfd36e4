/** Where forms live: the hosted page, the embed script and its snippets (see README.md). */
export { type DefinitionSource, type FormsPublicDeps, formsPublicRoutes } from './public.routes.ts';
export { type EmbedSnippets, embedSnippets } from './public.snippets.ts';
