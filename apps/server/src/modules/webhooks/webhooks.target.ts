/**
 * Where Kontor may send a webhook, and the one HTTP call that sends it. Guards against
 * server-side request forgery: unless private targets are allowed (`KONTOR_WEBHOOKS_ALLOW_PRIVATE`,
 * on by default outside production), a call never reaches a loopback, private, link-local or
 * otherwise reserved address — checked on the address the name resolves to at connect time (the
 * socket connects to exactly the checked address, so a DNS answer cannot change in between),
 * and on literal addresses in the URL. Redirects are not followed.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { scrubText } from '../../kernel/logger.ts';

/** An attempt that has no complete answer after this long counts as a timeout. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The most of a response body read (and of that, a scrubbed snippet of 200 characters kept). */
const MAX_BODY_BYTES = 1024;
const SNIPPET_CHARS = 200;

const reserved = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  reserved.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  reserved.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) return hexPairToIpv4(hex[1] as string, hex[2] as string);
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  if (sixToFour) return hexPairToIpv4(sixToFour[1] as string, sixToFour[2] as string);
  return undefined;
}

function hexPairToIpv4(high: string, low: string): string {
  const h = Number.parseInt(high, 16);
  const l = Number.parseInt(low, 16);
  return [h >> 8, h & 255, l >> 8, l & 255].join('.');
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isReservedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return reserved.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse
  const inner = embeddedIpv4(address);
  if (inner !== undefined) return reserved.check(inner, 'ipv4');
  return reserved.check(address, 'ipv6');
}

export type TargetPolicy = {
  /** Loopback and private addresses may be called, and http:// for localhost (dev, tests). */
  allowPrivateTargets: boolean;
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a URL may not be an endpoint, or undefined when it may. https always; http only for
 * localhost, 127.0.0.1 and [::1], and only where private targets are allowed. No user name or
 * password in the URL (it would be shown and logged as part of the URL). Literal private
 * addresses are refused here already; names are checked when a call resolves them.
 */
export function urlProblem(raw: string, policy: TargetPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://example.com/hooks/kontor';
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (!policy.allowPrivateTargets || !LOOPBACK_NAMES.has(host)) {
      return 'must start with https:// (http:// only for localhost where private targets are allowed)';
    }
  } else if (url.protocol !== 'https:') {
    return 'must start with https://';
  }
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.hash) return 'must not hold a #fragment';
  if (!policy.allowPrivateTargets) {
    const literal = host.startsWith('[') ? host.slice(1, -1) : host;
    if (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      (isIP(literal) && isReservedAddress(literal))
    ) {
      return 'must not point at a loopback or private network address';
    }
  }
  return undefined;
}

/** A failure to reach the receiver at all (no HTTP answer). */
export class DeliveryNetworkError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'address_not_allowed' | 'invalid_url',
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryNetworkError';
  }
}

/** Resolves like dns.lookup, but refuses names that resolve to any reserved address. */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0 || list.some((a) => isReservedAddress(a.address))) {
        const refused = Object.assign(
          new DeliveryNetworkError('address_not_allowed', 'the name resolves to a private network address'),
          { code: 'EADDRNOTALLOWED' },
        );
        return callback(refused, '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0] as dns.LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

export type DeliveryResponse = { statusCode: number; durationMs: number; snippet: string | null };

/**
 * POSTs `body` with `headers` to `url`: at most 10 s for the whole exchange, the first KiB of the
 * answer read (a scrubbed 200-character snippet kept), redirects not followed. Rejects with
 * DeliveryNetworkError when no HTTP answer came.
 */
export function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: TargetPolicy,
  options: { timeoutMs?: number } = {},
): Promise<DeliveryResponse> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return Promise.reject(new DeliveryNetworkError('invalid_url', 'the endpoint URL is not valid'));
  }
  const problem = urlProblem(rawUrl, policy);
  if (problem) return Promise.reject(new DeliveryNetworkError('address_not_allowed', `the URL ${problem}`));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryResponse>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        ...(policy.allowPrivateTargets ? {} : { lookup: publicOnlyLookup() }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish(() => {
            response.destroy();
            resolve({
              statusCode: response.statusCode ?? 0,
              durationMs: Math.round(performance.now() - started),
              snippet: snippetOf(Buffer.concat(chunks)),
            });
          });
        response.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY_BYTES) return;
          chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish(() => reject(new DeliveryNetworkError('timeout', `no answer within ${timeoutMs / 1000} s`)));
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          error instanceof DeliveryNetworkError
            ? error
            : new DeliveryNetworkError('network', `connection failed (${error.code ?? 'error'})`),
        ),
      ),
    );
    request.end(body);
  });
}

function snippetOf(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  const text = scrubText(bytes.toString('utf8').replace(/\s+/g, ' ').trim());
  return text ? text.slice(0, SNIPPET_CHARS) : null;
}
