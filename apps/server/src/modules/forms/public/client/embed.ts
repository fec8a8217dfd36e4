/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The embed: `<script src="https://kontor.example/public/forms/embed.js" data-form="ID" async>`
 * renders the form in place as `<kontor-form>` (also usable directly: `<kontor-form form="ID">`).
 * Shadow DOM; styles through a constructed stylesheet (no inline style, so a strict CSP of the
 * host page is fine; a `<link>` to our CSS where constructed sheets are missing). It talks only
 * to the Kontor server it was loaded from, without credentials or cookies: the definition, a
 * fresh challenge, and a JSON post. DOM built with textContent only, never HTML strings.
 */
import { solveChallenge } from './pow.ts';

/** Filled in at bundle time with the text of form.css. */
declare const __KF_CSS__: string;

type Lang = 'de' | 'en' | 'fr';
type Option = { value: string; label: string };
type Field = { name: string; type: string; label: string; required: boolean; options?: Option[] | null };
type Question = {
  id: string;
  version: number;
  label: string;
  help?: string | null;
  required: boolean;
  options: { key: string; label: string }[];
};
type Newsletter = { id: string; title: string; description?: string | null };
type Definition = {
  language: string;
  title: string;
  fields: Field[];
  consentQuestions?: Question[];
  newsletters?: Newsletter[];
  submitLabel: string;
  successMessage: string;
  redirectUrl: string | null;
  token: string;
  challenge: unknown;
};

const TEXT: Record<
  Lang,
  Record<
    | 'required'
    | 'invalid'
    | 'sending'
    | 'failed'
    | 'tooMany'
    | 'unavailable'
    | 'choose'
    | 'hp'
    | 'summary'
    | 'answer'
    | 'changed'
    | 'newsletters',
    string
  >
> = {
  de: {
    required: 'Bitte füllen Sie dieses Feld aus.',
    invalid: 'Bitte prüfen Sie diese Angabe.',
    sending: 'Wird gesendet …',
    failed: 'Ihre Angaben konnten nicht gesendet werden. Bitte versuchen Sie es erneut.',
    tooMany: 'Zu viele Anfragen. Bitte versuchen Sie es später erneut.',
    unavailable: 'Das Formular konnte nicht geladen werden.',
    choose: 'Bitte wählen',
    hp: 'Dieses Feld bitte leer lassen',
    summary: 'Bitte prüfen Sie die markierten Felder.',
    answer: 'Bitte wählen Sie eine Antwort.',
    changed:
      'Diese Frage wurde inzwischen geändert. Bitte lesen Sie sie noch einmal und antworten Sie erneut.',
    newsletters: 'Newsletter',
  },
  en: {
    required: 'Please fill in this field.',
    invalid: 'Please check this entry.',
    sending: 'Sending …',
    failed: 'Your details could not be sent. Please try again.',
    tooMany: 'Too many requests. Please try again later.',
    unavailable: 'The form could not be loaded.',
    choose: 'Please choose',
    hp: 'Leave this field empty',
    summary: 'Please check the marked fields.',
    answer: 'Please choose an answer.',
    changed: 'This question has changed in the meantime. Please read it again and answer.',
    newsletters: 'Newsletters',
  },
  fr: {
    required: 'Veuillez remplir ce champ.',
    invalid: 'Veuillez vérifier cette saisie.',
    sending: 'Envoi …',
    failed: 'Vos informations n’ont pas pu être envoyées. Veuillez réessayer.',
    tooMany: 'Trop de demandes. Veuillez réessayer plus tard.',
    unavailable: 'Le formulaire n’a pas pu être chargé.',
    choose: 'Veuillez choisir',
    hp: 'Laissez ce champ vide',
    summary: 'Veuillez vérifier les champs signalés.',
    answer: 'Veuillez choisir une réponse.',
    changed: 'Cette question a été modifiée entre-temps. Veuillez la relire et y répondre à nouveau.',
    newsletters: 'Newsletters',
  },
};

const script = document.currentScript as HTMLScriptElement | null;
const defaultBase = script?.src ? new URL(script.src).origin : location.origin;

function langOf(value: string | null | undefined): Lang {
  const l = (value ?? '').toLowerCase().slice(0, 2);
  return l === 'de' || l === 'fr' ? l : 'en';
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | boolean> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false) continue;
    node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

function styles(root: ShadowRoot, base: string): void {
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(__KF_CSS__);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el('link', { rel: 'stylesheet', href: `${base}/public/forms/assets/form.css` }));
  }
}

