// Issue 15, CA keys on PKCS#11 tokens: every failure is a clear error, exit status 1, and changes nothing (no
// certificate, no CRL number, no audit entry, no CA, no object on the token): a wrong PIN, no PIN, a missing
// module, a file that is not a module, a removed token, a locked PIN, a key label already taken.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { certdesk, initTestVault } from '../helpers/cli.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'pkcs11 errors vault passphrase';

test('wrong PIN, no PIN, missing module, removed token, locked PIN: clear errors, nothing changed', { timeout: 120_000 }, async (t) => {
  if (!needSoftHsm(t)) return;
  const dir = tempDir(t);
  const hsm = softHsm(dir);
  hsm.initToken('Officer Token');
  const base = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: PASSPHRASE, ...hsm.env };
  const withPin = (pin: string | undefined, extra: Record<string, string> = {}) => ({ ...base, ...(pin === undefined ? {} : { CERTDESK_PKCS11_PIN: pin }), ...extra });
  const ok = (env: Record<string, string>, ...args: string[]) => {
    const r = certdesk(args, env, dir);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await initTestVault(base.CERTDESK_VAULT, PASSPHRASE);
  const onToken = ['--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'Officer Token'];
  // A root in the vault first: crl publish reaches it before the token root (and must not sign it when the token fails).
  ok(withPin(undefined), 'ca', 'create', '--name', 'Plain', '--subject', 'CN=Plain Root', '--key', 'ec-p256');
  ok(withPin(USER_PIN), 'ca', 'create', '--name', 'Root', '--subject', 'CN=Errors Root', '--key', 'ec-p256', ...onToken);
  ok(withPin(USER_PIN), 'ca', 'create', '--name', 'Sub', '--subject', 'CN=Errors Sub', '--key', 'ec-p256', '--issuer', 'Root');

  // Read from the vault file itself (no CLI run per look: the test stays fast); the token through pkcs11-tool.
  const state = () => {
    const db = new Database(base.CERTDESK_VAULT, { readonly: true });
    try {
      const n = (sql: string) => (db.prepare(sql).get() as { n: number | string }).n;
      return {
        certs: n('SELECT count(*) AS n FROM certificates'),
        keys: n('SELECT count(*) AS n FROM keys'),
        audit: n('SELECT count(*) AS n FROM audit'),
        cas: n("SELECT group_concat(name, ',') AS n FROM (SELECT name FROM cas ORDER BY id)"),
        crl: n("SELECT group_concat(crl_number, ',') AS n FROM (SELECT crl_number FROM cas ORDER BY id)"),
        objects: hsm.tool(['--list-objects', '--login', '--pin', USER_PIN]).split('\n').filter((l) => /Object;/.test(l)).length,
      };
    } finally {
      db.close();
    }
  };
  const before = state();
  assert.equal(before.objects, 2); // Root's key pair
  assert.equal(before.cas, 'Plain,Root,Sub');
  mkdirSync(join(dir, 'crls'));

  const fails = (env: Record<string, string>, args: string[], code: string, message: string) => {
    const r = certdesk([...args, '--json'], env, dir);
    assert.equal(r.status, 1, `certdesk ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal((r.json as { code: string }).code, code, r.stderr);
    assert.equal(r.stderr, `certdesk: error: ${message}\n`);
    assert.ok(!r.stderr.includes('0000') && !r.stdout.includes('0000'), 'the wrong PIN is never repeated');
    assert.deepEqual(state(), before, `certdesk ${args.join(' ')} changed something`);
  };
  const place = `token "Officer Token" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE}`;

  // A wrong PIN: for a CRL, an intermediate and an end-entity certificate under the root; and for a new token CA.
  const wrongPin = `${place} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`;
  fails(withPin('0000'), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_INCORRECT', wrongPin);
  // crl publish logs in to every token CA before it signs any CRL: Plain's CRL number stays too.
  fails(withPin('0000'), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_INCORRECT', wrongPin);
  fails(withPin('0000'), ['ca', 'create', '--name', 'Sub2', '--subject', 'CN=Sub2', '--key', 'ec-p256', '--issuer', 'Root'], 'TOKEN_PIN_INCORRECT', wrongPin);
  fails(
    withPin('0000'),
    ['ca', 'create', '--name', 'Root2', '--subject', 'CN=Root2', '--key', 'ec-p256', ...onToken],
    'TOKEN_PIN_INCORRECT',
    `token "Officer Token" (CA "Root2") in PKCS#11 module ${SOFTHSM_MODULE} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`,
  );
  // The vault-held intermediate still signs without any PIN.
  assert.equal(certdesk(['crl', 'Sub', '--out', 'sub.crl'], withPin(undefined), dir).status, 0);
  const after = state();
  assert.equal(Number(after.audit), Number(before.audit) + 1); // crl.generate of Sub
  Object.assign(before, after);

  // No PIN and no terminal to ask on.
  fails(withPin(undefined), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "Officer Token": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN');
  fails(withPin(undefined), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "Officer Token": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN');

  // A label already taken on the token.
  fails(
    withPin(USER_PIN),
    ['ca', 'create', '--name', 'Root3', '--subject', 'CN=Root3', '--key', 'ec-p256', ...onToken, '--pkcs11-key-label', 'Root'],
    'INVALID_INPUT',
    'pkcs11-key-label: token "Officer Token" already holds a private key labelled "Root"; choose another label',
  );

  // A missing module, and a file that is not one.
  fails(withPin(USER_PIN), ['ca', 'create', '--name', 'Root4', '--subject', 'CN=Root4', '--pkcs11-module', '/nonexistent/libnope.so', '--pkcs11-token', 'Officer Token'], 'PKCS11_MODULE_FAILED', 'PKCS#11 module /nonexistent/libnope.so: no such file');
  const notLib = join(dir, 'not-a-module.so');
  writeFileSync(notLib, 'this is text, not a shared library\n');
  const badLib = certdesk(['token', 'list', '--pkcs11-module', notLib, '--json'], withPin(undefined), dir);
  assert.equal(badLib.status, 1);
  assert.equal((badLib.json as { code: string }).code, 'PKCS11_MODULE_FAILED');
  assert.match(badLib.stderr, new RegExp(`^certdesk: error: PKCS#11 module ${notLib}: cannot be loaded as a PKCS#11 library \\(.+\\)\\n$`));

  // A token that is not there: the same module with a configuration whose token folder is empty (the token removed).
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(join(elsewhere, 'tokens'), { recursive: true });
  writeFileSync(join(elsewhere, 'softhsm2.conf'), `directories.tokendir = ${join(elsewhere, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  fails(
    withPin(USER_PIN, { SOFTHSM2_CONF: join(elsewhere, 'softhsm2.conf') }),
    ['crl', 'Root', '--out', 'r.crl'],
    'TOKEN_NOT_PRESENT',
    `token "Officer Token" (serial ${/"serial":"([0-9a-f]+)"/.exec(certdesk(['token', 'list', '--pkcs11-module', SOFTHSM_MODULE, '--json'], hsm.env, dir).stdout)![1]}) is not present in PKCS#11 module ${SOFTHSM_MODULE} (CA "Root"): insert it, or check the module and label`,
  );
  fails(
    withPin(USER_PIN),
    ['ca', 'create', '--name', 'Root5', '--subject', 'CN=Root5', '--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'No Such Token'],
    'TOKEN_NOT_PRESENT',
    `token "No Such Token" is not present in PKCS#11 module ${SOFTHSM_MODULE} (CA "Root5"): insert it, or check the module and label`,
  );

  // A locked user PIN: refused before the PIN is tried, even the right one.
  hsm.lockUserPin('Officer Token');
  fails(withPin(USER_PIN), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_LOCKED', `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`);
  fails(
    withPin(USER_PIN),
    ['issue', '--ca', 'Root', '--profile', 'server', '--name', 'x.example.org', '--dns', 'x.example.org', '--out', 'x.pem'],
    'TOKEN_PIN_LOCKED',
    `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`,
  );
  fails(withPin(USER_PIN), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_LOCKED', `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`);
  const listed = certdesk(['token', 'list', '--pkcs11-module', SOFTHSM_MODULE, '--json'], hsm.env, dir);
  assert.equal((listed.json!.tokens as { pinLocked: boolean }[])[0]!.pinLocked, true);
  assert.equal(certdesk(['vault', 'verify'], withPin(undefined), dir).status, 0);
});
