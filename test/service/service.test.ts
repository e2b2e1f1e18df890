// The service ring through the in-memory transport: every request is validated against its schema,
// every response crosses structuredClone and JSON, and errors come back as { ok: false, code, message }.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CertDeskApi, ChannelName, RequestOf } from '../../shared/api.js';
import { SERVICE_CHANNELS } from '../../shared/api.js';
import type { ErrorCode } from '../../shared/errors.js';
import { createHandlerTable } from '../../electron/service/table.js';
import { DAY } from '../helpers/engine-vault.js';
import { call } from '../helpers/in-memory-api.js';
import { decodeQr } from '../helpers/qr-decode.js';
import { finishBatch, newService, type TestService } from '../helpers/service.js';
import { needTools, runOk } from '../helpers/tools.js';

const PASSPHRASE = 'correct horse battery staple';

async function fails<K extends ChannelName>(api: CertDeskApi, channel: K, req: RequestOf<K>, code: ErrorCode, pattern?: RegExp): Promise<string> {
  const result = await api[channel](req);
  assert.equal(result.ok, false, `${channel} should fail with ${code}`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.code, code, `${channel}: expected ${code}, got ${result.code}: ${result.message}`);
  if (pattern) assert.match(result.message, pattern);
  return result.message;
}

/** A vault with a root and an issuing intermediate. */
async function withCas(svc: TestService) {
  const { api } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(api, 'ca.create', { name: 'Root', subject: 'CN=Example Root, O=Example, C=DE', keyType: 'ec-p384', days: 3650, pathLength: 1 });
  const issuing = await call(api, 'ca.create', { name: 'Issuing', subject: 'CN=Example Issuing CA, O=Example, C=DE', keyType: 'ec-p256', days: 1825, issuer: root.id });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  return { root, issuing, usb };
}

test('every service channel has a handler, and no host channel does', (t) => {
  const table = createHandlerTable(newService(t).session);
  assert.deepEqual(Object.keys(table).sort(), [...SERVICE_CHANNELS].sort());
});

test('first run: no vault, a short passphrase is refused, create unlocks; lock and a wrong passphrase', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  assert.equal((await call(api, 'session.status', {})).state, 'no-vault');
  await fails(api, 'ca.list', {}, 'VAULT_NOT_FOUND');
  await fails(api, 'vault.create', { passphrase: 'short' }, 'INVALID_INPUT', /at least 10 characters/);
  assert.equal(existsSync(svc.session.vaultPath), false, 'a refused create leaves no file');
  const created = await call(api, 'vault.create', { passphrase: PASSPHRASE });
  assert.equal(created.state, 'unlocked');
  assert.ok(created.kdf.memoryMiB > 0);
  await fails(api, 'vault.create', { passphrase: PASSPHRASE }, 'VAULT_EXISTS');

  assert.equal((await call(api, 'vault.lock', {})).state, 'locked');
  await fails(api, 'ca.list', {}, 'VAULT_LOCKED', /locked/);
  const wrong = await fails(api, 'vault.unlock', { passphrase: 'not the passphrase' }, 'VAULT_WRONG_PASSPHRASE', /wrong passphrase/);
  assert.ok(!wrong.includes('not the passphrase'));
  assert.equal((await call(api, 'vault.unlock', { passphrase: PASSPHRASE })).state, 'unlocked');
  // The failed attempt entered the audit chain at the next unlock, and the chain holds.
  const audit = await call(api, 'audit.list', { limit: 10 });
  assert.ok(audit.some((e) => e.action === 'vault.unlock-failed'));
  assert.equal((await call(api, 'audit.verify', {})).ok, true);
});

test('requests are checked against their schema before any handler runs', async (t) => {
  const { api } = newService(t);
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  await fails(api, 'ca.create', { name: 'X', subject: 'CN=X', keyType: 'rsa-1024' } as unknown as RequestOf<'ca.create'>, 'INVALID_INPUT', /ca\.create: keyType/);
  await fails(api, 'cert.list', { offset: 0, limit: 5000 }, 'INVALID_INPUT', /limit/);
  await fails(api, 'ca.list', { extra: true } as unknown as RequestOf<'ca.list'>, 'INVALID_INPUT', /Unrecognized key/i);
  const unknown = await (api as unknown as Record<string, (r: unknown) => Promise<{ ok: boolean; code?: string }>>)['cert.list']!({ offset: -1, limit: 1 });
  assert.equal(unknown.code, 'INVALID_INPUT');
});

