// Issue 15, adopting a key pair already on a PKCS#11 token: `ca import --cert FILE --pkcs11-module PATH
// --pkcs11-token LABEL --pkcs11-key-label LABEL`. An EC P-384 pair made by pkcs11-tool (its certificate from an
// external root, with the token's public key) and an RSA key imported by softhsm2-util (a self-signed root) are
// adopted and sign certificates and CRLs openssl verifies; a certificate of another key is refused
// (KEY_MISMATCH), an unknown label is TOKEN_KEY_NOT_FOUND, and each refusal leaves the vault as it was.
// Every command runs in this process (certdeskInFolder, SOFTHSM2_CONF and the PIN in its env for the call; the
// module is initialised anew per command): this file checks what they adopt, sign and refuse, not the process.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { certdeskInFolder, initTestVault } from '../helpers/cli.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run, runOk } from '../helpers/tools.js';

const PASSPHRASE = 'pkcs11 adopt vault passphrase';

test('ca import adopts a key pair on the token by label; a certificate of another key is refused', { timeout: 120_000 }, async (t) => {
  if (!needSoftHsm(t) || !needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const hsm = softHsm(dir);
  hsm.initToken('Adopt');
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: PASSPHRASE, CERTDESK_PKCS11_PIN: USER_PIN, ...hsm.env };
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  const ok = async (...args: string[]) => {
    const r = await cd(...args);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const openssl = (...args: string[]) => runOk('openssl', args, { cwd: dir });
  await initTestVault(env.CERTDESK_VAULT, PASSPHRASE);
  const onToken = ['--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'Adopt'];
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\n');

  // An EC P-384 pair made on the token by pkcs11-tool; its public key read from the token's listing (CKA_EC_POINT).
  hsm.tool(['--login', '--pin', USER_PIN, '--keypairgen', '--key-type', 'EC:secp384r1', '--label', 'ec-adopted', '--id', '0a0b']);
  const listing = hsm.tool(['--list-objects']);
  const point = /EC_POINT:\s+([0-9a-f]+)\n(?:.*\n)*?\s+label:\s+ec-adopted\n/.exec(listing)?.[1];
  assert.ok(point, listing);
  const raw = Buffer.from(point, 'hex').subarray(2); // DER OCTET STRING header 04 61, then 04 || x || y
  assert.equal(raw.length, 97);
  const pub = createPublicKey({ key: { kty: 'EC', crv: 'P-384', x: raw.subarray(1, 49).toString('base64url'), y: raw.subarray(49).toString('base64url') }, format: 'jwk' });
  writeFileSync(join(dir, 'ec-pub.pem'), pub.export({ type: 'spki', format: 'pem' }));
  // An external root (not in the vault) certifies the token's key as a CA.
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ext.key', '-out', 'ext.pem', '-subj', '/CN=External Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('x509', '-new', '-force_pubkey', 'ec-pub.pem', '-subj', '/CN=Adopted EC CA', '-CA', 'ext.pem', '-CAkey', 'ext.key', '-extfile', 'ca.ext', '-days', '30', '-out', 'adopted-ec.pem');
  // A certificate for another P-384 key, under the same name.
  openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'other.key');
  openssl('pkey', '-in', 'other.key', '-pubout', '-out', 'other-pub.pem');
  openssl('x509', '-new', '-force_pubkey', 'other-pub.pem', '-subj', '/CN=Adopted EC CA', '-CA', 'ext.pem', '-CAkey', 'ext.key', '-extfile', 'ca.ext', '-days', '30', '-out', 'other.pem');

  // An RSA key imported onto the token by softhsm2-util, and its self-signed root made by openssl.
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key');
  runOk('softhsm2-util', ['--import', join(dir, 'rsa.key'), '--token', 'Adopt', '--label', 'rsa-adopted', '--id', '0c0d', '--pin', USER_PIN], { env: { ...process.env, ...hsm.env } });
  openssl('req', '-x509', '-key', 'rsa.key', '-out', 'rsa-root.pem', '-subj', '/CN=Adopted RSA Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');

  const state = () => {
    const db = new Database(env.CERTDESK_VAULT, { readonly: true });
    try {
      return db.prepare('SELECT (SELECT count(*) FROM cas) AS cas, (SELECT count(*) FROM keys) AS keys, (SELECT count(*) FROM certificates) AS certs, (SELECT count(*) FROM audit) AS audit').get();
    } finally {
      db.close();
    }
  };
  const refused = async (args: string[], code: string, message: string, status = 1) => {
    const before = state();
    const r = await cd(...args, '--json');
    assert.equal(r.status, status, r.stderr);
    assert.equal((r.json as { code: string }).code, code);
    assert.equal(r.stderr, status === 2 ? `certdesk: ${message}\nRun "certdesk --help" for usage.\n` : `certdesk: error: ${message}\n`);
    assert.deepEqual(state(), before);
  };

  await refused(
    ['ca', 'import', '--name', 'Wrong', '--cert', 'other.pem', ...onToken, '--pkcs11-key-label', 'ec-adopted'],
    'KEY_MISMATCH',
    'the key labelled "ec-adopted" on token "Adopt" does not belong to the CA certificate (its signature does not verify with the certificate\'s public key)',
  );
  await refused(['ca', 'import', '--name', 'Wrong', '--cert', 'adopted-ec.pem', ...onToken, '--pkcs11-key-label', 'no-such-key'], 'TOKEN_KEY_NOT_FOUND', 'token "Adopt" holds no private key labelled "no-such-key" (CA "Wrong")');
  // An RSA key for an EC certificate: it cannot make the signature the certificate asks for.
  await refused(
    ['ca', 'import', '--name', 'Wrong', '--cert', 'adopted-ec.pem', ...onToken, '--pkcs11-key-label', 'rsa-adopted'],
    'KEY_MISMATCH',
    'the key labelled "rsa-adopted" on token "Adopt" cannot make a ec-p384 signature, so it is not the key of the CA certificate',
  );
  await refused(['ca', 'import', '--name', 'Wrong', '--cert', 'adopted-ec.pem', ...onToken], 'USAGE', '--pkcs11-key-label LABEL is required to adopt a key on a token', 2);
  await refused(['ca', 'import', '--name', 'Wrong', '--cert', 'adopted-ec.pem', '--key', 'rsa.key', ...onToken, '--pkcs11-key-label', 'ec-adopted'], 'USAGE', 'a key on a token takes --cert FILE only, not --pfx or --key', 2);

  const ec = await ok('ca', 'import', '--name', 'EC Adopted', '--cert', 'adopted-ec.pem', ...onToken, '--pkcs11-key-label', 'ec-adopted');
  assert.match(ec.stdout, /^Imported CA 1 "EC Adopted": CN=Adopted EC CA, valid until .*; its key stays on token "Adopt"\n$/);
  await ok('ca', 'import', '--name', 'RSA Adopted', '--cert', 'rsa-root.pem', ...onToken, '--pkcs11-key-label', 'rsa-adopted');

  // Both sign on the token: end-entity certificates and CRLs that openssl verifies.
  for (const [ca, anchor, chain, leaf] of [
    ['EC Adopted', 'ext.pem', 'adopted-ec.pem', 'ec-ee'],
    ['RSA Adopted', 'rsa-root.pem', null, 'rsa-ee'],
  ] as const) {
    await ok('issue', '--ca', ca, '--profile', 'server', '--name', `${leaf}.example.org`, '--dns', `${leaf}.example.org`, '--out', `${leaf}.pem`);
    await ok('crl', ca, '--out', `${leaf}.crl`);
    const args = ['verify', '-crl_check', '-CRLfile', join(dir, `${leaf}.crl`), '-CAfile', join(dir, anchor), ...(chain ? ['-untrusted', join(dir, chain)] : []), join(dir, `${leaf}.pem`)];
    const r = run('openssl', args);
    assert.equal(r.status, 0, `${leaf}: ${r.stdout}${r.stderr}`);
    assert.match(readFileSync(join(dir, `${leaf}.crl`), 'utf8'), /^-----BEGIN X509 CRL-----\n/);
  }
  const audit = (await ok('audit', 'list', '--action', 'ca.import', '--json')).stdout;
  assert.match(audit, /"from":"pkcs11"/);
  assert.match(audit, /"keyLabel":"rsa-adopted"/);
  assert.ok(!audit.includes(USER_PIN));
});
