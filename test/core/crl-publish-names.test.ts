// "crl publish" with two CAs whose names make the same file name ("Users CA" and "Users-CA"): two files, each
// holding its own CA's CRL (openssl reads the issuer), and a republish overwrites each CA's own file.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { newVault } from '../helpers/engine-vault.js';
import { needTools, runOk } from '../helpers/tools.js';

function crlText(file: string, inform: 'DER' | 'PEM'): string {
  return runOk('openssl', ['crl', '-inform', inform, '-in', file, '-noout', '-text']).stdout;
}

/** The CRL's issuer as openssl reads it, RFC 2253 form. */
function issuerOf(file: string, inform: 'DER' | 'PEM'): string {
  return runOk('openssl', ['crl', '-inform', inform, '-in', file, '-noout', '-issuer', '-nameopt', 'RFC2253']).stdout.trim();
}

test('two CAs named "Users CA" and "Users-CA" publish to two files, each with its own CRL, on every publish', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, dir } = await newVault(t);
  const first = await createCa(vault, { name: 'Users CA', subject: 'CN=First Users CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const second = await createCa(vault, { name: 'Users-CA', subject: 'CN=Second Users CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const out = join(dir, 'stick');
  mkdirSync(out);
  const secondBase = `users-ca-ca${second.id}`;

  const published = await publishCrls(vault, out);
  assert.deepEqual(
    published.crls.map((c) => [c.ca, c.derFile, c.pemFile]),
    [
      ['Users CA', join(out, 'users-ca.crl'), join(out, 'users-ca.crl.pem')],
      ['Users-CA', join(out, `${secondBase}.crl`), join(out, `${secondBase}.crl.pem`)],
    ],
  );
  assert.deepEqual(readdirSync(out).sort(), ['crl-chain.pem', `${secondBase}.crl`, `${secondBase}.crl.pem`, 'users-ca.crl', 'users-ca.crl.pem'].sort());
  for (const [base, cn] of [['users-ca', 'First Users CA'], [secondBase, 'Second Users CA']] as const) {
    assert.equal(issuerOf(join(out, `${base}.crl`), 'DER'), `issuer=CN=${cn},O=Example`);
    assert.equal(issuerOf(join(out, `${base}.crl.pem`), 'PEM'), `issuer=CN=${cn},O=Example`);
  }

  // Revoke one of the second CA's certificates and publish again: only the second CA's file lists it.
  const bob = (await issueCertificate(vault, { ca: 'Users-CA', profile: 'user', name: 'Bob Example', sans: [{ type: 'email', value: 'bob@example.com' }], keyType: 'ec-p256' })).record;
  revokeCertificates(vault, [String(bob.id)], 'keyCompromise');
  const again = await publishCrls(vault, out);
  assert.deepEqual(again.crls.map((c) => c.derFile), published.crls.map((c) => c.derFile));
  assert.equal(readdirSync(out).length, 5, 'no new files');
  // Serials compared as numbers: openssl prints whole bytes ("04AB…"), CertDesk's serial may start with a zero digit or not.
  const asNumber = (hex: string) => BigInt(`0x${hex}`);
  const secondText = crlText(join(out, `${secondBase}.crl`), 'DER');
  assert.equal(issuerOf(join(out, `${secondBase}.crl`), 'DER'), 'issuer=CN=Second Users CA,O=Example');
  const listed = [...secondText.matchAll(/Serial Number: ([0-9A-F]+)/gi)].map((m) => asNumber(m[1]!));
  assert.deepEqual(listed, [asNumber(bob.serial)], secondText);
  const firstText = crlText(join(out, 'users-ca.crl'), 'DER');
  assert.equal(issuerOf(join(out, 'users-ca.crl'), 'DER'), 'issuer=CN=First Users CA,O=Example');
  assert.match(firstText, /No Revoked Certificates/);
  assert.equal(first.id < second.id, true);
});
