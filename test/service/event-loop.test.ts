// The window never freezes (issue 9): while a heavy operation runs through the service dispatch, as the
// Electron main process runs it, that thread's event loop keeps turning and answers the window's next call.
// Measured by counting, never by a clock (test/helpers/event-loop.ts); the first test shows that the
// same count catches work done on this thread.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { RequestOf } from '../../shared/api.js';
import type { CaRecord } from '../../shared/domain.js';
import { KDF_ID, bmpPassword, pkcs12Kdf } from '../../electron/core/pki/pkcs12-kdf.js';
import { MIN_FREE_TURNS, kdfRoundsHere, overlapWith } from '../helpers/event-loop.js';
import { copyCertificate } from '../helpers/bulk-certificates.js';
import { call } from '../helpers/in-memory-api.js';
import { newService, type TestService } from '../helpers/service.js';
import { needTools } from '../helpers/tools.js';

const PASSPHRASE = 'correct horse battery staple';
const PFX_PASSWORD = 'Event-Loop-Test-1';
/** What the issue names: a PFX asking for a million KDF iterations (CertDesk reads up to ten million). */
const PFX_ITERATIONS = 1_000_000;

/**
 * Runs `operation` and asserts that the loop kept turning, that a session.status call got in meanwhile,
 * and that no round of the PKCS#12 KDF ran on this thread.
 */
async function loopStaysFree<T>(t: TestContext, svc: TestService, what: string, operation: () => Promise<T>): Promise<T> {
  const { result: seen, rounds } = await kdfRoundsHere(() => overlapWith(operation, () => call(svc.api, 'session.status', { passive: true })));
  t.diagnostic(`${what}: ${seen.turns} event-loop turns; session.status answered ${seen.probeFirst ? 'before' : 'after'} it finished; ${rounds} KDF rounds on this thread`);
  assert.ok(seen.turns >= MIN_FREE_TURNS, `${what}: the event loop turned only ${seen.turns} times while it ran (at least ${MIN_FREE_TURNS} expected)`);
  assert.ok(seen.probeFirst, `${what}: a session.status call made after it started was answered only after it finished`);
  assert.equal(rounds, 0, `${what}: ${rounds} rounds of the PKCS#12 KDF ran on the event loop's thread`);
  return seen.result;
}

