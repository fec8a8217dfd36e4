import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPublicAssets } from './public.assets.ts';

test('the embed script is under 15 kB gzipped, and the page script and CSS are small too', async () => {
  const assets = await buildPublicAssets();
  assert.ok(assets.embed.gzipBytes < 15 * 1024, `embed.js is ${assets.embed.gzipBytes} bytes gzipped`);
  assert.ok(assets.page.gzipBytes < 8 * 1024, `page.js is ${assets.page.gzipBytes} bytes gzipped`);
  assert.ok(assets.css.gzipBytes < 5 * 1024, `form.css is ${assets.css.gzipBytes} bytes gzipped`);
});

test('the embed script needs nothing a strict CSP forbids: no eval, no inline styles, no other hosts', async () => {
  const { embed, page } = await buildPublicAssets();
  for (const source of [embed.body.toString('utf8'), page.body.toString('utf8')]) {
    assert.doesNotMatch(source, /\beval\(|new Function\(|innerHTML|insertAdjacentHTML|document\.write/);
    assert.doesNotMatch(source, /setAttribute\("style"|\.style\.cssText|<style/);
    // The only absolute URLs are none at all: the embed talks to the origin it was loaded from.
    assert.doesNotMatch(source, /https?:\/\/(?!www\.w3\.org)/);
  }
  assert.match(embed.body.toString('utf8'), /adoptedStyleSheets/);
  assert.match(embed.body.toString('utf8'), /credentials:"omit"/);
});

test('each asset has a content-hash ETag and version that change only with the content', async () => {
  const a = await buildPublicAssets();
  const b = await buildPublicAssets();
  assert.equal(a.embed.etag, b.embed.etag);
  assert.notEqual(a.embed.etag, a.page.etag);
  assert.match(a.css.version, /^[A-Za-z0-9_-]{12}$/);
});
