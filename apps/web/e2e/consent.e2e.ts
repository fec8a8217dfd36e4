// Issue 6, Must show: the GDPR tab shows green/red with the times; a change a contact makes
// shows up as an unprocessed change (the header's counter and the queue), and processing it
// records who and when.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIRequestContext, Locator } from 'playwright-core';
import { admin, baseUrl, close, newPage, signInViaApi, startBrowser } from './support.ts';

const browser = startBrowser();

/** The forms core's minimum fill time (3 s), with a margin. */
const MIN_FILL_MS = 3_500;

function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

type Api = { request: APIRequestContext; csrfToken: string };

async function call<T>(api: Api, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown): Promise<T> {
  const headers = { 'x-csrf-token': api.csrfToken };
  const response =
    method === 'GET'
      ? await api.request.get(path)
      : method === 'PUT'
        ? await api.request.put(path, { data, headers })
        : await api.request.post(path, { data, headers });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

type Question = { id: string; key: string };

function createQuestion(
  api: Api,
  input: {
    key: string;
    purpose: string;
    channel: string;
    label: string;
    options: { key: string; label: string; polarity: 'grant' | 'prohibition' | 'neutral' }[];
  },
): Promise<Question> {
  return call<Question>(api, 'POST', '/api/v1/consent-questions', {
    key: input.key,
    purpose: input.purpose,
    channel: input.channel,
    legalBasis: 'eu-gdpr:A6-1-a',
    texts: { en: { label: input.label } },
    options: input.options.map((option) => ({ ...option, label: { en: option.label } })),
  });
}

/** The channels of an `rgb(r, g, b)` colour. */
async function rgbOf(locator: Locator): Promise<[number, number, number]> {
  const color = await locator.evaluate((element) => getComputedStyle(element).backgroundColor);
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  assert.ok(match, `a colour: ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

test('the GDPR tab shows a granted answer green and a prohibition red with their times', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const api: Api = { request: page.context().request, ...(await signInViaApi(page.context().request)) };
    const id = unique();
    const promotions = await createQuestion(api, {
      key: `email-promotions-${id}`,
      purpose: 'dpv:DirectMarketing',
      channel: 'email',
      label: `Promotions by email ${id}`,
      options: [
        { key: 'yes', label: 'Yes, send me offers', polarity: 'grant' },
        { key: 'no', label: 'No, thanks', polarity: 'neutral' },
      ],
    });
    const noContact = await createQuestion(api, {
      key: `no-contact-${id}`,
      purpose: 'dpv:DirectMarketing',
      channel: 'any',
      label: `Contact me at all ${id}`,
      options: [
        { key: 'never', label: 'Do not contact me at all', polarity: 'prohibition' },
        { key: 'fine', label: 'You may contact me', polarity: 'neutral' },
      ],
    });
    const contact = await call<{ id: string }>(api, 'POST', '/api/v1/contacts', {
      firstName: 'Greta',
      lastName: `Gdpr ${id}`,
      email: `gdpr-${id}@example.com`,
    });
    const before = Date.now();
    await call(api, 'PUT', `/api/v1/contacts/${contact.id}/consents`, {
      answers: [
        { questionId: promotions.id, optionKey: 'yes' },
        { questionId: noContact.id, optionKey: 'never' },
      ],
      note: 'phone call',
    });

    await page.goto(`/contacts/${contact.id}/gdpr`);
    await page.getByTestId('contact-gdpr').waitFor();
    const granted = page.locator(`[data-testid="gdpr-consent"][data-question-id="${promotions.id}"]`);
    const prohibited = page.locator(`[data-testid="gdpr-consent"][data-question-id="${noContact.id}"]`);
    await granted.waitFor();
    await prohibited.waitFor();

    // Granted: a green badge with the answer; the prohibition: a red one, marked as such.
    const grantedBadge = granted.getByTestId('gdpr-answer');
    assert.equal(await grantedBadge.getAttribute('data-tone'), 'granted');
    assert.equal(await grantedBadge.textContent(), 'Yes, send me offers');
    const [gr, gg] = await rgbOf(grantedBadge);
    assert.ok(gg > gr, `granted is green, not rgb(${gr}, ${gg}, …)`);
    const prohibitedBadge = prohibited.getByTestId('gdpr-answer');
    assert.equal(await prohibitedBadge.getAttribute('data-tone'), 'denied');
    assert.equal(await prohibitedBadge.textContent(), 'Do not contact me at all');
    const [pr, pg] = await rgbOf(prohibitedBadge);
    assert.ok(pr > pg, `a prohibition is red, not rgb(${pr}, ${pg}, …)`);
    await prohibited.getByTestId('gdpr-prohibition').waitFor();

    // Their times and source: when each changed (this minute), by staff, and when staff reacted
    // (an answer staff record is handled as it is recorded).
    const minute = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });
    const times = new Set([minute.format(before), minute.format(Date.now())]);
    const showsNow = (text: string) => [...times].some((time) => text.includes(time));
    for (const row of [granted, prohibited]) {
      const changed = (await row.getByTestId('gdpr-changed-at').textContent()) ?? '';
      assert.ok(
        showsNow(changed),
        `changed at ${changed} shows the time of the answer (${[...times].join(' or ')})`,
      );
      assert.equal(await row.getByTestId('gdpr-source').textContent(), 'Staff');
      const processed = (await row.getByTestId('gdpr-processed-at').textContent()) ?? '';
      assert.ok(showsNow(processed), `processed at ${processed} shows a time of now`);
    }

    // Staff change an answer on the tab: it turns red, and the API says the same.
    await granted.getByTestId('gdpr-set-answer').click();
    const dialog = page.getByTestId('gdpr-answer-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('No, thanks').check();
    await dialog.getByTestId('gdpr-answer-save').click();
    await dialog.waitFor({ state: 'detached' });
    await granted.locator('[data-testid="gdpr-answer"][data-tone="denied"]').waitFor();
    const gdpr = await call<{ consents: { questionId: string; granted: boolean; state: string | null }[] }>(
      api,
      'GET',
      `/api/v1/contacts/${contact.id}/gdpr`,
    );
    const now = gdpr.consents.find((consent) => consent.questionId === promotions.id);
    assert.equal(now?.granted, false);
    assert.equal(now?.state, 'dpv:ConsentWithdrawn');

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});

test('an open consent change appears in the counter and the queue, and processing it records who and when', async () => {
  const opened = await newPage(browser());
  const { page, errors } = opened;
  try {
    const api: Api = { request: page.context().request, ...(await signInViaApi(page.context().request)) };
    const id = unique();
    const brochures = await createQuestion(api, {
      key: `brochures-${id}`,
      purpose: 'dpv:DirectMarketing',
      channel: 'postal',
      label: `Brochures by post ${id}`,
      options: [
        { key: 'yes', label: 'Yes, send brochures', polarity: 'grant' },
        { key: 'no', label: 'No brochures', polarity: 'neutral' },
      ],
    });
    const form = await call<{ id: string }>(api, 'POST', '/api/v1/forms', {
      name: `Consent e2e ${id}`,
      status: 'published',
      definition: {
        languages: ['en'],
        title: { en: `Stay in touch ${id}` },
        fields: [
          { name: 'email', target: 'contact.email', type: 'email', label: { en: 'Email' }, required: true },
          {
            name: 'last_name',
            target: 'contact.lastName',
            type: 'text',
            label: { en: 'Last name' },
            required: true,
          },
        ],
        consentQuestionIds: [brochures.id],
        requiredConsentQuestionIds: [brochures.id],
        submitLabel: { en: 'Send' },
        successMessage: { en: `Thanks ${id}` },
      },
    });
    const { userId } = await call<{ userId: string }>(api, 'GET', '/api/v1/auth/me');
    const openBefore = (await call<{ open: number }>(api, 'GET', '/api/v1/consent-changes/count')).open;

    // The person answers on the hosted form (a visitor without a session): a change by the contact.
    const visitor = await browser().newContext({ locale: 'en-US', baseURL: baseUrl });
    try {
      const visit = await visitor.newPage();
      await visit.goto(`/public/forms/${form.id}?lang=en`);
      await visit.locator('#kf-email').fill(`queue-${id}@example.com`);
      await visit.locator('#kf-last_name').fill(`Queue ${id}`);
      await visit.locator(`input[name="consent.${brochures.id}"][value="yes"]`).check();
      await visit.waitForTimeout(MIN_FILL_MS);
      await visit.locator('button[type="submit"]').click();
      await visit.getByText(`Thanks ${id}`).waitFor({ timeout: 20_000 });
    } finally {
      await visitor.close();
    }

    // The worker processes the submission (a second or so): the change is then in the queue.
    type Change = {
      id: string;
      contactId: string;
      summary: { questionId?: string };
      processedAt: string | null;
      processedBy: string | null;
      actionTaken: string | null;
    };
    let change: Change | undefined;
    const deadline = Date.now() + 20_000;
    while (!change) {
      const queue = await call<{ items: Change[] }>(
        api,
        'GET',
        '/api/v1/consent-changes?status=open&limit=100',
      );
      change = queue.items.find((item) => item.summary.questionId === brochures.id);
      if (change) break;
      assert.ok(Date.now() < deadline, 'the change reaches the queue within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const openNow = (await call<{ open: number }>(api, 'GET', '/api/v1/consent-changes/count')).open;
    assert.ok(openNow >= openBefore + 1, `${openNow} open changes, ${openBefore} before`);

    // The header's counter shows it and leads to the queue.
    await page.goto('/');
    await page.locator(`[data-testid="consent-changes-counter"][data-count="${openNow}"]`).waitFor();
    await page.getByTestId('consent-changes-link').click();
    await page.waitForURL(/\/privacy\/consent-changes$/);
    const row = page.locator(`[data-testid="consent-change"][data-change-id="${change.id}"]`);
    await row.waitFor();
    assert.match(
      (await row.getByTestId('consent-change-what').textContent()) ?? '',
      /nothing.*Yes, send brochures/,
    );
    assert.match((await row.textContent()) ?? '', new RegExp(`Brochures by post ${id}`));
    await row.getByTestId('consent-change-age').waitFor();

    // Processing it: what was done, then it is done — by whom, when, and how long it took.
    const action = `Added to the brochure mailing list ${id}`;
    await row.getByTestId('consent-change-process').click();
    const dialog = page.getByTestId('consent-change-process-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('consent-change-action-input').fill(action);
    await dialog.getByTestId('consent-change-process-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="consent-changes-counter"][data-count="${openNow - 1}"]`).waitFor();

    await page.getByTestId('consent-changes-tabs').getByText('Done').click();
    const done = page.locator(`[data-testid="consent-change"][data-change-id="${change.id}"]`);
    await done.waitFor();
    const processed = (await done.getByTestId('consent-change-processed').textContent()) ?? '';
    assert.ok(processed.includes(admin.email), `processed by the admin: ${processed}`);
    assert.match(processed, /\d{1,2}:\d{2}/);
    assert.match(
      (await done.getByTestId('consent-change-processing-time').textContent()) ?? '',
      /^Processing time: \d+ (minute|minutes|hour|hours|day|days)$/,
    );
    assert.equal(await done.getByTestId('consent-change-action').textContent(), action);

    // The server recorded the same: who, when and what.
    const doneList = await call<{ items: Change[] }>(
      api,
      'GET',
      '/api/v1/consent-changes?status=done&limit=100',
    );
    const recorded = doneList.items.find((item) => item.id === change.id);
    assert.ok(recorded, 'the change is done');
    assert.equal(recorded.processedBy, userId);
    assert.ok(recorded.processedAt && Date.parse(recorded.processedAt) > Date.now() - 120_000);
    assert.equal(recorded.actionTaken, action);

    // The contact's GDPR tab: granted by the form, processed at a time now.
    await page.goto(`/contacts/${change.contactId}/gdpr`);
    const answer = page.locator(`[data-testid="gdpr-consent"][data-question-id="${brochures.id}"]`);
    await answer.locator('[data-testid="gdpr-answer"][data-tone="granted"]').waitFor();
    assert.equal(await answer.getByTestId('gdpr-source').textContent(), 'Form');
    assert.match((await answer.getByTestId('gdpr-processed-at').textContent()) ?? '', /\d{1,2}:\d{2}/);

    assert.deepEqual(errors, []);
  } finally {
    await close(opened);
  }
});