class KontorForm extends HTMLElement {
  private root: ShadowRoot | undefined;
  private base = defaultBase;
  private formId = '';
  private definition: Definition | undefined;
  private text = TEXT.en;
  private solution: Promise<string | null> = Promise.resolve(null);
  private busy = false;

  connectedCallback(): void {
    if (this.root) return;
    this.root = this.attachShadow({ mode: 'open' });
    this.base = (this.getAttribute('base') ?? defaultBase).replace(/\/+$/, '');
    this.formId = this.getAttribute('form') ?? '';
    styles(this.root, this.base);
    void this.load();
  }

  private url(path: string): string {
    return `${this.base}/public/forms/${encodeURIComponent(this.formId)}${path}`;
  }

  private async fetchDefinition(lang: string): Promise<Definition> {
    const response = await fetch(this.url(`/definition?lang=${lang}`), {
      credentials: 'omit',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()) as Definition;
  }

  private async load(): Promise<void> {
    const lang = langOf(this.getAttribute('lang') || document.documentElement.lang || navigator.language);
    this.text = TEXT[lang];
    try {
      this.definition = await this.fetchDefinition(lang);
    } catch {
      this.root?.append(el('p', { class: 'kf-alert', role: 'alert' }, this.text.unavailable));
      return;
    }
    this.text = TEXT[langOf(this.definition.language)];
    this.solution = solveChallenge(this.definition.challenge);
    this.render(this.definition);
  }

  private async freshSolution(): Promise<string | null> {
    try {
      const response = await fetch(this.url('/challenge'), {
        credentials: 'omit',
        headers: { accept: 'application/json' },
      });
      return response.ok ? await solveChallenge(await response.json()) : null;
    } catch {
      return null;
    }
  }

  private render(d: Definition): void {
    const root = this.root as ShadowRoot;
    const form = el('form', { class: 'kf kf-form', lang: d.language });
    if (d.title) form.append(el('h2', { class: 'kf-title' }, d.title));
    form.append(el('div', { class: 'kf-alert', role: 'alert', tabindex: '-1', hidden: true }));
    const hp = el('div', { class: 'kf-hp', 'aria-hidden': 'true' });
    hp.append(
      el('label', { for: 'kf-hp' }, this.text.hp),
      el('input', { type: 'text', id: 'kf-hp', name: '_hp', tabindex: '-1', autocomplete: 'off' }),
    );
    form.append(hp);
    for (const field of d.fields) form.append(this.field(field));
    for (const question of d.consentQuestions ?? []) form.append(this.question(question));
    if (d.newsletters?.length) {
      const set = el(
        'fieldset',
        { class: 'kf-field kf-newsletters' },
        el('legend', {}, this.text.newsletters),
      );
      for (const n of d.newsletters) {
        const id = `kf-newsletter-${n.id}`;
        set.append(
          choice(
            'checkbox',
            id,
            `newsletter.${n.id}`,
            'on',
            n.title,
            false,
            n.description ? `${id}-help` : '',
          ),
        );
        if (n.description)
          set.append(el('p', { class: 'kf-help kf-indent', id: `${id}-help` }, n.description));
      }
      form.append(set);
    }
    form.append(
      el('div', { class: 'kf-actions' }, el('button', { type: 'submit', class: 'kf-submit' }, d.submitLabel)),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit(form);
    });
    root.append(form);
  }

  /** A consent question: a radio per answer, none selected; its wording as the legend. */
  private question(q: Question): HTMLElement {
    const id = `kf-consent-${q.id}`;
    const set = el(
      'fieldset',
      {
        class: 'kf-field kf-consent',
        'data-field': `consent.${q.id}`,
        'aria-describedby': q.help ? `${id}-help ${id}-error` : `${id}-error`,
      },
      el(
        'legend',
        {},
        q.label,
        ...(q.required ? [el('span', { class: 'kf-required', 'aria-hidden': 'true' }, ' *')] : []),
      ),
    );
    if (q.help) set.append(el('p', { class: 'kf-help', id: `${id}-help` }, q.help));
    q.options.forEach((o, i) => {
      set.append(choice('radio', `${id}-${i}`, `consent.${q.id}`, o.key, o.label, q.required, ''));
    });
    set.append(el('p', { class: 'kf-error', id: `${id}-error`, hidden: true }));
    return set;
  }

