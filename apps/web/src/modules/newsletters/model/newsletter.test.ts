import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkNewsletter,
  draftOfNewsletter,
  emptyNewsletterDraft,
  listIdOf,
  newsletterInput,
  newsletterTitle,
} from './newsletter.ts';

const saved = {
  name: 'Kunden-News',
  listId: 'kunden-news',
  languages: ['de', 'en'],
  texts: {
    de: { title: 'Kunden-News', description: 'Einmal im Monat', optOutText: 'Abmelden jederzeit' },
    en: { title: 'Customer news', description: null, optOutText: null },
  },
  doubleOptIn: true,
  welcomeEnabled: true,
  welcome: {
    subject: { de: 'Willkommen', en: 'Welcome' },
    body: { de: 'Hallo {{ contact.firstName }}', en: 'Hello {{ contact.firstName }}' },
  },
  senderName: null,
  senderAddress: null,
};

test('a saved newsletter round-trips through the draft', () => {
  const draft = draftOfNewsletter(saved);
  assert.deepEqual(draft.languages, ['de', 'en']);
  assert.deepEqual(newsletterInput(draft), saved);
});

test('texts of a language that is not chosen are not sent', () => {
  const draft = draftOfNewsletter(saved);
  draft.languages = ['de'];
  const input = newsletterInput(draft);
  assert.deepEqual(Object.keys(input.texts), ['de']);
  assert.deepEqual(input.welcome, {
    subject: { de: 'Willkommen' },
    body: { de: 'Hallo {{ contact.firstName }}' },
  });
});

test('the checks ask for a title per language and, with the welcome mail on, its subject and body', () => {
  const draft = emptyNewsletterDraft('fr');
  assert.deepEqual(checkNewsletter(draft), {
    name: 'required',
    'texts.fr.title': 'required',
    'welcome.subject.fr': 'required',
    'welcome.body.fr': 'required',
  });
  draft.welcomeEnabled = false;
  draft.name = 'Lettre';
  draft.listId = 'Lettre Info';
  draft.texts.fr.title = 'Lettre';
  draft.senderAddress = 'not an address';
  assert.deepEqual(checkNewsletter(draft), { listId: 'listId', senderAddress: 'email' });
});

test('a list id is suggested from the name', () => {
  assert.equal(listIdOf('Kunden-News für Österreich 2027!'), 'kunden-news-fur-osterreich-2027');
});

test('a title falls back to another language, then to the name', () => {
  assert.equal(newsletterTitle(saved, 'en-GB'), 'Customer news');
  assert.equal(newsletterTitle(saved, 'fr'), 'Kunden-News');
  assert.equal(newsletterTitle({ name: 'Intern', texts: {} }, 'de'), 'Intern');
});
