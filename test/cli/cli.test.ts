// The certdesk CLI as scripts use it: exit codes, --json objects, secrets from the environment or files only.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { DEFAULT_KDF } from '../../electron/core/vault/vault-crypto.js';
import { certdesk, initTestVault } from '../helpers/cli.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'cli test passphrase';

function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'vault.certdesk'), CERTDESK_PASSPHRASE: PASS };
  const cd = (...args: string[]) => certdesk(args, env, dir);
  const ok = (...args: string[]) => {
    const r = cd(...args);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  };
  return { dir, env, cd, ok };
}

test('usage errors exit 2 and name the problem', (t) => {
  const { cd } = setup(t);
  const none = cd();
  assert.equal(none.status, 2);
  assert.match(none.stdout, /Usage:/);
  const unknown = cd('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badOpt = cd('ca', 'list', '--colour');
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /--colour/);
  // A passphrase is never taken from an argument value.
  const argPass = cd('init', '--passphrase', 'secret-in-history');
  assert.equal(argPass.status, 2);
  assert.doesNotMatch(argPass.stderr + argPass.stdout, /secret-in-history/);
  const missing = cd('issue', '--ca', 'X', '--json');
  assert.equal(missing.status, 2);
  assert.equal(missing.json?.ok, false);
  assert.match(missing.stderr, /--profile is required/);
  const badKey = cd('ca', 'create', '--name', 'R', '--subject', 'CN=R', '--key', 'rsa-1024');
  assert.equal(badKey.status, 1);
  assert.match(badKey.stderr, /rsa-1024/);
});

test('init makes a vault at the production scrypt cost that the next command opens; a second init is refused', (t) => {
  const { cd, ok } = setup(t);
  assert.equal(ok('init', '--json').json?.ok, true);
  const again = cd('init');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists/);
  // The next command unlocks it; the vault's creation is audited with the production cost, not the tests' cheap one.
  const created = ok('audit', 'list', '--action', 'vault.create', '--json').json!.entries as { details: { kdf: unknown } }[];
  assert.deepEqual(created.map((e) => e.details.kdf), [{ ...DEFAULT_KDF }]);
});

// Every command of the walk-through unlocks the vault: at the tests' scrypt cost (initTestVault), as the test above
// covers init and an unlock at the production one.
test('from an empty vault to an issued certificate, with --json for every step', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, env, cd, ok } = setup(t);
  await initTestVault(env.CERTDESK_VAULT, PASS);

  const root = ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Root,O=Example,C=DE', '--key', 'ec-p384', '--days', '3650', '--path-length', '1', '--json').json!;
  assert.equal((root.ca as { name: string }).name, 'Root');
  ok('ca', 'create', '--name', 'Users', '--issuer', 'Root', '--subject', 'CN=CLI Users CA,O=Example,C=DE', '--key', 'ec-p256', '--days', '1000', '--crl-url', 'http://pki.example.com/users.crl');
  const cas = ok('ca', 'list', '--json').json!.cas as { name: string; issuerCaId: number | null }[];
  assert.deepEqual(cas.map((c) => [c.name, c.issuerCaId]), [['Root', null], ['Users', 1]]);

  const issued = ok('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Zoë Müller', '--email', 'zoe@example.com', '--upn', 'zoe@corp.example', '--key', 'ec-p256', '--alias', 'zoe-laptop', '--out', 'zoe.pem', '--json').json!;
  for (const k of ['id', 'serial', 'sha256', 'notBefore', 'notAfter']) assert.ok(issued[k], `issue --json has ${k}`);
  const pem = readFileSync(join(dir, 'zoe.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  assert.equal(createHash('sha256').update(der).digest('hex'), issued.sha256);

  ok('ca', 'cert', 'Root', '--out', 'root.pem');
  ok('ca', 'cert', 'Users', '--chain', '--out', 'chain.pem');
  const v = runOk('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', '-purpose', 'sslclient', 'zoe.pem'], { cwd: dir });
  assert.match(v.stdout, /zoe\.pem: OK/);
  const text = runOk('openssl', ['x509', '-in', 'zoe.pem', '-noout', '-text'], { cwd: dir }).stdout;
  assert.match(text, /URI:http:\/\/pki\.example\.com\/users\.crl/);

  // CERT by id, hex serial with colons, SHA-256 thumbprint.
  const serial = String(issued.serial);
  const colon = serial.match(/../g)!.join(':').toUpperCase();
  for (const ref of [String(issued.id), colon, String(issued.sha256)]) {
    const shown = ok('show', ref, '--json').json!.certificate as { id: number; alias: string; status: string };
    assert.equal(shown.id, issued.id);
    assert.equal(shown.alias, 'zoe-laptop');
  }
  const listed = ok('list', '--search', 'Müller', '--json').json!.certificates as { id: number }[];
  assert.deepEqual(listed.map((c) => c.id), [issued.id]);
  assert.match(ok('list').stdout, /Zoë Müller\s+zoe-laptop\s+user\s+valid/);

  // Days past the issuing CA's end: cut to it, with preflight's rfc5280 warning (core/preflight-validity.test.ts has the exact text).
  const usersEnd = (ok('ca', 'list', '--json').json!.cas as { name: string; notAfter: string }[]).find((c) => c.name === 'Users')!.notAfter;
  const past = ok('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Too Long', '--email', 'x@example.com', '--days', '5000', '--out', 'too-long.pem', '--json').json!;
  assert.equal(past.notAfter, usersEnd);
  const cut = past.findings as { target: string; field: string; severity: string; message: string }[];
  assert.deepEqual(cut.map((f) => [f.target, f.field, f.severity]), [['rfc5280', 'days', 'warning']]);
  assert.ok(cut[0]!.message.startsWith(`the certificate would be cut to end ${usersEnd} with its issuer `), cut[0]!.message);

  const revoked = ok('revoke', String(issued.id), '--reason', 'keyCompromise', '--json').json!.certificate as { status: string; revocationReason: string };
  assert.deepEqual([revoked.status, revoked.revocationReason], ['revoked', 'keyCompromise']);
  const twice = cd('revoke', String(issued.id), '--json');
  assert.equal(twice.status, 1);
  assert.equal(twice.json?.code, 'ALREADY_REVOKED');
  assert.equal(cd('revoke', '1', '--reason', 'because').status, 1);

  const crl = ok('crl', 'Users', '--out', 'users.crl', '--json').json!.crl as { crlNumber: number; entries: number };
  assert.deepEqual([crl.crlNumber, crl.entries], [1, 1]);
  const revokedCheck = runOk('openssl', ['crl', '-in', 'users.crl', '-noout', '-text'], { cwd: dir }).stdout;
  assert.match(revokedCheck, new RegExp(`Serial Number: ${serial.toUpperCase()}`));

  assert.match(ok('audit', 'verify').stdout, /Audit chain intact: \d+ entries/);
  const actions = (ok('audit', 'list', '--json').json!.entries as { action: string }[]).map((e) => e.action);
  for (const a of ['vault.create', 'ca.create', 'cert.issue', 'cert.revoke', 'crl.generate']) assert.ok(actions.includes(a), `audit has ${a}`);
});

