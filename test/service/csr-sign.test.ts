// The CSR screen's channels: csr.inspect with a CA and a profile says, before anything is signed, what the
// certificate will carry and what the profile leaves out (subject attributes and SANs); csr.sign commits the
// certificate with its pending PEM delivery and writes it with its CA chain, so a file that cannot be
// written stays pending instead of the request being signed again.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordPemDelivery } from '../../electron/core/delivery/store.js';
import { signCsr } from '../../electron/core/issuance/issue.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';
import { needTools, runOk } from '../helpers/tools.js';

const PASSPHRASE = 'correct horse battery staple';

function opensslCsr(dir: string, subj: string, san: string): string {
  runOk('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'r.csr'), '-subj', subj, '-addext', `subjectAltName=${san}`]);
  return readFileSync(join(dir, 'r.csr')).toString('base64');
}

test('csr.inspect previews the subject and names signing keeps and leaves out; csr.sign reports the same and writes the chain', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=Preview Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const ca = await call(svc.api, 'ca.create', { name: 'Users', issuer: root.id, subject: 'CN=Preview Users,O=Example,C=DE', keyType: 'ec-p256', days: 1800 });
  const csr = opensslCsr(svc.dir, '/C=US/O=Evil Corp/OU=Payments/CN=Zoe Mueller', 'email:zoe@example.com,DNS:evil.example.com');

  const bare = await call(svc.api, 'csr.inspect', { csr });
  assert.equal(bare.plan, null, 'without a CA and a profile, only the request');
  const seen = await call(svc.api, 'csr.inspect', { csr, ca: ca.id, profile: 'user' });
  assert.deepEqual(seen.plan, {
    subject: 'CN=Zoe Mueller,O=Example,C=DE',
    sans: [{ type: 'email', value: 'zoe@example.com' }],
    droppedSans: [{ type: 'dns', value: 'evil.example.com' }],
    droppedSubject: ['C=US', 'O=Evil Corp', 'OU=Payments'],
    findings: [],
  });
  assert.equal((await call(svc.api, 'cert.list', { offset: 0, limit: 10 })).total, 0, 'previewing signs nothing (the list holds no end-entity certificate)');

  const out = join(svc.dir, 'out');
  mkdirSync(out);
  const signed = await call(svc.api, 'csr.sign', { csr, ca: ca.id, profile: 'user', folder: out });
  assert.deepEqual(signed.droppedSubject, seen.plan!.droppedSubject);
  assert.deepEqual(signed.droppedSans, seen.plan!.droppedSans);
  assert.equal(signed.certificate.subject, seen.plan!.subject);
  const pem = readFileSync(signed.file, 'utf8');
  assert.equal((pem.match(/BEGIN CERTIFICATE/g) ?? []).length, 3, 'the certificate, the issuing CA and the root');
  assert.ok(pem.startsWith(signed.certificate.pem));
  assert.deepEqual(await call(svc.api, 'pending.list', {}), []);
});

test('a CSR signed on the screen and killed before its file was written: pending.resume writes it with its chain', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  const ca = await call(svc.api, 'ca.create', { name: 'Web', subject: 'CN=Web CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const csr = opensslCsr(svc.dir, '/CN=web01.example.com', 'DNS:web01.example.com');
  const file = join(svc.dir, 'web01.pem');
  // What csr.sign commits, then stops: the certificate and its pending PEM delivery (with the chain).
  const vault = svc.session.unlocked();
  const { record } = await signCsr(vault, { ca: String(ca.id), profile: 'server', csr: Buffer.from(csr, 'base64') }, { inTransaction: (id) => void recordPemDelivery(vault, 'issue', id, file, true) });
  const [pending] = await call(svc.api, 'pending.list', {});
  assert.equal(pending!.certificateId, record.id);
  const resumed = await call(svc.api, 'pending.resume', {});
  assert.deepEqual(resumed.failed, []);
  const pem = readFileSync(file, 'utf8');
  assert.equal((pem.match(/BEGIN CERTIFICATE/g) ?? []).length, 2, 'the certificate and its CA');
  assert.ok(pem.startsWith(record.pem));
  const caCert = await call(svc.api, 'cert.get', { id: ca.certificateId });
  assert.equal(pem, record.pem + caCert.certificate.pem);
});