  private field(f: Field): HTMLElement {
    const id = `kf-${f.name}`;
    const label = (tag: 'label' | 'legend') =>
      el(
        tag,
        tag === 'label' ? { for: id } : {},
        f.label,
        ...(f.required ? [el('span', { class: 'kf-required', 'aria-hidden': 'true' }, ' *')] : []),
      );
    const error = el('p', { class: 'kf-error', id: `${id}-error`, hidden: true });
    if (f.type === 'multiselect') {
      const set = el(
        'fieldset',
        { class: 'kf-field kf-multiselect', 'data-field': f.name, 'aria-describedby': `${id}-error` },
        label('legend'),
      );
      (f.options ?? []).forEach((o, i) => {
        set.append(choice('checkbox', `${id}-${i}`, f.name, o.value, o.label, false, ''));
      });
      set.append(error);
      return set;
    }
    const common = { id, name: f.name, required: f.required, 'aria-describedby': `${id}-error` };
    let control: HTMLElement;
    if (f.type === 'checkbox') {
      return el(
        'div',
        { class: 'kf-field kf-checkbox', 'data-field': f.name },
        el('input', { type: 'checkbox', value: 'true', ...common }),
        label('label'),
        error,
      );
    }
    if (f.type === 'select') {
      control = el('select', common, el('option', { value: '' }, this.text.choose));
      for (const o of f.options ?? []) control.append(el('option', { value: o.value }, o.label));
    } else if (f.type === 'textarea') {
      control = el('textarea', { rows: '5', ...common });
    } else {
      const type = ['email', 'tel', 'date', 'number'].includes(f.type) ? f.type : 'text';
      control = el('input', {
        type,
        ...common,
        ...(type === 'email' ? { autocomplete: 'email' } : type === 'tel' ? { autocomplete: 'tel' } : {}),
        ...(type === 'number' ? { step: 'any', inputmode: 'decimal' } : {}),
      });
    }
    return el(
      'div',
      { class: `kf-field kf-${f.type}`, 'data-field': f.name },
      label('label'),
      control,
      error,
    );
  }

  private values(form: HTMLFormElement): Record<string, unknown> {
    const d = this.definition as Definition;
    const data = new FormData(form);
    const body: Record<string, unknown> = {
      _token: d.token,
      _hp: String(data.get('_hp') ?? ''),
      _lang: langOf(d.language),
    };
    for (const f of d.fields) {
      if (f.type === 'multiselect') body[f.name] = data.getAll(f.name).map(String);
      else if (f.type === 'checkbox') body[f.name] = data.get(f.name) !== null;
      else body[f.name] = String(data.get(f.name) ?? '');
    }
    const questions = d.consentQuestions ?? [];
    if (questions.length) {
      // The answers, and the version of each question shown: stored with the answer.
      const consent: Record<string, string> = {};
      const versions: Record<string, number> = {};
      for (const q of questions) {
        const answer = data.get(`consent.${q.id}`);
        if (answer !== null) consent[q.id] = String(answer);
        versions[q.id] = q.version;
      }
      body.consent = consent;
      body.consentVersions = versions;
    }
    if (d.newsletters?.length) {
      body.newsletters = d.newsletters
        .filter((n) => data.get(`newsletter.${n.id}`) !== null)
        .map((n) => n.id);
    }
    return body;
  }

  private showErrors(
    form: HTMLFormElement,
    errors: { path?: string; message?: string }[],
    body: Record<string, unknown>,
  ): void {
    const alert = form.querySelector<HTMLElement>('.kf-alert') as HTMLElement;
    let first: HTMLElement | null = null;
    let other = false;
    for (const e of errors) {
      const [head = '', id = '', part] = String(e.path ?? '').split('.');
      const consent = head === 'consent' && id !== '';
      const name = consent ? `consent.${id}` : head;
      const box = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
      if (!box) {
        other = true;
        continue;
      }
      const value = consent ? ((body.consent as Record<string, string> | undefined)?.[id] ?? '') : body[name];
      const empty = value === '' || value === false || (Array.isArray(value) && value.length === 0);
      const message = box.querySelector<HTMLElement>('.kf-error') as HTMLElement;
      message.textContent =
        part === 'version'
          ? this.text.changed
          : empty
            ? consent
              ? this.text.answer
              : this.text.required
            : this.text.invalid;
      message.hidden = false;
      box.classList.add('kf-invalid');
      const control = box.matches('fieldset')
        ? box
        : box.querySelector<HTMLElement>('input, select, textarea');
      control?.setAttribute('aria-invalid', 'true');
      first ??= box.querySelector<HTMLElement>('input, select, textarea');
    }
    alert.textContent = other || !first ? this.text.failed : this.text.summary;
    alert.hidden = false;
    (first ?? alert).focus();
  }