test('a wrong passphrase exits 1 with a clear message and changes nothing; --passphrase-file works', async (t) => {
  const { dir, env, ok } = setup(t);
  await initTestVault(env.CERTDESK_VAULT, PASS); // not about init or the KDF: the tests' cheap scrypt cost
  const before = createHash('sha256').update(readFileSync(env.CERTDESK_VAULT)).digest('hex');
  const wrong = certdesk(['ca', 'list', '--json'], { ...env, CERTDESK_PASSPHRASE: 'not the passphrase' }, dir);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /wrong passphrase/);
  assert.equal(wrong.json?.code, 'VAULT_WRONG_PASSPHRASE');
  assert.doesNotMatch(wrong.stderr + wrong.stdout, /not the passphrase/);
  writeFileSync(join(dir, 'pass.txt'), PASS + '\n', { mode: 0o600 });
  const viaFile = certdesk(['ca', 'list', '--passphrase-file', 'pass.txt'], { CERTDESK_VAULT: env.CERTDESK_VAULT }, dir);
  assert.equal(viaFile.status, 0, viaFile.stderr);
  // The failure was recorded in the audit chain at the next unlock; nothing else changed.
  const entries = ok('audit', 'list', '--json').json!.entries as { action: string; details: { count?: number } }[];
  assert.equal(entries.find((e) => e.action === 'vault.unlock-failed')?.details.count, 1);
  assert.notEqual(before, '');
  const noPass = certdesk(['ca', 'list'], { CERTDESK_VAULT: env.CERTDESK_VAULT }, dir);
  assert.equal(noPass.status, 2);
  assert.match(noPass.stderr, /CERTDESK_PASSPHRASE/);
});