test('issue wizard: checked as typed, then issued and handed over; the PFX opens with openssl and the QR holds the password', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const { issuing, usb } = await withCas(svc);
  const draft = {
    mode: 'per-user' as const,
    profile: 'user' as const,
    ca: issuing.id,
    recipient: { name: 'Alice Example', email: 'alice(at)example.com', phone: '+49 30 1234' },
    sans: [{ type: 'email' as const, value: 'alice(at)example.com' }],
    days: 9000,
  };
  const check = await call(api, 'issue.check', draft);
  // 9000 days is past the issuing CA's end: not a problem but preflight's cut warning (core/preflight-validity.test.ts).
  assert.deepEqual(
    check.problems.map((p) => p.field),
    ['sans.0'],
  );
  assert.match(check.problems[0]!.message, /alice\(at\)example\.com/);
  await fails(api, 'issue.run', { ...draft, delivery: { folder: usb, encryption: 'modern' } }, 'INVALID_INPUT', /e-mail|email/);
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 10 })).total, 0, 'nothing issued while the draft has problems');

  const good = { ...draft, recipient: { ...draft.recipient, email: 'alice@example.com' }, sans: [{ type: 'email' as const, value: 'Alice@Example.com' }], days: 365, alias: 'alice-laptop' };
  const ok = await call(api, 'issue.check', good);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.subject, 'CN=Alice Example,O=Example,C=DE');

  await fails(api, 'issue.run', { ...good, delivery: { folder: join(usb, 'missing'), encryption: 'modern' } }, 'IO_ERROR', /does not exist/);
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 10 })).total, 0, 'a missing folder is found before anything is issued');

  const h = await call(api, 'issue.run', { ...good, delivery: { folder: usb, encryption: 'legacy' } });
  assert.equal(h.bundle.passwordGenerated, true);
  assert.equal(h.bundle.encryption, 'legacy');
  assert.equal(decodeQr(h.passwordQr), h.password);
  assert.ok(h.slipHtml.includes('alice-laptop'));
  assert.ok(!h.sheetHtml.includes(h.password), 'the installation sheet never carries the password');
  assert.equal(h.sheetHtml, readFileSync(join(h.bundle.folder, 'install.html'), 'utf8'));
  const pfx = join(h.bundle.folder, 'alice-laptop.pfx');
  if (needTools(t, 'openssl')) {
    const out = runOk('openssl', ['pkcs12', '-in', pfx, '-passin', 'env:PFXPW', '-nodes', '-legacy'], { env: { ...process.env, PFXPW: h.password } }).stdout;
    assert.match(out, /subject=.*CN\s*=\s*Alice Example/);
    assert.match(out, /BEGIN PRIVATE KEY/);
  }
  // The recipient was recorded with the phone number and is offered next time.
  const recipients = await call(api, 'recipient.list', { search: 'alice' });
  assert.equal(recipients[0]?.phone, '+49 30 1234');

  // Details: extensions as text, the chain up to the root, and exportable again (the user profile keeps keys).
  const details = await call(api, 'cert.get', { id: h.certificate.id });
  assert.deepEqual(details.chain, ['CN=Alice Example,O=Example,C=DE', 'CN=Example Issuing CA,O=Example,C=DE', 'CN=Example Root,O=Example,C=DE']);
  assert.ok(details.extensions.some((e) => e.name === 'Basic Constraints' && e.critical));
  assert.ok(details.extensions.some((e) => e.name === 'Subject Alternative Name' && e.value.toLowerCase().includes('alice@example.com')));
  assert.equal(details.exportable, true);
  const again = await call(api, 'cert.export', { id: h.certificate.id, folder: usb, encryption: 'modern' });
  assert.notEqual(again.password, h.password, 'a re-export hands over a new password');
  assert.equal(decodeQr(again.passwordQr), again.password);
  const iis = await call(api, 'cert.iisMapping', { id: h.certificate.id });
  assert.match(iis.oneToOne, /<add [^>]*certificate="[A-Za-z0-9+/=]+"/);
});

