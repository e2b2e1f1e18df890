// The CA's own lifecycle from the command line (issue 14): ca show, ca export in every format (each file read
// by openssl), ca renew (same key: what was signed before verifies against the new certificate; new key: the
// old CA retired), ca revoke (the parent's published CRL lists the intermediate; it issues, batches and signs
// CSRs no more), ca set, and the errors with their exit codes.
// The commands run in this process (inProcessSession), but for the one about a missing terminal.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PFX_PASSWORD = 'Ca-Export-Password-77';

test('ca show, export (pem, der, p7b, pfx), renew, revoke and set from the command line, checked with openssl', { timeout: 180_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { cd, ok, init, spawn } = inProcessSession(dir, 'ca lifecycle cli passphrase');
  await init();
  const ssl = (...args: string[]) => runOk('openssl', args, { cwd: dir }).stdout;
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Lifecycle Root,O=Example', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/root.crl');
  await ok('ca', 'create', '--name', 'Issuing', '--subject', 'CN=CLI Lifecycle Issuing,O=Example', '--key', 'ec-p256', '--issuer', 'Root', '--crl-url', 'http://pki.example.com/issuing.crl');
  await ok('ca', 'create', '--name', 'Other', '--subject', 'CN=CLI Lifecycle Other,O=Example', '--key', 'ec-p256', '--issuer', 'Root');
  await ok('issue', '--ca', 'Issuing', '--profile', 'server', '--name', 'www.example.org', '--dns', 'www.example.org', '--key', 'ec-p256', '--out', 'leaf.pem');

  // ca show: text and JSON.
  const shown = (await ok('ca', 'show', 'Issuing', '--json')).json!.details as { basicConstraints: unknown; issuerCaName: string; crlDistributionPoints: string[]; keyUsage: string[]; state: string; ca: { serial: string } };
  assert.deepEqual(shown.basicConstraints, { ca: true, pathLength: 0, critical: true });
  assert.deepEqual([shown.issuerCaName, shown.state, shown.crlDistributionPoints, shown.keyUsage], ['Root', 'active', ['http://pki.example.com/root.crl'], ['digitalSignature', 'keyCertSign', 'cRLSign']]);
  const text = (await ok('ca', 'show', 'Root')).stdout;
  assert.match(text, /^Basic constraints +CA:TRUE, pathlen:unlimited \(critical\)$/m);
  assert.match(text, /^Issuer +CN=CLI Lifecycle Root,O=Example \(self-signed root\)$/m);
  assert.match(text, /^Extensions:\n/m);
  // One extension per indented block, its lines on lines of their own (before: "\x0a" escapes on one line).
  assert.match(text, /^ {2}Basic Constraints \(critical\)\n {4}\S/m);
  assert.doesNotMatch(text, /\\x0a/);

  // ca export: each file read by openssl.
  await ok('ca', 'export', 'Issuing', '--format', 'der', '--out', 'issuing.cer');
  // Serials compared as numbers: openssl prints whole bytes ("036b…"), the vault's serial has no leading zero nibble.
  assert.equal(BigInt(`0x${ssl('x509', '-inform', 'DER', '-in', 'issuing.cer', '-noout', '-serial').trim().replace('serial=', '')}`), BigInt(`0x${shown.ca.serial}`));
  await ok('ca', 'export', 'Issuing', '--format', 'pem', '--out', 'issuing-before.pem');
  assert.match(ssl('x509', '-in', 'issuing-before.pem', '-noout', '-subject'), /CN ?= ?CLI Lifecycle Issuing/);
  await ok('ca', 'export', 'Issuing', '--format', 'p7b', '--out', 'chain.p7b');
  const printed = ssl('pkcs7', '-inform', 'DER', '-in', 'chain.p7b', '-print_certs', '-noout');
  assert.deepEqual([...printed.matchAll(/subject=.*CN ?= ?(CLI Lifecycle \w+)/g)].map((m) => m[1]), ['CLI Lifecycle Issuing', 'CLI Lifecycle Root']);
  writeFileSync(join(dir, 'pfx-password.txt'), `${PFX_PASSWORD}\n`);
  const pfx = await ok('ca', 'export', 'Issuing', '--format', 'pfx', '--out', 'issuing.pfx', '--password-file', 'pfx-password.txt');
  assert.match(pfx.stderr, /^Warning: The private key of CA "Issuing" leaves the vault: whoever has the PFX file and its password can sign certificates/m);
  const info = run('openssl', ['pkcs12', '-info', '-in', 'issuing.pfx', '-passin', 'file:pfx-password.txt', '-noout'], { cwd: dir });
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stderr, /^MAC: sha256, Iteration 10000/m);
  assert.match(info.stderr, /^Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/m);
  ssl('pkcs12', '-in', 'issuing.pfx', '-passin', 'file:pfx-password.txt', '-nokeys', '-clcerts', '-out', 'pfx-cert.pem');
  ssl('pkcs12', '-in', 'issuing.pfx', '-passin', 'file:pfx-password.txt', '-nocerts', '-nodes', '-out', 'pfx-key.pem');
  assert.equal(ssl('pkey', '-in', 'pfx-key.pem', '-pubout'), ssl('x509', '-in', 'pfx-cert.pem', '-noout', '-pubkey'), 'the key in the PFX belongs to the CA certificate');
  const audit = await ok('audit', 'list', '--action', 'ca.export', '--json');
  assert.deepEqual((audit.json!.entries as { action: string }[]).map((e) => e.action), ['ca.export-key', 'ca.export', 'ca.export', 'ca.export']);
  assert.ok(!audit.stdout.includes(PFX_PASSWORD), 'the password is not in the audit log');
  // A file with the CA's key is never written over (before: rc 0 and the file replaced).
  const pfxBytes = readFileSync(join(dir, 'issuing.pfx'));
  const again = await cd('ca', 'export', 'Issuing', '--format', 'pfx', '--out', 'issuing.pfx', '--password-file', 'pfx-password.txt');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^certdesk: error: issuing\.pfx exists: an export of CA "Issuing" with its private key never replaces a file; choose another name or remove it first\n$/m);
  assert.deepEqual(readFileSync(join(dir, 'issuing.pfx')), pfxBytes);
  // No terminal to ask on is a question about the process: this one runs in a process of its own.
  const noPassword = spawn('ca', 'export', 'Issuing', '--format', 'pfx', '--out', 'x.pfx');
  assert.equal(noPassword.status, 2, 'no password file, no $CERTDESK_PFX_PASSWORD, no terminal: a usage error');
  assert.match(noPassword.stderr, /PFX password: set \$CERTDESK_PFX_PASSWORD, use --passphrase-file FILE, or run on a terminal/);
  assert.equal((await cd('ca', 'export', 'Issuing', '--format', 'jks', '--out', 'x')).status, 2);
  assert.equal((await cd('ca', 'export', 'Issuing', '--format', 'pem', '--out', 'x.pem', '--password-file', 'pfx-password.txt')).status, 2);

  // Same-key renewals: the leaf issued before verifies against the renewed root and intermediate.
  await ok('ca', 'renew', 'Root', '--days', '5000');
  const renewed = (await ok('ca', 'renew', 'Issuing', '--json')).json!;
  assert.equal((renewed.ca as { name: string }).name, 'Issuing');
  await ok('ca', 'export', 'Root', '--format', 'pem', '--out', 'root-new.pem');
  await ok('ca', 'export', 'Issuing', '--format', 'pem', '--out', 'issuing-new.pem');
  assert.notEqual(readFileSync(join(dir, 'issuing-new.pem'), 'utf8'), readFileSync(join(dir, 'issuing-before.pem'), 'utf8'));
  assert.match(ssl('verify', '-CAfile', 'root-new.pem', '-untrusted', 'issuing-new.pem', 'leaf.pem'), /leaf\.pem: OK/);
  assert.match(ssl('verify', '-CAfile', 'root-new.pem', '-untrusted', 'issuing-before.pem', 'leaf.pem'), /leaf\.pem: OK/, 'the intermediate signed before the root renewal still chains');

  // New key: a CRL URL of its own is required; the old CA is retired and issues nothing more.
  const noUrl = await cd('ca', 'renew', 'Issuing', '--new-key');
  assert.equal(noUrl.status, 1);
  assert.match(noUrl.stderr, /crl-url: CA "Issuing" keeps publishing its CRL at http:\/\/pki\.example\.com\/issuing\.crl/);
  const next = (await ok('ca', 'renew', 'Issuing', '--new-key', '--name', 'Issuing 2', '--crl-url', 'http://pki.example.com/issuing-2.crl')).stdout;
  assert.match(next, /^Renewed with a new key: CA "Issuing 2" \(id 4, serial [0-9a-f]+, valid until [0-9T:.-]+Z\) now issues\. CA "Issuing" is retired: it issues nothing more and still signs CRLs for what it issued\.$/m);
  assert.match((await ok('ca', 'list')).stdout, /^2 +Issuing +retired +ec-p256 /m);
  const retired = await cd('issue', '--ca', 'Issuing', '--profile', 'server', '--name', 'b.example.org', '--dns', 'b.example.org', '--key', 'ec-p256', '--out', 'b.pem');
  assert.equal(retired.status, 1);
  assert.match(retired.stderr, /CA "Issuing" is retired \(CA "Issuing 2" took over with a new key\)/);
  await ok('issue', '--ca', 'Issuing 2', '--profile', 'server', '--name', 'c.example.org', '--dns', 'c.example.org', '--key', 'ec-p256', '--out', 'c.pem');

  // Revoking: a root cannot be; an intermediate goes on its parent's CRL and issues nothing more.
  const root = await cd('ca', 'revoke', 'Root');
  assert.equal(root.status, 1);
  assert.match(root.stderr, /CA "Root" is a root \(self-signed\): no CA above it publishes a CRL/);
  const badReason = await cd('ca', 'revoke', 'Other', '--reason', 'keyCompromise');
  assert.equal(badReason.status, 1);
  assert.match(badReason.stderr, /reason: "keyCompromise" does not fit a CA certificate \(for a CA's key, the reason is caCompromise\)/);
  const otherSerial = ((await ok('ca', 'show', 'Other', '--json')).json!.details as { ca: { serial: string } }).ca.serial;
  await ok('ca', 'revoke', 'Other', '--reason', 'caCompromise');
  const refused = [
    await cd('issue', '--ca', 'Other', '--profile', 'server', '--name', 'd.example.org', '--dns', 'd.example.org', '--key', 'ec-p256', '--out', 'd.pem', '--json'),
    await (async () => {
      runOk('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'csr.key', '-subj', '/CN=e.example.org', '-addext', 'subjectAltName=DNS:e.example.org', '-out', 'e.csr'], { cwd: dir });
      return await cd('sign-csr', '--ca', 'Other', '--profile', 'server', '--csr', 'e.csr', '--out', 'e.pem', '--json');
    })(),
    await (async () => {
      writeFileSync(join(dir, 'staff.csv'), 'Name,Email\nFrieda,frieda@example.org\n');
      mkdirSync(join(dir, 'stick'));
      return await cd('issue-batch', '--ca', 'Other', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json');
    })(),
  ];
  for (const r of refused) {
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.json!.code, 'ISSUER_NOT_VALID');
    assert.match(r.json!.message as string, /^CA "Other" is revoked \(caCompromise, on [^)]+\): it cannot sign a certificate$/);
  }
  mkdirSync(join(dir, 'crls'));
  await ok('crl', 'publish', '--out', 'crls');
  const crlText = ssl('crl', '-inform', 'DER', '-in', join('crls', 'root.crl'), '-noout', '-text');
  assert.match(crlText, new RegExp(`Serial Number: 0*${otherSerial.replace(/^0+/, '').toUpperCase()}\\n\\s+Revocation Date: .*\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+CA Compromise`));

  // ca set: the CRL URL and interval; bad values are errors.
  const set = (await ok('ca', 'set', 'Issuing 2', '--crl-url', 'http://crl.example.net/i2.crl', '--crl-days', '7', '--json')).json!.ca as { crlUrl: string; crlDays: number };
  assert.deepEqual([set.crlUrl, set.crlDays], ['http://crl.example.net/i2.crl', 7]);
  const badUrl = await cd('ca', 'set', 'Issuing 2', '--crl-url', 'ftp://x/y.crl');
  assert.equal(badUrl.status, 1);
  assert.match(badUrl.stderr, /crl-url: use an http:\/\/ \(or ldap:\/\/\) URL; clients do not fetch CRLs over ftp:/);
  assert.equal((await cd('ca', 'set', 'Issuing 2')).status, 2);
  assert.equal((await cd('ca', 'set', 'Issuing 2', '--crl-days', 'seven')).status, 2);
  assert.deepEqual(((await ok('audit', 'list', '--action', 'ca.update', '--json')).json!.entries as { details: { crlDays: unknown } }[])[0]!.details.crlDays, { from: 30, to: 7 });

  // An unknown CA: exit 1 and CA_NOT_FOUND for every command.
  for (const args of [['show', 'Nope'], ['export', 'Nope', '--format', 'pem', '--out', 'n.pem'], ['renew', 'Nope'], ['revoke', 'Nope'], ['set', 'Nope', '--crl-days', '3']]) {
    const r = await cd('ca', ...args, '--json');
    assert.equal(r.status, 1, `ca ${args.join(' ')}`);
    assert.equal(r.json!.code, 'CA_NOT_FOUND');
    assert.match(r.json!.message as string, /^no CA "Nope" \(the vault has: Root, Issuing, Other, Issuing 2\)$/);
  }
  assert.match((await ok('audit', 'verify')).stdout, /Audit chain intact/);
});

test('ca create without --key makes the default rsa-3072 CA the help text names', async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, 'ca default key passphrase');
  await init();
  const ca = (await ok('ca', 'create', '--name', 'Plain', '--subject', 'CN=Plain Root', '--json')).json!.ca as { keyType: string };
  assert.equal(ca.keyType, 'rsa-3072');
  assert.match((await cd('--help')).stdout, /ca create without --key makes an rsa-3072 key \(RSA-3072: accepted by old devices and appliances\)\./);
});