  /** Questions whose wording changed since the form was shown: shown again, in the new wording, unanswered. */
  private async reread(form: HTMLFormElement, errors: { path?: string }[]): Promise<void> {
    const d = this.definition as Definition;
    const changed = errors
      .map((e) => String(e.path ?? '').split('.'))
      .filter((p) => p[0] === 'consent' && p[2] === 'version')
      .map((p) => p[1]);
    if (!changed.length) return;
    try {
      const fresh = await this.fetchDefinition(langOf(d.language));
      for (const q of fresh.consentQuestions ?? []) {
        if (!changed.includes(q.id)) continue;
        form.querySelector(`[data-field="${CSS.escape(`consent.${q.id}`)}"]`)?.replaceWith(this.question(q));
      }
      // The first render's token keeps counting the fill time.
      this.definition = { ...fresh, token: d.token };
    } catch {}
  }

  private clearErrors(form: HTMLFormElement): void {
    for (const node of form.querySelectorAll<HTMLElement>('.kf-error, .kf-alert')) {
      node.hidden = true;
      node.textContent = '';
    }
    for (const node of form.querySelectorAll('.kf-invalid')) node.classList.remove('kf-invalid');
    for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  }

  private async submit(form: HTMLFormElement): Promise<void> {
    if (this.busy || !this.definition) return;
    this.busy = true;
    const button = form.querySelector('button') as HTMLButtonElement;
    const label = button.textContent ?? '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = this.text.sending;
    this.clearErrors(form);
    const body = this.values(form);
    try {
      const altcha = (await this.solution) ?? (await this.freshSolution());
      if (altcha) body.altcha = altcha;
      const response = await fetch(this.url(''), {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        const answer = (await response.json()) as { message?: string; redirectUrl?: string | null };
        const target = answer.redirectUrl ?? this.definition.redirectUrl;
        if (target && /^https?:\/\//.test(target)) {
          window.location.assign(target);
          return;
        }
        const done = el(
          'div',
          { class: 'kf kf-success', role: 'status', tabindex: '-1' },
          el('p', {}, answer.message || this.definition.successMessage),
        );
        form.replaceWith(done);
        done.focus();
        this.dispatchEvent(new CustomEvent('kontor-form-submitted', { bubbles: true, composed: true }));
        return;
      }
      // A challenge is good for one submission: solve a fresh one for the next try.
      this.solution = this.freshSolution();
      if (response.status === 400) {
        const problem = (await response.json().catch(() => ({}))) as { errors?: { path?: string }[] };
        await this.reread(form, problem.errors ?? []);
        this.showErrors(form, problem.errors ?? [], body);
      } else {
        const alert = form.querySelector<HTMLElement>('.kf-alert') as HTMLElement;
        alert.textContent = response.status === 429 ? this.text.tooMany : this.text.failed;
        alert.hidden = false;
        alert.focus();
      }
    } catch {
      this.solution = this.freshSolution();
      const alert = form.querySelector<HTMLElement>('.kf-alert') as HTMLElement;
      alert.textContent = this.text.failed;
      alert.hidden = false;
      alert.focus();
    } finally {
      this.busy = false;
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = label;
    }
  }
}

/** A checkbox or radio with its label (multiselect options, consent answers, newsletters). */
function choice(
  type: 'checkbox' | 'radio',
  id: string,
  name: string,
  value: string,
  label: string,
  required: boolean,
  describedBy: string,
): HTMLElement {
  return el(
    'div',
    { class: 'kf-option' },
    el('input', {
      type,
      id,
      name,
      value,
      required,
      ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    }),
    el('label', { for: id }, label),
  );
}

if (!customElements.get('kontor-form')) customElements.define('kontor-form', KontorForm);

// `<script … data-form="ID">`: the form goes where the script tag is.
if (script?.dataset.form) {
  const node = document.createElement('kontor-form');
  node.setAttribute('form', script.dataset.form);
  node.setAttribute('base', defaultBase);
  if (script.dataset.lang) node.setAttribute('lang', script.dataset.lang);
  script.after(node);
}
