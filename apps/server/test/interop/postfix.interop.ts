/**
 * Real-peer interop (issue 5, Build item 7): Kontor sends through a throw-away Debian Postfix
 * (loopback only, no relay outward) into a local Maildir, and the delivered message is checked
 * as a receiver sees it — headers once each, Message-ID, Auto-Submitted, and the DKIM signature
 * verified by dkimpy (python3-dkim) with a DNS function that serves the selector's TXT record.
 * Postfix's own answers drive the outcomes: 550 5.1.1 for an unknown mailbox fails the message,
 * 554 5.7.1 "Relay access denied" (our relay refusing us) pauses the tenant.
 *
 * Needs root, /usr/sbin/postfix and /usr/bin/python3 with `dkim`; otherwise every test is
 * skipped with the reason (.ci/run installs the packages when it can).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type MailTestContext, mailTestContext, newDkimKey } from '../../src/modules/mail/testing/context.ts';
import { bearer } from '../support/app.ts';
import { freePort } from '../support/process.ts';

const POSTFIX = '/usr/sbin/postfix';
const PYTHON = '/usr/bin/python3';

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (Postfix runs its own instance)';
  if (!fs.existsSync(POSTFIX)) return 'Debian postfix is not installed';
  try {
    execFileSync(PYTHON, ['-c', 'import dkim'], { stdio: 'ignore' });
  } catch {
    return 'python3-dkim is not installed';
  }
  return undefined;
}
const skip = missing();

let dir = '';
let port = 0;
let ctx: MailTestContext | undefined;
const key = newDkimKey();

function postfix(...args: string[]): void {
  execFileSync(POSTFIX, ['-c', path.join(dir, 'etc'), ...args], { stdio: 'pipe' });
}

async function waitForPort(p: number, seconds = 30): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(p, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`Postfix does not listen on ${p}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A Postfix of our own: config, queue, data and mailboxes in one temporary folder. */
async function startPostfix(): Promise<void> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-postfix-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['etc', 'spool', 'data', 'mail']) fs.mkdirSync(path.join(dir, sub));
  execFileSync('chown', ['postfix', path.join(dir, 'data')]);
  execFileSync('chown', ['65534:65534', path.join(dir, 'mail')]);
  port = await freePort();
  const main = `compatibility_level = 3.6
queue_directory = ${dir}/spool
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.interop.test
mydomain = interop.test
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains =
smtpd_relay_restrictions = reject_unauth_destination
virtual_mailbox_domains = interop.test
virtual_mailbox_base = ${dir}/mail
virtual_mailbox_maps = texthash:${dir}/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
default_transport = error:outbound mail is off in the interop test
relay_transport = error:outbound mail is off in the interop test
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = no
maillog_file_prefixes = ${dir}
maillog_file = ${dir}/maillog
`;
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'virtual unix - n n - - virtual',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  fs.writeFileSync(path.join(dir, 'etc/main.cf'), main);
  fs.writeFileSync(path.join(dir, 'etc/master.cf'), `${services.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'etc/vmailbox'), 'kunde@interop.test kunde/\n');
  postfix('start');
  await waitForPort(port);
}

/** The first message delivered to kunde@interop.test's Maildir. */
async function delivered(seconds = 30): Promise<Buffer> {
  const folder = path.join(dir, 'mail/kunde/new');
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const files = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
    if (files[0]) return fs.readFileSync(path.join(folder, files[0]));
    if (Date.now() > until) {
      const log = fs.existsSync(path.join(dir, 'maillog'))
        ? fs.readFileSync(path.join(dir, 'maillog'), 'utf8')
        : '';
      throw new Error(`nothing delivered in ${seconds} s; Postfix log:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** dkimpy's verdict, its DNS answered with the selector's TXT record only. */
function dkimpy(message: Buffer): string {
  const script = `
import sys, dkim
msg = sys.stdin.buffer.read()
txt = sys.argv[2].encode()
def dns(name, timeout=5):
    return txt if name == sys.argv[1].encode() else None
print("pass" if dkim.verify(msg, dnsfunc=dns) else "fail")
`;
  return execFileSync(PYTHON, ['-c', script, 'k2026._domainkey.interop.test.', key.dnsTxt], {
    input: message,
  })
    .toString()
    .trim();
}

const headerLines = (raw: Buffer) =>
  (raw.toString('latin1').split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
const count = (raw: Buffer, name: string) =>
  headerLines(raw).filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)).length;
