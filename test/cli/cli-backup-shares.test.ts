// Issue 15, backups restored "with K of N backup shares instead" of the vault passphrase, from the command line:
// certdesk backup --out FILE --shares N --threshold K --holders … --shares-out DIR, backup verify FILE --share …,
// restore FILE --vault NEW --share … --new-passphrase-file FILE; exit codes and exact messages, and every refusal
// leaves no vault file. The restored vault opens with the new passphrase, passes vault verify, issues and publishes.
// The commands run in this process (certdeskInFolder), but for the one that finds no terminal to ask the holders on.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskInFolder, inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run } from '../helpers/tools.js';
import { HOLDER_PASSPHRASES as HP } from '../helpers/holders.js';

const PASSPHRASE = 'backup shares cli passphrase';
const NEW_PASSPHRASE = 'restored vault hazel kettle 83';

function resum(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

test('backup --shares, backup verify --share, restore --share and its refusals, from the command line', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init, spawn } = inProcessSession(dir, PASSPHRASE);
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Shares Root', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/root.crl');
  const alice = (await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Alice Example', '--email', 'alice@example.com', '--key', 'ec-p256', '--json')).json!.id as number;
  await ok('revoke', String(alice), '--reason', 'keyCompromise');
  await ok('ca', 'cert', 'Root', '--out', 'root.pem');
  for (const h of Object.keys(HP)) writeFileSync(join(dir, `${h}.pass`), `${HP[h]}\n`);
  writeFileSync(join(dir, 'holders.txt'), `${HP.Alice}\n${HP.Bob}\n${HP.Carol}\n`);
  writeFileSync(join(dir, 'new.pass'), `${NEW_PASSPHRASE}\n`);
  mkdirSync(join(dir, 'shares'));

  // Usage errors: exit 2, nothing written.
  const mismatch = await cd('backup', '--out', 'b.certdesk-backup', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob', '--shares-out', 'shares', '--holder-passphrase-file', 'holders.txt');
  assert.equal(mismatch.status, 2);
  assert.equal(mismatch.stderr, 'certdesk: --holders names 2 holders, --shares says 3: name one holder per share\nRun "certdesk --help" for usage.\n');
  const noDir = await cd('backup', '--out', 'b.certdesk-backup', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--holder-passphrase-file', 'holders.txt');
  assert.equal(noDir.status, 2);
  assert.equal(noDir.stderr, 'certdesk: --shares-out is required\nRun "certdesk --help" for usage.\n');
  // No holder passphrase file and no terminal to ask on: a process of its own, whose stdin is no terminal.
  const noPass = spawn('backup', '--out', 'b.certdesk-backup', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--shares-out', 'shares');
  assert.equal(noPass.status, 2);
  assert.match(noPass.stderr, /^certdesk: holder passphrases: use --holder-passphrase-file FILE/);
  assert.deepEqual(readdirSync(join(dir, 'shares')), []);
  assert.equal(existsSync(join(dir, 'b.certdesk-backup')), false);

  const made = (await ok('backup', '--out', 'b.certdesk-backup', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--shares-out', 'shares', '--holder-passphrase-file', 'holders.txt')).stdout;
  const lines = made.split('\n');
  assert.match(lines[0]!, new RegExp(`^Backed up ${dir}/v\\.certdesk to ${dir}/b\\.certdesk-backup \\(\\d+ bytes\\): 1 CA, 1 certificate; verified \\S+Z$`));
  assert.match(lines[1]!, /^Backup shares: any 2 of 3 restore it without the vault passphrase \(split [0-9a-f]{32}\)\. Give each officer their own share file or sheet, then delete them here:$/);
  assert.deepEqual(lines.slice(2), [
    '  1. Alice: shares/b-backup-share-1-of-3-alice.certdesk-share',
    '     sheet: shares/b-backup-share-1-of-3-alice.html',
    '  2. Bob: shares/b-backup-share-2-of-3-bob.certdesk-share',
    '     sheet: shares/b-backup-share-2-of-3-bob.html',
    '  3. Carol: shares/b-backup-share-3-of-3-carol.certdesk-share',
    '     sheet: shares/b-backup-share-3-of-3-carol.html',
    '',
  ]);
  const A = 'shares/b-backup-share-1-of-3-alice.certdesk-share';
  const B = 'shares/b-backup-share-2-of-3-bob.certdesk-share';
  const C = 'shares/b-backup-share-3-of-3-carol.certdesk-share';
  const withShares = (...pairs: [string, string][]) => pairs.flatMap(([file, holder]) => ['--share', file, '--share-passphrase-file', `${holder}.pass`]);

  // backup verify: the passphrase opens its slot, the shares slot's structure is checked and said to be unopened.
  const byPass = (await ok('backup', 'verify', 'b.certdesk-backup')).stdout.split('\n');
  assert.deepEqual(byPass.slice(2), [
    '  key slot vault passphrase: opened, everything behind it verified',
    '  key slot backup shares (2 of 3: Alice, Bob, Carol): not opened (its structure checked; give K shares with --share FILE to open it)',
    '',
  ]);
  const noEnv = { CERTDESK_VAULT: env.CERTDESK_VAULT };
  const byShares = await certdeskInFolder(['backup', 'verify', 'b.certdesk-backup', ...withShares([A, 'Alice'], [C, 'Carol'])], noEnv, dir);
  assert.equal(byShares.status, 0, byShares.stderr);
  assert.match(byShares.stdout, /^ok: b\.certdesk-backup: backup format 1, taken \S+Z, vault format \d+\n {2}1 CA, 1 certificate; \d+ records and \d+ audit entries verified\n/);
  assert.deepEqual(byShares.stdout.split('\n').slice(2), [
    '  key slot vault passphrase: not opened (its structure checked; give the vault passphrase with --passphrase-file FILE or $CERTDESK_PASSPHRASE to open it)',
    '  key slot backup shares (2 of 3: Alice, Bob, Carol): opened with the shares of Alice, Carol, everything behind it verified',
    '',
  ]);
  const both = (await ok('backup', 'verify', 'b.certdesk-backup', ...withShares([B, 'Bob'], [C, 'Carol']))).stdout.split('\n');
  assert.deepEqual(both.slice(2, 4), ['  key slot vault passphrase: opened, everything behind it verified', '  key slot backup shares (2 of 3: Alice, Bob, Carol): opened with the shares of Bob, Carol, everything behind it verified']);

  // One byte changed: verify fails with shares as with the passphrase.
  const bytes = readFileSync(join(dir, 'b.certdesk-backup'));
  const changed = Buffer.from(bytes);
  changed[20 + bytes.readUInt32BE(16) + 77]! ^= 0x10;
  writeFileSync(join(dir, 'x.certdesk-backup'), changed);
  const tampered = await certdeskInFolder(['backup', 'verify', 'x.certdesk-backup', ...withShares([A, 'Alice'], [B, 'Bob'])], noEnv, dir);
  assert.equal(tampered.status, 1);
  assert.equal(tampered.stderr, 'certdesk: error: x.certdesk-backup is damaged or was altered: its SHA-256 checksum does not match its content; it cannot be verified or restored\n');
  writeFileSync(join(dir, 'y.certdesk-backup'), resum(changed));
  const forged = await certdeskInFolder(['backup', 'verify', 'y.certdesk-backup', ...withShares([A, 'Alice'], [B, 'Bob'])], noEnv, dir);
  assert.equal(forged.status, 1);
  assert.equal(forged.stderr, 'certdesk: error: y.certdesk-backup was altered: its MAC does not match (the header, the encrypted vault or the MAC itself was changed); it cannot be trusted or restored\n');

  // Refusals of restore with shares: exit 1, the exact reason, no vault file.
  const restore = (...args: string[]) => certdeskInFolder(['restore', 'b.certdesk-backup', '--vault', 'r.certdesk', '--new-passphrase-file', 'new.pass', ...args], noEnv, dir);
  const noVault = () => assert.deepEqual(readdirSync(dir).filter((n) => n.includes('r.certdesk')), [], 'no vault written');
  const few = await restore(...withShares([B, 'Bob']));
  assert.equal(few.status, 1);
  assert.equal(few.stderr, 'certdesk: error: b.certdesk-backup restores with 2 of its 3 backup shares (Alice, Bob, Carol): give 2 shares with --share FILE (1 given: Bob)\n');
  noVault();
  writeFileSync(join(dir, 'wrong.pass'), 'not carol at all 12345\n');
  const wrong = await restore('--share', A, '--share-passphrase-file', 'Alice.pass', '--share', C, '--share-passphrase-file', 'wrong.pass');
  assert.equal(wrong.status, 1);
  assert.equal(wrong.stderr, `certdesk: error: wrong passphrase for the share of "Carol" (${C}), or the file was altered: it does not open (the backup was not opened)\n`);
  noVault();
  // A share of a CA under two-officer control is no backup share.
  mkdirSync(join(dir, 'ca-shares'));
  await ok('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', 'ca-shares', '--holder-passphrase-file', 'holders.txt');
  const caShare = await restore(...withShares([A, 'Alice'], ['ca-shares/root-share-2-of-3-bob.certdesk-share', 'Bob']));
  assert.equal(caShare.status, 1);
  assert.equal(caShare.stderr, 'certdesk: error: share file ca-shares/root-share-2-of-3-bob.certdesk-share is a share of CA "Root"\'s key (two-officer control), not of a backup: it is not used\n');
  noVault();
  const text = readFileSync(join(dir, B), 'utf8');
  writeFileSync(join(dir, 'bad.certdesk-share'), text.replace(/\n(.)/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`));
  const bad = await restore(...withShares([A, 'Alice'], ['bad.certdesk-share', 'Bob']));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^certdesk: error: share file bad\.certdesk-share is damaged or was altered \(.+\): it is not used\n$/);
  noVault();
  const weak = await certdeskInFolder(['restore', 'b.certdesk-backup', '--vault', 'r.certdesk', ...withShares([A, 'Alice'], [B, 'Bob'])], { ...noEnv, CERTDESK_NEW_PASSPHRASE: 'short' }, dir);
  assert.equal(weak.status, 1);
  assert.equal(weak.stderr, 'certdesk: error: passphrase: at least 10 characters are required\n');
  noVault();
  const over = await certdeskInFolder(['restore', 'b.certdesk-backup', '--vault', 'v.certdesk', '--new-passphrase-file', 'new.pass', ...withShares([A, 'Alice'], [B, 'Bob'])], noEnv, dir);
  assert.equal(over.status, 1);
  assert.equal(over.stderr, `certdesk: error: a file already exists at ${dir}/v.certdesk: restore never writes over a vault or any other file; name a new vault file\n`);

  // K shares restore; the new vault opens with the new passphrase, verifies, issues and publishes CRLs.
  const restored = await restore(...withShares([C, 'Carol'], [A, 'Alice']));
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, new RegExp(`^Restored b\\.certdesk-backup \\(taken \\S+Z\\) with the backup shares of Alice, Carol into the new vault ${dir}/r\\.certdesk: 1 CA, 1 certificate; the new vault passphrase is set; vault verify: ok\\n$`));
  const newEnv = { CERTDESK_VAULT: join(dir, 'r.certdesk'), CERTDESK_PASSPHRASE: NEW_PASSPHRASE };
  const inNew = (...args: string[]) => certdeskInFolder(args, newEnv, dir);
  const oldPass = await certdeskInFolder(['vault', 'verify'], { ...newEnv, CERTDESK_PASSPHRASE: PASSPHRASE }, dir);
  assert.equal(oldPass.status, 1, 'the old passphrase does not open the restored vault');
  assert.equal((await inNew('vault', 'verify')).stdout, 'ok\n');
  const bob = await inNew('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Bob Example', '--email', 'bob@example.com', '--key', 'ec-p256', '--out', 'bob.pem');
  assert.equal(bob.status, 0, bob.stderr);
  mkdirSync(join(dir, 'crls'));
  const pub = await inNew('crl', 'publish', '--out', 'crls');
  assert.equal(pub.status, 0, pub.stderr);
  assert.equal((await inNew('vault', 'verify')).stdout, 'ok\n');
  const crlFile = readdirSync(join(dir, 'crls')).find((n) => n.endsWith('.crl') || n.endsWith('.pem'));
  assert.ok(crlFile, 'a CRL published');
  if (!needTools(t, 'openssl')) return;
  const crl = await inNew('crl', 'Root', '--out', 'root.crl');
  assert.equal(crl.status, 0, crl.stderr);
  const verified = run('openssl', ['verify', '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'root.crl', 'bob.pem'], { cwd: dir });
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(run('openssl', ['crl', '-in', 'root.crl', '-noout', '-text'], { cwd: dir }).stdout, /Key Compromise/, 'the revocation made before the backup is in the restored vault\'s CRL');
});
