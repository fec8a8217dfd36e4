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
type Definition = {
  language: string;
  title: string;
  fields: Field[];
  submitLabel: string;
  successMessage: string;
  redirectUrl: string | null;
  token: string;
  challenge: unknown;
};

const TEXT: Record<
  Lang,
  Record<
    'required' | 'invalid' | 'sending' | 'failed' | 'tooMany' | 'unavailable' | 'choose' | 'hp' | 'summary',
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

  private async load(): Promise<void> {
    const lang = langOf(this.getAttribute('lang') || document.documentElement.lang || navigator.language);
    this.text = TEXT[lang];
    try {
      const response = await fetch(this.url(`/definition?lang=${lang}`), {
        credentials: 'omit',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(String(response.status));
      this.definition = (await response.json()) as Definition;
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
    form.append(
      el('div', { class: 'kf-actions' }, el('button', { type: 'submit', class: 'kf-submit' }, d.submitLabel)),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit(form);
    });
    root.append(form);
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
        set.append(
          el(
            'div',
            { class: 'kf-option' },
            el('input', { type: 'checkbox', id: `${id}-${i}`, name: f.name, value: o.value }),
            el('label', { for: `${id}-${i}` }, o.label),
          ),
        );
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
      const name = String(e.path ?? '').split('.')[0] ?? '';
      const box = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
      if (!box) {
        other = true;
        continue;
      }
      const value = body[name];
      const empty = value === '' || value === false || (Array.isArray(value) && value.length === 0);
      const message = box.querySelector<HTMLElement>('.kf-error') as HTMLElement;
      message.textContent = empty ? this.text.required : this.text.invalid;
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

if (!customElements.get('kontor-form')) customElements.define('kontor-form', KontorForm);

// `<script … data-form="ID">`: the form goes where the script tag is.
if (script?.dataset.form) {
  const node = document.createElement('kontor-form');
  node.setAttribute('form', script.dataset.form);
  node.setAttribute('base', defaultBase);
  if (script.dataset.lang) node.setAttribute('lang', script.dataset.lang);
  script.after(node);
}
