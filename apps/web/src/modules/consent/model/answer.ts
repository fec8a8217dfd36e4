/**
 * How a contact's current answer is shown on the GDPR tab: green for a granted consent, red for a
 * refusal, a withdrawal or a prohibition, grey while there is no answer (privacy notes §1.3).
 */

export type AnswerTone = 'granted' | 'denied' | 'none';

export type AnswerFacts = {
  answer: string | null;
  granted: boolean;
  prohibition: boolean;
  state?: string | null | undefined;
};

export function answerTone(facts: AnswerFacts): AnswerTone {
  if (facts.prohibition) return 'denied';
  if (facts.granted) return 'granted';
  if (facts.answer === null && (facts.state === null || facts.state === undefined)) return 'none';
  return 'denied';
}

export const toneColor: Record<AnswerTone, string> = { granted: 'green', denied: 'red', none: 'gray' };
