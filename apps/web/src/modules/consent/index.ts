// The consent module's public face: the Settings → Consent questions pages, the privacy pages
// (changes queue, log, report), the contact's GDPR tab, the header's counter of open changes, and
// the hooks forms and selections choose questions with.
import { lazy } from 'react';

export type { Question } from './api/questions.ts';
export { ConsentChangesIndicator } from './components/ConsentChangesIndicator.tsx';
export { GdprPanel } from './components/GdprPanel.tsx';
export { useConsentLabels } from './components/labels.ts';
export { PolarityBadge } from './components/PolarityBadge.tsx';

// The privacy officer's pages and the settings are loaded when first opened.
export const ConsentChangesPage = lazy(() =>
  import('./components/ConsentChangesPage.tsx').then((m) => ({ default: m.ConsentChangesPage })),
);
export const ConsentLogPage = lazy(() =>
  import('./components/ConsentLogPage.tsx').then((m) => ({ default: m.ConsentLogPage })),
);
export const ConsentReportPage = lazy(() =>
  import('./components/ConsentReportPage.tsx').then((m) => ({ default: m.ConsentReportPage })),
);
export const QuestionsSettingsPage = lazy(() =>
  import('./components/QuestionsSettingsPage.tsx').then((m) => ({ default: m.QuestionsSettingsPage })),
);
export { useQuestionChoices } from './hooks/useQuestions.ts';
export { pickText } from './model/vocabulary.ts';
