// The newsletters module's public face: the `/newsletters` pages, and the pieces other modules
// (forms, selections, the GDPR tab) choose and name newsletters with.
import { lazy } from 'react';

export type { Newsletter } from './api/newsletters.ts';
/** The `/newsletters` pages, loaded when first opened. */
export const NewslettersPage = lazy(() =>
  import('./components/NewslettersPage.tsx').then((m) => ({ default: m.NewslettersPage })),
);
export { useNewsletterChoices } from './hooks/useNewsletters.ts';
export { newsletterTitle } from './model/newsletter.ts';
