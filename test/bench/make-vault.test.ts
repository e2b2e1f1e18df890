// bench/make-vault.ts run as a user runs it, with a small N: the vault it writes passes `certdesk vault
// verify` (every record's MAC, the record sets, the audit chain), every certificate parses, matches its
// row and is signed by its CA, and openssl verifies a few against their CA.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { x509 } from '../../electron/core/pki/provider.js';
import { certdesk } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const MAKE_VAULT = fileURLToPath(new URL('../../bench/make-vault.js', import.meta.url));
const N = 400;

interface Row {
  id: number;
  kind: string;
  der: Buffer;
  serial: string;
  subject: string;
  not_before: string;
  not_after: string;
  sha256: string;
  renewed_from: number | null;
  ca_der: Buffer;
}

test(`make-vault --certificates ${N}: the vault verifies, and every certificate parses, matches its row and chains to its CA`, { timeout: 600_000 }, async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'made.certdesk');
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'make a vault of many certificates\n');
  const made = runOk(process.execPath, [MAKE_VAULT, '--certificates', String(N), '--out', out, '--passphrase-file', passphraseFile, '--seed', '7']);
  const summary = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
  assert.equal(summary.certificates, N);
  // One template per CA (4) and profile (5) at most; every other certificate is stamped from one.
  assert.ok(Number(summary.templatesBuilt) >= 1 && Number(summary.templatesBuilt) <= 20, `templates built: ${summary.templatesBuilt}`);
  assert.equal(summary.revoked, Math.floor((N - 5 - 1) / 33) + 1, 'one in 33 revoked');

  const verify = certdesk(['vault', 'verify'], { CERTDESK_VAULT: out, CERTDESK_PASSPHRASE: 'make a vault of many certificates' });
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(verify.stdout.trim(), 'ok');

  const db = new Database(out, { readonly: true });
  t.after(() => db.close());
  const rows = db
    .prepare(
      `SELECT c.id, c.kind, c.der, c.serial, c.subject, c.not_before, c.not_after, c.sha256, c.renewed_from, ca.der AS ca_der
       FROM certificates c JOIN cas a ON a.id = c.issuer_ca_id JOIN certificates ca ON ca.id = a.certificate_id
       WHERE c.kind = 'end-entity' ORDER BY c.id`,
    )
    .all() as Row[];
  assert.equal(rows.filter((r) => r.renewed_from === null).length, N, 'the certificates made, besides the renewals');
  assert.equal(rows.length, N + Number(summary.renewed));
  const serials = new Set<string>();
  for (const r of rows) {
    const cert = new x509.X509Certificate(r.der);
    const ca = new x509.X509Certificate(r.ca_der);
    assert.equal(await cert.verify({ publicKey: ca, signatureOnly: true }), true, `certificate ${r.id} is signed by its CA`);
    assert.equal(cert.issuer, ca.subject, `certificate ${r.id}'s issuer`);
    assert.equal(cert.serialNumber, r.serial, `certificate ${r.id}'s serial`);
    assert.equal(cert.notBefore.toISOString(), r.not_before, `certificate ${r.id}'s start`);
    assert.equal(cert.notAfter.toISOString(), r.not_after, `certificate ${r.id}'s end`);
    assert.equal(createHash('sha256').update(r.der).digest('hex'), r.sha256, `certificate ${r.id}'s thumbprint`);
    const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
    assert.equal(aki, ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId, `certificate ${r.id}'s AKI names its CA's key`);
    const ski = await x509.SubjectKeyIdentifierExtension.create(cert.publicKey);
    assert.equal(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId, ski.keyId, `certificate ${r.id}'s SKI is its key's`);
    serials.add(`${cert.issuer}\n${r.serial}`);
  }
  assert.equal(serials.size, rows.length, 'no serial repeats under one CA');

  if (!needTools(t, 'openssl')) return;
  // A few, spread over the vault (some expired by now: openssl is told not to check the time).
  for (const r of [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows.at(-1)!]) {
    const pem = join(dir, `${r.id}.pem`);
    const caPem = join(dir, `${r.id}-ca.pem`);
    writeFileSync(pem, new x509.X509Certificate(r.der).toString('pem'));
    writeFileSync(caPem, new x509.X509Certificate(r.ca_der).toString('pem'));
    const v = runOk('openssl', ['verify', '-no_check_time', '-x509_strict', '-CAfile', caPem, pem]);
    assert.equal(v.stdout.trim(), `${pem}: OK`);
  }
  assert.equal(readFileSync(passphraseFile, 'utf8'), 'make a vault of many certificates\n', 'the passphrase file is left as it was');
});
