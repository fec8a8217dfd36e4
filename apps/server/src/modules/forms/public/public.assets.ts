/**
 * The public forms' browser files, built from the TypeScript and CSS in ./client with esbuild
 * (already installed: tsx runs on it) the first time one is asked for, then held in memory:
 * `embed.js` (the embed web component), `page.js` (the hosted page's proof-of-work script) and
 * `form.css`. Each carries a content hash for its ETag and the cache-busting `?v=` of the page.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

export type Asset = {
  body: Buffer;
  contentType: string;
  /** Strong ETag: a hash of the body. */
  etag: string;
  /** A short hash for `?v=` in URLs. */
  version: string;
  gzipBytes: number;
};

export type PublicAssets = { embed: Asset; page: Asset; css: Asset };

const CLIENT = fileURLToPath(new URL('./client/', import.meta.url));

/** Browsers the embed supports: custom elements, shadow DOM, Web Crypto, fetch. */
const TARGET = ['es2020', 'chrome90', 'firefox90', 'safari15'];

function asset(body: Buffer, contentType: string): Asset {
  const hash = createHash('sha256').update(body).digest('base64url');
  return {
    body,
    contentType,
    etag: `"${hash.slice(0, 27)}"`,
    version: hash.slice(0, 12),
    gzipBytes: gzipSync(body, { level: 9 }).length,
  };
}

async function bundle(entry: string, define: Record<string, string> = {}): Promise<Buffer> {
  const result = await build({
    entryPoints: [`${CLIENT}${entry}`],
    bundle: true,
    minify: true,
    format: 'iife',
    target: TARGET,
    platform: 'browser',
    write: false,
    legalComments: 'none',
    define,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return Buffer.from(file.contents);
}

export async function buildPublicAssets(): Promise<PublicAssets> {
  const cssSource = await readFile(`${CLIENT}form.css`, 'utf8');
  const css = (await transform(cssSource, { loader: 'css', minify: true, target: TARGET })).code;
  const [embed, page] = await Promise.all([
    bundle('embed.ts', { __KF_CSS__: JSON.stringify(css) }),
    bundle('page.ts'),
  ]);
  return {
    embed: asset(embed, 'text/javascript; charset=utf-8'),
    page: asset(page, 'text/javascript; charset=utf-8'),
    css: asset(Buffer.from(css), 'text/css; charset=utf-8'),
  };
}

let built: Promise<PublicAssets> | undefined;

/** Built once per process; a failed build is retried on the next request. */
export function publicAssets(): Promise<PublicAssets> {
  built ??= buildPublicAssets().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