test('certificate list pages with a total; filters, revoke, delete, renew, dashboard and CRL publishing', async (t) => {
  const svc = newService(t);
  const { api, clock } = svc;
  const { issuing, usb } = await withCas(svc);
  const csv = ['name,email', ...Array.from({ length: 30 }, (_, i) => `User ${i},user${i}@example.com`)].join('\n');
  const passwordsFile = join(svc.dir, 'passwords.csv');
  svc.session.grants.grantFile(passwordsFile); // as the save dialog answers it (the list must be that very file)
  const started = await call(api, 'batch.start', { csv: Buffer.from(csv).toString('base64'), fileName: 'staff.csv', ca: issuing.id, profile: 'user', folder: usb, passwordsFile });
  const job = await finishBatch(api, started);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  assert.equal(job.done, 30);
  assert.equal(readFileSync(passwordsFile, 'utf8').trim().split('\n').length, 31);

  const page = await call(api, 'cert.list', { offset: 10, limit: 5 });
  assert.equal(page.total, 30);
  assert.equal(page.rows.length, 5);
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 100, search: 'User 2' })).total, 1 + 10); // User 2, User 20-29
  const [a, b, c] = (await call(api, 'cert.list', { offset: 0, limit: 3 })).rows;
  const revoked = await call(api, 'cert.revoke', { ids: [a!.id, b!.id], reason: 'keyCompromise' });
  assert.deepEqual(revoked.map((r) => r.status), ['revoked', 'revoked']);
  await fails(api, 'cert.revoke', { ids: [a!.id], reason: 'unspecified' }, 'ALREADY_REVOKED');
  await fails(api, 'cert.export', { id: a!.id, folder: usb, encryption: 'modern' }, 'NOT_EXPORTABLE');
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 100, status: 'revoked' })).total, 2);
  await call(api, 'cert.delete', { ids: [b!.id] });
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 100 })).total, 29);

  const renewed = await call(api, 'cert.renew', { id: c!.id, revokeOld: true, folder: usb, encryption: 'modern' });
  assert.equal(renewed.certificate.renewedFrom, c!.id);
  assert.equal((await call(api, 'cert.get', { id: c!.id })).certificate.revocationReason, 'superseded');

  const dash = await call(api, 'dashboard', {});
  assert.deepEqual(dash.counts, { valid: 28, expired: 0, revoked: 2, expiringIn30Days: 0, cas: 2 });
  // Twelve bars, this calendar month first (what the chart's "12 months" says).
  assert.equal(dash.expiry.months.length, 12);
  assert.equal(dash.expiry.months[0], clock.iso().slice(0, 7));
  assert.deepEqual(dash.crls.map((x) => x.state), ['never', 'never']);

  const crlDir = join(svc.dir, 'crl');
  mkdirSync(crlDir);
  const published = await call(api, 'crl.publish', { folder: crlDir });
  assert.equal(published.crls.length, 2);
  assert.ok(readdirSync(crlDir).includes('crl-chain.pem'));
  assert.equal(published.crls.find((x) => x.ca === 'Issuing')!.entries, 3);
  clock.advance(29 * DAY);
  const due = await call(api, 'dashboard', {});
  assert.ok(due.crls.every((x) => x.state === 'due' || x.state === 'overdue'), JSON.stringify(due.crls));
  // A month on, the one-year certificates (which end in the month a year after they were issued, or the one before)
  // are all in the chart.
  clock.advance(3 * DAY);
  const later = await call(api, 'dashboard', {});
  const series = later.expiry.series.find((s) => s.ca === 'Issuing')!;
  assert.equal(series.counts.reduce((x, y) => x + y, 0), 28, 'the user profile is one year: all 28 end within the chart a month on');
});

test('batch: a CSV with a bad row is reported line by line and nothing is issued', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const { issuing, usb } = await withCas(svc);
  const csv = Buffer.from('\uFEFFname;email\r\nAnna;anna@example.com\r\nBen;ben(at)example.com\r\n').toString('base64');
  const check = await call(api, 'batch.check', { csv, ca: issuing.id, profile: 'user' });
  assert.equal(check.delimiter, ';');
  assert.deepEqual(check.problems.map((p) => [p.line, p.column]), [[3, 'email']]);
  const passwordsFile = join(svc.dir, 'pw.csv');
  svc.session.grants.grantFile(passwordsFile); // as the save dialog answers it
  svc.session.grants.grantFile(join(usb, 'pw.csv'));
  const job = await call(api, 'batch.start', { csv, fileName: 'x.csv', ca: issuing.id, profile: 'user', folder: usb, passwordsFile });
  const state = await finishBatch(api, job);
  assert.equal(state.state, 'failed');
  assert.equal(state.error?.code, 'INVALID_INPUT');
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 1 })).total, 0);
  await fails(api, 'batch.start', { csv, fileName: 'x.csv', ca: issuing.id, profile: 'user', folder: usb, passwordsFile: join(usb, 'pw.csv') }, 'INVALID_INPUT', /outside/);
});

