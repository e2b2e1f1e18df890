// Issue 15, CA keys on PKCS#11 tokens: every failure is a clear error, exit status 1, and changes nothing (no
// certificate, no CRL number, no audit entry, no CA, no object on the token): a wrong PIN, no PIN, a missing
// module, a file that is not a module, a removed token, a locked PIN, a key label already taken.
// The commands run in this process (certdeskInFolder; the module is initialised anew per command, with the call's
// SOFTHSM2_CONF), but for the two with no PIN and no terminal to ask on, which stay processes (stdin is no TTY).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { certdesk, certdeskInFolder, initTestVault, type CliResult } from '../helpers/cli.js';
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
  // In this process no PIN is an empty one ('' counts as none, as the unset variable of a child's clean environment).
  const inFolder = (env: Record<string, string>, args: string[]) => certdeskInFolder(args, { CERTDESK_PKCS11_PIN: '', ...env }, dir);
  const ok = async (env: Record<string, string>, ...args: string[]) => {
    const r = await inFolder(env, args);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await initTestVault(base.CERTDESK_VAULT, PASSPHRASE);
  const onToken = ['--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'Officer Token'];
  // A root in the vault first: crl publish reaches it before the token root (and must not sign it when the token fails).
  await ok(withPin(undefined), 'ca', 'create', '--name', 'Plain', '--subject', 'CN=Plain Root', '--key', 'ec-p256');
  await ok(withPin(USER_PIN), 'ca', 'create', '--name', 'Root', '--subject', 'CN=Errors Root', '--key', 'ec-p256', ...onToken);
  await ok(withPin(USER_PIN), 'ca', 'create', '--name', 'Sub', '--subject', 'CN=Errors Sub', '--key', 'ec-p256', '--issuer', 'Root');

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

  const refused = (r: CliResult, args: string[], code: string, message: string) => {
    assert.equal(r.status, 1, `certdesk ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal((r.json as { code: string }).code, code, r.stderr);
    assert.equal(r.stderr, `certdesk: error: ${message}\n`);
    assert.ok(!r.stderr.includes('0000') && !r.stdout.includes('0000'), 'the wrong PIN is never repeated');
    assert.deepEqual(state(), before, `certdesk ${args.join(' ')} changed something`);
  };
  const fails = async (env: Record<string, string>, args: string[], code: string, message: string) => refused(await inFolder(env, [...args, '--json']), args, code, message);
  // Without a terminal (stdin no TTY) as a process of its own: the test runner's stdin is not the command's to judge.
  const failsWithoutTerminal = (env: Record<string, string>, args: string[], code: string, message: string) => refused(certdesk([...args, '--json'], env, dir), args, code, message);
  const place = `token "Officer Token" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE}`;

  // A wrong PIN: for a CRL, an intermediate and an end-entity certificate under the root; and for a new token CA.
  const wrongPin = `${place} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`;
  await fails(withPin('0000'), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_INCORRECT', wrongPin);
  // crl publish logs in to every token CA before it signs any CRL: Plain's CRL number stays too.
  await fails(withPin('0000'), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_INCORRECT', wrongPin);
  await fails(withPin('0000'), ['ca', 'create', '--name', 'Sub2', '--subject', 'CN=Sub2', '--key', 'ec-p256', '--issuer', 'Root'], 'TOKEN_PIN_INCORRECT', wrongPin);
  await fails(
    withPin('0000'),
    ['ca', 'create', '--name', 'Root2', '--subject', 'CN=Root2', '--key', 'ec-p256', ...onToken],
    'TOKEN_PIN_INCORRECT',
    `token "Officer Token" (CA "Root2") in PKCS#11 module ${SOFTHSM_MODULE} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`,
  );
  // The vault-held intermediate still signs without any PIN.
  assert.equal((await inFolder(withPin(undefined), ['crl', 'Sub', '--out', 'sub.crl'])).status, 0);
  const after = state();
  assert.equal(Number(after.audit), Number(before.audit) + 1); // crl.generate of Sub
  Object.assign(before, after);

  // No PIN and no terminal to ask on.
  failsWithoutTerminal(withPin(undefined), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "Officer Token": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN');
  failsWithoutTerminal(withPin(undefined), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "Officer Token": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN');

  // A label already taken on the token.
  await fails(
    withPin(USER_PIN),
    ['ca', 'create', '--name', 'Root3', '--subject', 'CN=Root3', '--key', 'ec-p256', ...onToken, '--pkcs11-key-label', 'Root'],
    'INVALID_INPUT',
    'pkcs11-key-label: token "Officer Token" already holds a private key labelled "Root"; choose another label',
  );

  // A missing module, and a file that is not one.
  await fails(withPin(USER_PIN), ['ca', 'create', '--name', 'Root4', '--subject', 'CN=Root4', '--pkcs11-module', '/nonexistent/libnope.so', '--pkcs11-token', 'Officer Token'], 'PKCS11_MODULE_FAILED', 'PKCS#11 module /nonexistent/libnope.so: no such file');
  const notLib = join(dir, 'not-a-module.so');
  writeFileSync(notLib, 'this is text, not a shared library\n');
  const badLib = await inFolder(withPin(undefined), ['token', 'list', '--pkcs11-module', notLib, '--json']);
  assert.equal(badLib.status, 1);
  assert.equal((badLib.json as { code: string }).code, 'PKCS11_MODULE_FAILED');
  assert.match(badLib.stderr, new RegExp(`^certdesk: error: PKCS#11 module ${notLib}: cannot be loaded as a PKCS#11 library \\(.+\\)\\n$`));

  // A token that is not there: the same module with a configuration whose token folder is empty (the token removed).
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(join(elsewhere, 'tokens'), { recursive: true });
  writeFileSync(join(elsewhere, 'softhsm2.conf'), `directories.tokendir = ${join(elsewhere, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const serial = /"serial":"([0-9a-f]+)"/.exec((await inFolder(withPin(undefined), ['token', 'list', '--pkcs11-module', SOFTHSM_MODULE, '--json'])).stdout)![1];
  await fails(
    withPin(USER_PIN, { SOFTHSM2_CONF: join(elsewhere, 'softhsm2.conf') }),
    ['crl', 'Root', '--out', 'r.crl'],
    'TOKEN_NOT_PRESENT',
    `token "Officer Token" (serial ${serial}) is not present in PKCS#11 module ${SOFTHSM_MODULE} (CA "Root"): insert it, or check the module and label`,
  );
  await fails(
    withPin(USER_PIN),
    ['ca', 'create', '--name', 'Root5', '--subject', 'CN=Root5', '--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'No Such Token'],
    'TOKEN_NOT_PRESENT',
    `token "No Such Token" is not present in PKCS#11 module ${SOFTHSM_MODULE} (CA "Root5"): insert it, or check the module and label`,
  );

  // A locked user PIN: refused before the PIN is tried, even the right one.
  hsm.lockUserPin('Officer Token');
  await fails(withPin(USER_PIN), ['crl', 'Root', '--out', 'r.crl'], 'TOKEN_PIN_LOCKED', `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`);
  await fails(
    withPin(USER_PIN),
    ['issue', '--ca', 'Root', '--profile', 'server', '--name', 'x.example.org', '--dns', 'x.example.org', '--out', 'x.pem'],
    'TOKEN_PIN_LOCKED',
    `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`,
  );
  await fails(withPin(USER_PIN), ['crl', 'publish', '--out', 'crls'], 'TOKEN_PIN_LOCKED', `the user PIN of ${place} is locked: the token's security officer must unlock or reset it; nothing was signed`);
  const listed = await inFolder(withPin(undefined), ['token', 'list', '--pkcs11-module', SOFTHSM_MODULE, '--json']);
  assert.equal((listed.json!.tokens as { pinLocked: boolean }[])[0]!.pinLocked, true);
  assert.equal((await inFolder(withPin(undefined), ['vault', 'verify'])).status, 0);
});
