/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The hosted page's only script (served as a file: the page allows no inline script). It solves
 * the proof of work as soon as the page loads, and on submit adds the `altcha` field and posts
 * the plain form. Without it the form still posts (the no-JS rule of the forms core applies).
 */
import { solveChallenge } from './pow.ts';

async function freshChallenge(url: string | undefined): Promise<unknown> {
  if (!url) return null;
  try {
    const response = await fetch(url, { credentials: 'omit', headers: { accept: 'application/json' } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function enhance(form: HTMLFormElement): void {
  let challenge: unknown = null;
  try {
    challenge = JSON.parse(form.dataset.challenge ?? 'null');
  } catch {}
  const solving = (async () =>
    (challenge ? await solveChallenge(challenge) : null) ??
    (await solveChallenge(await freshChallenge(form.dataset.challengeUrl))))();
  let sent = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sent) return;
    sent = true;
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      button.textContent = form.dataset.sending ?? button.textContent;
    }
    void solving.then((payload) => {
      if (payload) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = 'altcha';
        input.value = payload;
        form.append(input);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });
}

function start(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form.kf-form')) enhance(form);
  const summary = document.getElementById('kf-summary');
  if (summary) summary.focus();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