test('settings: auto-lock after the idle time, profile rules and the letter template are validated and audited', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const svc = newService(t);
  const { api } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  assert.equal((await call(api, 'settings.update', { autoLockMinutes: 2 })).autoLockMinutes, 2);
  t.mock.timers.tick(60_000);
  assert.equal((await call(api, 'session.status', { passive: true })).state, 'unlocked');
  await call(api, 'session.status', {}); // activity: the timer starts again
  t.mock.timers.tick(119_000);
  assert.equal((await call(api, 'session.status', { passive: true })).state, 'unlocked');
  t.mock.timers.tick(2_000);
  assert.equal((await call(api, 'session.status', { passive: true })).state, 'locked');
  await fails(api, 'settings.get', {}, 'VAULT_LOCKED');
  await call(api, 'vault.unlock', { passphrase: PASSPHRASE });

  const p = await call(api, 'profile.update', { id: 'user', changes: { validityDays: 730, renewBeforeDays: 45, pfxEncryption: 'legacy' } });
  assert.equal(p.validityDays, 730);
  assert.equal((await call(api, 'profile.list', {})).find((x) => x.id === 'user')!.pfxEncryption, 'legacy');
  await fails(api, 'profile.update', { id: 'user', changes: { renewBeforeDays: 800 } }, 'INVALID_INPUT', /renewBeforeDays/);
  await fails(api, 'profile.update', { id: 'device', changes: { passwordRule: { length: 8, minLength: 12, maxLength: 64, minGroups: 2, groups: ['upper', 'lower'] } } }, 'INVALID_INPUT', /length/);

  await fails(api, 'settings.update', { letterTemplate: 'Hello $Nobody' }, 'INVALID_INPUT', /\$Nobody/);
  const preview = await call(api, 'letter.preview', { template: 'Dear $HolderName, your password: $ClientCertPwd' });
  assert.equal(preview.text, 'Dear Alice Example, your password: Sample-Password-Only');
  await call(api, 'settings.update', { letterTemplate: 'Dear $HolderName' });
  assert.equal((await call(api, 'settings.get', {})).letterTemplate, 'Dear $HolderName');
  const actions = (await call(api, 'audit.list', { limit: 20 })).map((e) => e.action);
  assert.ok(actions.includes('profile.update') && actions.includes('settings.change'), actions.join(','));
});

test('no response carries the vault passphrase', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const seen: string[] = [];
  const wrapped = new Proxy(api, {
    get: (target, prop: string) => async (req: unknown) => {
      const r = await (target as unknown as Record<string, (q: unknown) => Promise<unknown>>)[prop]!(req);
      seen.push(JSON.stringify(r));
      return r;
    },
  }) as CertDeskApi;
  const { issuing, usb } = await withCas({ ...svc, api: wrapped });
  await wrapped['vault.unlock']({ passphrase: 'wrong wrong wrong' });
  await call(wrapped, 'issue.run', { mode: 'per-device', profile: 'device', ca: issuing.id, recipient: { name: 'Kiosk 7' }, sans: [{ type: 'device', value: 'KIOSK-7' }], delivery: { folder: usb, encryption: 'modern' } });
  await call(wrapped, 'dashboard', {});
  await call(wrapped, 'audit.list', { limit: 100 });
  assert.ok(seen.length > 5);
  assert.ok(!seen.join('\n').includes(PASSPHRASE));
  assert.ok(!seen.join('\n').includes('wrong wrong wrong'));
});

test('vault.create naming an existing file is refused before anything changes: the open vault stays open and unlocked', async (t) => {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const existing = join(svc.dir, 'notes.txt');
  writeFileSync(existing, 'not a vault\n');
  svc.session.grants.grantFile(existing); // even when a dialog answered it
  await fails(svc.api, 'vault.create', { passphrase: 'correct horse battery staple', path: existing }, 'VAULT_EXISTS', /a vault already exists at .*notes\.txt/);
  const status = await call(svc.api, 'session.status', { passive: true });
  assert.equal(status.state, 'unlocked');
  assert.equal(status.vaultPath, join(svc.dir, 'vault.certdesk'));
  assert.equal(readFileSync(existing, 'utf8'), 'not a vault\n');
});