async function unlockedService(t: TestContext): Promise<TestService> {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  return svc;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A new P-256 CA certificate and key in a PFX made by OpenSSL with `options`, as the Base64 the window sends. */
function caPfx(dir: string, name: string, ...options: string[]): string {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-subj', `/CN=${name}`, '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl(dir, 'pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-passout', `pass:${PFX_PASSWORD}`, '-out', `${name}.pfx`, ...options);
  return readFileSync(join(dir, `${name}.pfx`)).toString('base64');
}

async function issuingCa(svc: TestService): Promise<CaRecord> {
  return call(svc.api, 'ca.create', { name: 'Issuing', subject: 'CN=Event Loop CA, O=Example, C=DE', keyType: 'ec-p256' });
}

test('the measure itself: a PKCS#12 KDF run on this thread holds back the loop and the next call, and is counted', async (t) => {
  const svc = await unlockedService(t);
  const { result: seen, rounds } = await kdfRoundsHere(() =>
    overlapWith(
      async () => pkcs12Kdf('sha256', bmpPassword(PFX_PASSWORD), randomBytes(16), KDF_ID.mac, 200_000, 32),
      () => call(svc.api, 'session.status', { passive: true }),
    ),
  );
  t.diagnostic(`pkcs12Kdf on this thread: ${seen.turns} event-loop turns, ${rounds} KDF rounds counted`);
  assert.ok(seen.turns < MIN_FREE_TURNS, `a blocking KDF let the loop turn ${seen.turns} times`);
  assert.equal(seen.probeFirst, false);
  assert.equal(rounds, 200_000);
});

test('importing a CA from a PFX with 1,000,000 KDF iterations leaves the loop free (SHA-256 MAC; 3DES and SHA-1 MAC)', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const svc = await unlockedService(t);
  // Integrity only: the MAC's appendix B KDF is all the work. Then the legacy form: the same KDF also keys
  // both 3DES bags (key and IV each), seven million SHA-1 rounds in all.
  const macOnly = caPfx(svc.dir, 'MAC Only CA', '-keypbe', 'NONE', '-certpbe', 'NONE', '-macalg', 'sha256', '-iter', String(PFX_ITERATIONS));
  const legacy = caPfx(svc.dir, 'Legacy CA', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-iter', String(PFX_ITERATIONS));
  const a = await loopStaysFree(t, svc, 'ca.import (SHA-256 MAC)', () => call(svc.api, 'ca.import', { name: 'MAC only', pfx: { data: macOnly, password: PFX_PASSWORD } }));
  const b = await loopStaysFree(t, svc, 'ca.import (3DES, SHA-1 MAC)', () => call(svc.api, 'ca.import', { name: 'Legacy', pfx: { data: legacy, password: PFX_PASSWORD } }));
  assert.deepEqual([a.subject, b.subject], ['CN=MAC Only CA', 'CN=Legacy CA']);
  assert.ok(a.hasKey && b.hasKey);
  // A wrong password still fails as before, from the worker thread.
  const wrong = await svc.api['ca.import']({ name: 'Wrong', pfx: { data: macOnly, password: 'not it' } });
  assert.equal(wrong.ok ? null : wrong.code, 'PFX_BAD_PASSWORD');
});

test('creating an RSA-4096 root CA leaves the loop free', async (t) => {
  const svc = await unlockedService(t);
  const ca = await loopStaysFree(t, svc, 'ca.create RSA-4096', () => call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=RSA Root, O=Example, C=DE', keyType: 'rsa-4096' }));
  assert.equal(ca.keyType, 'rsa-4096');
});

test('exporting a legacy PFX bundle leaves the loop free, and the bundle opens', async (t) => {
  const svc = await unlockedService(t);
  const ca = await issuingCa(svc);
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const draft: RequestOf<'issue.check'> = { mode: 'per-user', profile: 'user', ca: ca.id, recipient: { name: 'Alice Example' }, sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' };
  const issued = await loopStaysFree(t, svc, 'issue.run', () => call(svc.api, 'issue.run', { ...draft, delivery: { folder: usb, encryption: 'legacy' } }));
  const again = await loopStaysFree(t, svc, 'cert.export', () => call(svc.api, 'cert.export', { id: issued.certificate.id, folder: usb, encryption: 'legacy' }));
  const pfx = again.bundle.files.find((f) => f.name.endsWith('.pfx'))!;
  assert.ok(pfx.bytes > 0);
  if (!needTools(t, 'openssl')) return;
  openssl(again.bundle.folder, 'pkcs12', '-info', '-noout', '-legacy', '-passin', `pass:${again.password}`, '-in', pfx.name);
});

test('reading and signing a CSR with 5,000 names, and showing the certificate, leave the loop free', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const svc = await unlockedService(t);
  const ca = await issuingCa(svc);
  const names = Array.from({ length: 5000 }, (_, i) => `DNS.${i + 1}=host${i}.example.com`).join('\n');
  writeFileSync(join(svc.dir, 'req.cnf'), `[req]\ndistinguished_name=dn\nreq_extensions=ext\nprompt=no\n[dn]\nCN=many.example.com\n[ext]\nsubjectAltName=@alt\n[alt]\n${names}\n`);
  openssl(svc.dir, 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'req.key', '-config', 'req.cnf', '-out', 'req.csr');
  const csr = readFileSync(join(svc.dir, 'req.csr')).toString('base64');
  const seen = await loopStaysFree(t, svc, 'csr.inspect', () => call(svc.api, 'csr.inspect', { csr }));
  assert.equal(seen.sans.length, 5000);
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const signed = await loopStaysFree(t, svc, 'csr.sign', () => call(svc.api, 'csr.sign', { csr, ca: ca.id, profile: 'server', folder: usb }));
  assert.equal(signed.certificate.sans.length, 5000);
  assert.equal(signed.certificate.subject, 'CN=many.example.com');
  const details = await loopStaysFree(t, svc, 'cert.get', () => call(svc.api, 'cert.get', { id: signed.certificate.id }));
  assert.match(details.extensions.find((e) => e.name === 'Subject Alternative Name')?.value ?? '', /host4999\.example\.com/);
  const iis = await loopStaysFree(t, svc, 'cert.iisMapping', () => call(svc.api, 'cert.iisMapping', { id: signed.certificate.id }));
  assert.match(iis.oneToOne, /<add /);
});

test('publishing a CRL with 2,000 entries leaves the loop free', async (t) => {
  const svc = await unlockedService(t);
  const ca = await issuingCa(svc);
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const issued = await call(svc.api, 'issue.run', { mode: 'per-user', profile: 'user', ca: ca.id, recipient: { name: 'Bob Example' }, sans: [{ type: 'email', value: 'bob@example.com' }], keyType: 'ec-p256', delivery: { folder: usb, encryption: 'modern' } });
  // Revoked copies of the issued row, each with its own serial: what years of revocations leave behind.
  copyCertificate(svc.session.unlocked(), issued.certificate.id, { count: 2000, revoke: 'superseded' });
  const published = await loopStaysFree(t, svc, 'crl.publish', () => call(svc.api, 'crl.publish', { folder: join(svc.dir, 'usb') }));
  assert.equal(published.crls.find((c) => c.ca === 'Issuing')?.entries, 2000);
});

test('checking a batch CSV of 10,000 rows leaves the loop free', async (t) => {
  const svc = await unlockedService(t);
  const ca = await issuingCa(svc);
  const csv = Buffer.from('name,email\n' + Array.from({ length: 10_000 }, (_, i) => `User ${i},user${i}@example.com\n`).join('')).toString('base64');
  const checked = await loopStaysFree(t, svc, 'batch.check', () => call(svc.api, 'batch.check', { csv, ca: ca.id, profile: 'user' }));
  assert.equal(checked.total, 10_000);
  assert.deepEqual(checked.problems, []);
});