test('a tampered audit log and a vault from a newer CertDesk are reported with exit 1', async (t) => {
  const { env, cd, ok } = setup(t);
  await initTestVault(env.CERTDESK_VAULT, PASS); // not about init or the KDF: the tests' cheap scrypt cost
  ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Tamper Root', '--key', 'ec-p256');
  const db = new Database(env.CERTDESK_VAULT);
  db.prepare(`UPDATE audit SET details = '{"name":"Evil"}' WHERE action = 'ca.create'`).run();
  db.close();
  const verify = cd('audit', 'verify', '--json');
  assert.equal(verify.status, 1);
  assert.equal(verify.json?.code, 'AUDIT_BROKEN');
  assert.match(verify.stderr, /audit chain broken at entry 2: its content was changed/);

  const db2 = new Database(env.CERTDESK_VAULT);
  db2.pragma('user_version = 42');
  db2.close();
  const hash = () => createHash('sha256').update(readFileSync(env.CERTDESK_VAULT)).digest('hex');
  const before = hash();
  const newer = cd('ca', 'list');
  assert.equal(newer.status, 1);
  assert.match(newer.stderr, new RegExp(`newer CertDesk \\(vault format 42; this version reads up to ${SCHEMA_VERSION}\\)`));
  assert.equal(hash(), before);
  const missing = certdesk(['ca', 'list'], { ...env, CERTDESK_VAULT: env.CERTDESK_VAULT + '.nope' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no vault at .*certdesk init/);
});

test('ca import from an openssl PFX and from PEM with an encrypted key; sign-csr', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, env, cd, ok } = setup(t);
  await initTestVault(env.CERTDESK_VAULT, PASS); // not about init or the KDF: the tests' cheap scrypt cost
  runOk('openssl', ['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '800', '-subj', '/C=FR/O=Exemple/CN=Racine OpenSSL',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
  writeFileSync(join(dir, 'pfx-pass.txt'), 'pfx pass wörd\n');
  runOk('openssl', ['pkcs12', '-export', '-inkey', 'ca.key', '-in', 'ca.pem', '-out', 'ca.pfx', '-passout', 'file:pfx-pass.txt'], { cwd: dir });
  const imported = ok('ca', 'import', '--name', 'FromPfx', '--pfx', 'ca.pfx', '--pfx-password-file', 'pfx-pass.txt', '--json').json!.ca as { subject: string; keyType: string };
  assert.deepEqual([imported.subject, imported.keyType], ['CN=Racine OpenSSL,O=Exemple,C=FR', 'rsa-3072']);
  writeFileSync(join(dir, 'wrong.txt'), 'nope\n');
  const wrong = cd('ca', 'import', '--name', 'Wrong', '--pfx', 'ca.pfx', '--pfx-password-file', 'wrong.txt');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /password/i);

  // The same CA again under another name is the same certificate: refused.
  const dup = cd('ca', 'import', '--name', 'Again', '--pfx', 'ca.pfx', '--pfx-password-file', 'pfx-pass.txt', '--json');
  assert.equal(dup.status, 1);
  assert.equal(dup.json?.code, 'DUPLICATE_SERIAL');

  runOk('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'ca2.key', '-out', 'ca2.pem', '-days', '800',
    '-subj', '/CN=Second OpenSSL CA', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0'], { cwd: dir });
  runOk('openssl', ['pkcs8', '-topk8', '-in', 'ca2.key', '-out', 'ca2-enc.key', '-v2', 'aes-256-cbc', '-passout', 'pass:key secret'], { cwd: dir });
  writeFileSync(join(dir, 'key-pass.txt'), 'key secret\n');
  const badKeyPass = cd('ca', 'import', '--name', 'FromPem', '--cert', 'ca2.pem', '--key', 'ca2-enc.key', '--key-password-file', 'wrong.txt', '--json');
  assert.equal(badKeyPass.json?.code, 'KEY_BAD_PASSWORD');
  const mismatch = cd('ca', 'import', '--name', 'FromPem', '--cert', 'ca2.pem', '--key', 'ca.key', '--json');
  assert.equal(mismatch.json?.code, 'KEY_MISMATCH');
  const pem = ok('ca', 'import', '--name', 'FromPem', '--cert', 'ca2.pem', '--key', 'ca2-enc.key', '--key-password-file', 'key-pass.txt', '--json').json!.ca as { pathLength: number; keyType: string };
  assert.deepEqual([pem.pathLength, pem.keyType], [0, 'ec-p384']);
  const intermediate = cd('ca', 'create', '--name', 'Below', '--issuer', 'FromPem', '--subject', 'CN=Below');
  assert.equal(intermediate.status, 1);
  assert.match(intermediate.stderr, /path length 0/);
  runOk('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'dev.key', '-out', 'dev.csr', '-subj', '/CN=printer-3',
    '-addext', 'subjectAltName=DNS:printer-3.example.com'], { cwd: dir });
  const signed = ok('sign-csr', '--ca', 'FromPfx', '--profile', 'device', '--csr', 'dev.csr', '--out', 'dev.pem', '--days', '30', '--json').json!;
  assert.ok(signed.sha256);
  const v = runOk('openssl', ['verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'dev.pem'], { cwd: dir });
  assert.match(v.stdout, /dev\.pem: OK/);
  // Flip one bit in the last byte of the DER: inside the signature value.
  const csrDer = Buffer.from(readFileSync(join(dir, 'dev.csr'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  csrDer[csrDer.length - 1]! ^= 0x01;
  writeFileSync(join(dir, 'bad.csr'), csrDer);
  const bad = cd('sign-csr', '--ca', 'FromPfx', '--profile', 'device', '--csr', 'bad.csr', '--out', 'bad.pem', '--json');
  assert.equal(bad.status, 1);
  assert.equal(bad.json?.code, 'CSR_BAD_SIGNATURE');
  assert.match(bad.stderr, /self-signature does not verify/);
  assert.equal(cd('show', 'ffffffffffffffff').status, 1);
});
