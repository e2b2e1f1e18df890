// Issue 15, CA keys on PKCS#11 tokens, from the command line with SoftHSM2: an RSA-3072 and a P-384 root whose
// keys are generated on the token, an intermediate in the vault under each, end-entity certificates under the
// intermediates, a CRL from each root listing a revoked intermediate certificate: openssl verify -crl_check_all
// accepts the chains. pkcs11-tool shows the keys sensitive and never extractable; token list shows them without
// a PIN; ca export with the key is refused (CA_KEY_NOT_EXPORTABLE); the vault files hold no PIN.
// Every command runs in this process (certdeskInFolder, SOFTHSM2_CONF and the PIN in its env for the call; the
// module is initialised anew per command): this file checks what they sign, print and store, not the process.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskInFolder, initTestVault } from '../helpers/cli.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run } from '../helpers/tools.js';

const PASSPHRASE = 'pkcs11 roots vault passphrase';

test('token roots (RSA-3072, P-384) sign intermediates and CRLs that openssl verifies; keys stay on the token', { timeout: 120_000 }, async (t) => {
  if (!needSoftHsm(t) || !needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const hsm = softHsm(dir);
  const serial = hsm.initToken('CertDesk Roots');
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: PASSPHRASE, CERTDESK_PKCS11_PIN: USER_PIN, ...hsm.env };
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  const ok = async (...args: string[]) => {
    const r = await cd(...args);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await initTestVault(env.CERTDESK_VAULT, PASSPHRASE);
  const onToken = ['--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'CertDesk Roots'];

  const started = Date.now();
  const rsa = (await ok('ca', 'create', '--name', 'RSA Root', '--subject', 'CN=Token RSA Root,O=Example', '--key', 'rsa-3072', ...onToken, '--json')).json!.ca as { keyType: string };
  const rsaSeconds = (Date.now() - started) / 1000;
  assert.equal(rsa.keyType, 'rsa-3072');
  const ec = (await ok('ca', 'create', '--name', 'EC Root', '--subject', 'CN=Token EC Root,O=Example', '--key', 'ec-p384', ...onToken, '--pkcs11-key-label', 'ec-root-key', '--json')).json!.ca as { keyType: string };
  assert.equal(ec.keyType, 'ec-p384');
  t.diagnostic(`ca create with an RSA-3072 key generated on SoftHSM: ${rsaSeconds.toFixed(1)} s`);

  // Intermediates in the vault, signed on the token; end-entity certificates under them, signed in the vault.
  await ok('ca', 'create', '--name', 'RSA Sub', '--subject', 'CN=RSA Sub,O=Example', '--issuer', 'RSA Root', '--key', 'rsa-2048');
  await ok('ca', 'create', '--name', 'EC Sub', '--subject', 'CN=EC Sub,O=Example', '--issuer', 'EC Root', '--key', 'ec-p256');
  await ok('ca', 'create', '--name', 'EC Sub Revoked', '--subject', 'CN=EC Sub Revoked,O=Example', '--issuer', 'EC Root', '--key', 'ec-p256');
  await ok('issue', '--ca', 'RSA Sub', '--profile', 'server', '--name', 'rsa.example.org', '--dns', 'rsa.example.org', '--out', 'rsa-ee.pem');
  await ok('issue', '--ca', 'EC Sub', '--profile', 'server', '--name', 'ec.example.org', '--dns', 'ec.example.org', '--out', 'ec-ee.pem');
  await ok('ca', 'revoke', 'EC Sub Revoked', '--reason', 'cessationOfOperation');
  for (const [ca, file] of [['RSA Root', 'rsa-root'], ['EC Root', 'ec-root'], ['RSA Sub', 'rsa-sub'], ['EC Sub', 'ec-sub'], ['EC Sub Revoked', 'ec-sub-revoked']] as const) {
    await ok('ca', 'cert', ca, '--out', `${file}.pem`);
    // A revoked intermediate that issued nothing needs (and may sign) no CRL of its own.
    if (ca !== 'EC Sub Revoked') await ok('crl', ca, '--out', `${file}.crl`);
  }
  const show = (await ok('ca', 'show', 'EC Root', '--json')).json!;
  assert.equal((show.details as { ca: { crlNumber: number } }).ca.crlNumber, 1);
  // Where the key lives (the app's CA panel shows the same), never the PIN.
  assert.deepEqual((show.details as { tokenKey: unknown }).tokenKey, { module: SOFTHSM_MODULE, token: 'CertDesk Roots', serial, keyLabel: 'ec-root-key' });
  assert.match((await ok('ca', 'show', 'EC Root')).stdout, new RegExp(`^Key +ec-p384 \\(private key on token "CertDesk Roots", serial ${serial}, key "ec-root-key", PKCS#11 module ${SOFTHSM_MODULE}\\)$`, 'm'));

  const verify = (anchor: string, chain: string[], leaf: string) => {
    const crls = join(dir, `crls-${leaf}`);
    writeFileSync(crls, ['rsa-root', 'ec-root', 'rsa-sub', 'ec-sub'].map((f) => readFileSync(join(dir, `${f}.crl`), 'utf8')).join(''));
    const untrusted = chain.length ? ['-untrusted', join(dir, `${chain[0]}.pem`)] : [];
    return run('openssl', ['verify', '-crl_check_all', '-CRLfile', crls, '-CAfile', join(dir, `${anchor}.pem`), ...untrusted, join(dir, leaf)]);
  };
  for (const [anchor, sub, leaf] of [['rsa-root', 'rsa-sub', 'rsa-ee.pem'], ['ec-root', 'ec-sub', 'ec-ee.pem']] as const) {
    const r = verify(anchor, [sub], leaf);
    assert.equal(r.status, 0, `${leaf}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /: OK\n$/);
  }
  // The revoked intermediate: the root's CRL (signed on the token) lists it, and openssl refuses it.
  const revoked = verify('ec-root', [], 'ec-sub-revoked.pem');
  assert.notEqual(revoked.status, 0);
  assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
  const crlText = run('openssl', ['crl', '-in', join(dir, 'ec-root.crl'), '-noout', '-text']).stdout;
  assert.match(crlText, /Signature Algorithm: ecdsa-with-SHA384/);
  assert.match(run('openssl', ['x509', '-in', join(dir, 'rsa-sub.pem'), '-noout', '-text']).stdout, /Signature Algorithm: sha256WithRSAEncryption/);

  // The keys on the token: sensitive, always sensitive, never extractable; sign and nothing else.
  const objects = hsm.tool(['--list-objects', '--login', '--pin', USER_PIN]);
  for (const label of ['RSA Root', 'ec-root-key']) {
    const block = objects.split(/\n(?=\S)/).find((b) => b.startsWith('Private Key Object') && b.includes(`label:      ${label}\n`));
    assert.ok(block, `no private key labelled ${label} in:\n${objects}`);
    assert.match(block, /Access:\s+sensitive, always sensitive, never extractable, local/);
    assert.match(block, /Usage:\s+sign\n/);
  }

  // token list: the token and the public keys, without a PIN.
  // No PIN in this environment ('' is none, as for an unset variable); the vault path only satisfies certdeskInFolder: token list opens none.
  const noPin = { ...hsm.env, CERTDESK_PKCS11_PIN: '', CERTDESK_VAULT: env.CERTDESK_VAULT };
  const listed = await certdeskInFolder(['token', 'list', '--pkcs11-module', SOFTHSM_MODULE, '--json'], noPin, dir);
  assert.equal(listed.status, 0, listed.stderr);
  const tokens = listed.json!.tokens as { label: string; serial: string; loginRequired: boolean; objects: { kind: string; label: string; type: string; id: string }[] }[];
  assert.equal(tokens.length, 1);
  assert.equal(tokens[0]!.label, 'CertDesk Roots');
  assert.equal(tokens[0]!.serial, serial);
  assert.equal(tokens[0]!.loginRequired, true);
  assert.deepEqual(
    tokens[0]!.objects.map((o) => [o.kind, o.label, o.type]),
    [
      ['public-key', 'ec-root-key', 'ec-p384'],
      ['public-key', 'RSA Root', 'rsa-3072'],
    ],
  );
  const text = (await certdeskInFolder(['token', 'list', '--pkcs11-module', SOFTHSM_MODULE], noPin, dir)).stdout;
  assert.match(text, new RegExp(`^Token "CertDesk Roots"  serial ${serial}  SoftHSM project SoftHSM v2  \\(PIN needed to sign\\)\\n  public-key   ec-p384   id [0-9a-f]{32}  "ec-root-key"\\n  public-key   rsa-3072  id [0-9a-f]{32}  "RSA Root"\\n$`));

  // The key never leaves: export with the key is refused, before any password is asked.
  for (const ca of ['RSA Root', 'EC Root']) {
    const exp = await cd('ca', 'export', ca, '--format', 'pfx', '--out', 'root.pfx', '--json');
    assert.equal(exp.status, 1);
    assert.equal(exp.stderr, `certdesk: error: CA "${ca}" has its key on token "CertDesk Roots", which never lets it out: export its certificate (pem, der or p7b) instead\n`);
    assert.equal((exp.json as { code: string }).code, 'CA_KEY_NOT_EXPORTABLE');
  }
  assert.ok(!readdirSync(dir).includes('root.pfx'));
  // The certificate alone exports as usual.
  await ok('ca', 'export', 'EC Root', '--format', 'pem', '--out', 'ec-root-export.pem');

  // No PIN in any vault file (the database, its WAL and journal), as text or UTF-16.
  const vaultFiles = readdirSync(dir).filter((f) => f.startsWith('v.certdesk'));
  assert.ok(vaultFiles.length >= 1);
  for (const f of vaultFiles) {
    const bytes = readFileSync(join(dir, f));
    assert.equal(bytes.indexOf(Buffer.from(USER_PIN, 'utf8')), -1, `${f} holds the PIN`);
    assert.equal(bytes.indexOf(Buffer.from(USER_PIN, 'utf16le')), -1, `${f} holds the PIN (UTF-16)`);
  }
  // The audit log says where the keys are (module, token, key label), never the PIN.
  const audit = (await ok('audit', 'list', '--action', 'ca.create', '--json')).stdout;
  assert.ok(!audit.includes(USER_PIN));
  assert.match(audit, /"keyLabel":"ec-root-key"/);
  // A CSR signed by a token root directly (certificate signing that otherwise runs on a worker thread stays on
  // this one, where the token session is).
  run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'csr.key'), '-out', join(dir, 'd.csr'), '-subj', '/CN=csr.example.org', '-addext', 'subjectAltName=DNS:csr.example.org']);
  await ok('sign-csr', '--ca', 'RSA Root', '--profile', 'server', '--csr', 'd.csr', '--out', 'csr-signed.pem');
  const csrSigned = run('openssl', ['verify', '-CAfile', join(dir, 'rsa-root.pem'), join(dir, 'csr-signed.pem')]);
  assert.equal(csrSigned.status, 0, csrSigned.stdout + csrSigned.stderr);

  // Same-key renewal of a token root: the new certificate is signed on the token too, and still chains.
  await ok('ca', 'renew', 'EC Root');
  await ok('ca', 'cert', 'EC Root', '--out', 'ec-root-renewed.pem');
  const renewed = run('openssl', ['verify', '-CAfile', join(dir, 'ec-root-renewed.pem'), '-untrusted', join(dir, 'ec-sub.pem'), join(dir, 'ec-ee.pem')]);
  assert.equal(renewed.status, 0, renewed.stdout + renewed.stderr);
  assert.notEqual(readFileSync(join(dir, 'ec-root-renewed.pem'), 'utf8'), readFileSync(join(dir, 'ec-root.pem'), 'utf8'));
  assert.equal((await ok('vault', 'verify')).status, 0);
});