const header = (raw: Buffer, name: string) =>
  headerLines(raw)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();

before(async () => {
  if (skip) return;
  await startPostfix();
  ctx = await mailTestContext({ smtpUrl: `smtp://127.0.0.1:${port}`, retryFast: true });
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/mail',
    headers: bearer(ctx.token),
    payload: {
      fromName: 'Interop GmbH',
      fromAddress: 'hallo@interop.test',
      dkim: { domain: 'interop.test', selector: 'k2026', privateKey: key.privateKey },
    },
  });
  assert.equal(put.statusCode, 200, put.body);
});

after(async () => {
  await ctx?.close();
  if (dir) {
    try {
      postfix('stop');
    } catch {
      // already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an auto-reply sent through Postfix arrives in the Maildir with its headers once and a DKIM signature dkimpy verifies', {
  skip,
}, async () => {
  const c = ctx as MailTestContext;
  const { id } = await c.queue1({
    key: 'interop-1',
    kind: 'auto-reply',
    to: { address: 'kunde@interop.test', name: 'Kundin Müller' },
    subject: 'Ihre Anfrage – wir melden uns',
    text: 'Guten Tag\n\nvielen Dank für Ihre Anfrage.\n',
    html: '<p>Guten Tag</p><p>vielen Dank für Ihre Anfrage.</p>',
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  await c.waitFor(id, ['sent']);
  const raw = await delivered();
  assert.equal(header(raw, 'Message-ID'), `<${id}@interop.test>`);
  assert.equal(header(raw, 'Auto-Submitted'), 'auto-generated');
  assert.equal(header(raw, 'From'), 'Interop GmbH <hallo@interop.test>');
  assert.match(header(raw, 'Received') ?? '', /by mx\.interop\.test \(Postfix\)/);
  for (const name of [
    'From',
    'To',
    'Subject',
    'Date',
    'Message-ID',
    'MIME-Version',
    'Auto-Submitted',
    'DKIM-Signature',
  ]) {
    assert.equal(count(raw, name), 1, `${name} once`);
  }
  assert.match(header(raw, 'DKIM-Signature') ?? '', /a=rsa-sha256; c=relaxed\/relaxed; d=interop\.test;/);
  assert.equal(dkimpy(raw), 'pass', 'dkimpy verifies the delivered message');
  const tampered = Buffer.from(
    raw.toString('latin1').replace('Auto-Submitted: auto-generated', 'Auto-Submitted: no'),
    'latin1',
  );
  assert.equal(dkimpy(tampered), 'fail', 'a changed Auto-Submitted breaks the signature');
});

test("Postfix's 550 5.1.1 for an unknown mailbox fails the message for good", { skip }, async () => {
  const c = ctx as MailTestContext;
  const { id } = await c.queue1({
    key: 'interop-2',
    kind: 'notification',
    to: { address: 'niemand@interop.test' },
    subject: 'Test',
    text: 'Test',
  });
  await c.waitFor(id, ['failed']);
  const row = await c.message(id);
  assert.match(row.last_error ?? '', /^550 5\.1\.1 <\[email\]>: Recipient address rejected/);
  assert.equal(row.attempts, 1);
});

test("Postfix's 554 5.7.1 Relay access denied (our relay refusing us) pauses the tenant; nothing leaves the machine", {
  skip,
}, async () => {
  const c = ctx as MailTestContext;
  const { id } = await c.queue1({
    key: 'interop-3',
    kind: 'notification',
    to: { address: 'jemand@elsewhere.example' },
    subject: 'Test',
    text: 'Test',
  });
  await c.waitFor(id, ['held']);
  const status = await c.app.inject({ url: '/api/v1/mail/status', headers: bearer(c.token) });
  assert.equal(status.json().paused, true);
  assert.match(status.json().pausedReason, /^554 5\.7\.1 .*Relay access denied/);
});
