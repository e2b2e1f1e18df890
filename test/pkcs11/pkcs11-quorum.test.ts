// Issue 15, two officers to use a root whose key is on a PKCS#11 token: the key cannot leave the token, so
// `quorum set` seals the token's PIN under the officers' shares (electron/core/quorum/token-pin.ts). Then K shares
// sign and nobody types the PIN; K-1 shares sign nothing; a wrong PIN is refused before any share is written;
// the PIN is in no file, audit record or output; after the PIN changes on the token, `quorum reissue` with
// the new one in $CERTDESK_PKCS11_PIN seals that instead. Through the CLI, against SoftHSM2, checked with openssl.
// The commands run in this process (certdeskInFolder; the module is initialised anew per command), but for quorum
// set with no PIN and no terminal to ask on, which stays a process (stdin is no TTY).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { certdesk, certdeskInFolder, initTestVault, type CliResult } from '../helpers/cli.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';
import { HOLDER_PASSPHRASES as HP } from '../helpers/holders.js';

const PASSPHRASE = 'pkcs11 quorum vault passphrase';
const NEW_PIN = '284610';

test('a token root under 2-of-3 control: its PIN is sealed under the shares; 2 shares sign with no PIN, 1 signs nothing; reissue takes a changed PIN', { timeout: 180_000 }, async (t) => {
  if (!needSoftHsm(t) || !needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const hsm = softHsm(dir);
  hsm.initToken('Quorum Token');
  const vaultFile = join(dir, 'v.certdesk');
  const base = { CERTDESK_VAULT: vaultFile, CERTDESK_PASSPHRASE: PASSPHRASE, ...hsm.env };
  // In this process no PIN is an empty one ('' counts as none, as the unset variable of a child's clean environment).
  const run = (env: Record<string, string>, ...args: string[]) => certdeskInFolder(args, { ...base, CERTDESK_PKCS11_PIN: '', ...env }, dir);
  const ok = async (env: Record<string, string>, ...args: string[]) => {
    const r = await run(env, ...args);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const refused = (r: CliResult, args: string[], code: string, stderr: string) => {
    assert.equal(r.status, 1, `certdesk ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal((r.json as { code: string }).code, code, r.stderr);
    assert.equal(r.stderr, `certdesk: error: ${stderr}\n`);
  };
  const fails = async (env: Record<string, string>, args: string[], code: string, stderr: string) => refused(await run(env, ...args, '--json'), args, code, stderr);
  // Without a terminal (stdin no TTY) as a process of its own: the test runner's stdin is not the command's to judge.
  const failsWithoutTerminal = (env: Record<string, string>, args: string[], code: string, stderr: string) => refused(certdesk([...args, '--json'], { ...base, ...env }, dir), args, code, stderr);
  await initTestVault(vaultFile, PASSPHRASE);
  await ok({ CERTDESK_PKCS11_PIN: USER_PIN }, 'ca', 'create', '--name', 'Root', '--subject', 'CN=Token Quorum Root', '--key', 'ec-p256', '--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', 'Quorum Token');
  await ok({}, 'ca', 'cert', 'Root', '--out', 'root.pem');
  for (const h of Object.keys(HP)) writeFileSync(join(dir, `${h}.pass`), `${HP[h]}\n`);
  writeFileSync(join(dir, 'holders.txt'), `${HP.Alice}\n${HP.Bob}\n${HP.Carol}\n`);
  mkdirSync(join(dir, 'shares'));
  const setArgs = (out: string) => ['quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', out, '--holder-passphrase-file', 'holders.txt'];
  const place = `token "Quorum Token" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE}`;

  // A wrong PIN, or none: refused before a share is written, and the CA stays as it was.
  await fails({ CERTDESK_PKCS11_PIN: '000000' }, setArgs('shares'), 'TOKEN_PIN_INCORRECT', `${place} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`);
  failsWithoutTerminal({}, setArgs('shares'), 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "Quorum Token": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN');
  assert.deepEqual(readdirSync(join(dir, 'shares')), []);
  assert.equal((await ok({}, 'quorum', 'show', 'Root')).stdout, 'CA "Root": not under quorum control (its key is sealed by the vault passphrase alone)\n');

  const set = (await ok({ CERTDESK_PKCS11_PIN: USER_PIN }, ...setArgs('shares'))).stdout;
  assert.match(set, /^Put CA "Root" under 2-of-3 control/);
  assert.ok(set.endsWith(`Its key stays on its token; the token's PIN is sealed under the shares, so signing asks for the shares, never the PIN. After changing the token's PIN, re-issue the shares with the new one in $CERTDESK_PKCS11_PIN.\n`), set);
  const A = 'shares/root-share-1-of-3-alice.certdesk-share';
  const B = 'shares/root-share-2-of-3-bob.certdesk-share';
  const C = 'shares/root-share-3-of-3-carol.certdesk-share';
  const withShares = (...pairs: [string, string][]) => pairs.flatMap(([file, holder]) => ['--share', file, '--share-passphrase-file', `${holder}.pass`]);
  const REQUIRED = 'CA "Root" is under 2-of-3 control: give 2 shares with --share FILE';

  // No shares: refused even with the PIN at hand (the PIN alone no longer signs through CertDesk); one share: refused.
  await fails({ CERTDESK_PKCS11_PIN: USER_PIN }, ['crl', 'Root', '--out', 'r.crl'], 'QUORUM_REQUIRED', REQUIRED);
  await fails({}, ['crl', 'Root', '--out', 'r.crl', ...withShares([A, 'Alice'])], 'QUORUM_REQUIRED', `${REQUIRED} (1 given: Alice)`);

  // Two shares and no PIN anywhere: the token signs a CRL and an intermediate that openssl verifies.
  await ok({}, 'crl', 'Root', '--out', 'r.crl', ...withShares([A, 'Alice'], [C, 'Carol']));
  runOk('openssl', ['crl', '-in', join(dir, 'r.crl'), '-CAfile', join(dir, 'root.pem'), '-noout']);
  await ok({}, 'ca', 'create', '--name', 'Sub', '--subject', 'CN=Token Quorum Sub', '--key', 'ec-p256', '--issuer', 'Root', ...withShares([B, 'Bob'], [C, 'Carol']));
  await ok({}, 'ca', 'cert', 'Sub', '--out', 'sub.pem');
  runOk('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'sub.pem')]);

  // The PIN is in no file CertDesk wrote, no audit record and no output.
  const db = new Database(vaultFile, { readonly: true });
  const audit = db.prepare('SELECT action, details FROM audit ORDER BY seq').all() as { action: string; details: string }[];
  db.close();
  const setRecord = audit.find((a) => a.action === 'ca.quorum-set')!;
  assert.equal((JSON.parse(setRecord.details) as { tokenPinSealed?: boolean }).tokenPinSealed, true);
  assert.ok(audit.some((a) => a.action === 'ca.quorum-use' && a.details.includes('"Alice"') && a.details.includes('"Carol"')));
  const written = [vaultFile, ...readdirSync(join(dir, 'shares')).map((f) => join(dir, 'shares', f))];
  for (const f of written) assert.ok(!readFileSync(f).includes(USER_PIN), `${f} holds the PIN`);
  assert.ok(!JSON.stringify(audit).includes(USER_PIN) && !set.includes(USER_PIN));

  // The officers change the token's PIN: the sealed one no longer logs in, and says so; nothing is signed.
  hsm.tool(['--login', '--pin', USER_PIN, '--change-pin', '--new-pin', NEW_PIN]);
  await fails({}, ['crl', 'Root', '--out', 'r2.crl', ...withShares([A, 'Alice'], [B, 'Bob'])], 'TOKEN_PIN_INCORRECT', `${place} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`);
  // Two of them re-issue the shares with the new PIN; the new shares sign, the old ones are refused.
  mkdirSync(join(dir, 'shares2'));
  writeFileSync(join(dir, 'holders2.txt'), `${HP.Alice}\n${HP.Bob}\n`);
  await ok({ CERTDESK_PKCS11_PIN: NEW_PIN }, 'quorum', 'reissue', 'Root', ...withShares([A, 'Alice'], [B, 'Bob']), '--shares', '2', '--threshold', '2', '--holders', 'Alice,Bob', '--out', 'shares2', '--holder-passphrase-file', 'holders2.txt');
  const A2 = 'shares2/root-share-1-of-2-alice.certdesk-share';
  const B2 = 'shares2/root-share-2-of-2-bob.certdesk-share';
  await ok({}, 'crl', 'Root', '--out', 'r3.crl', ...withShares([A2, 'Alice'], [B2, 'Bob']));
  runOk('openssl', ['crl', '-in', join(dir, 'r3.crl'), '-CAfile', join(dir, 'root.pem'), '-noout']);
  const old = await run({}, 'crl', 'Root', '--out', 'r4.crl', ...withShares([A, 'Alice'], [B, 'Bob']));
  assert.equal(old.status, 1);
  assert.match(old.stderr, /is from another split of CA "Root": its shares were re-issued since, and it no longer works/);
});
