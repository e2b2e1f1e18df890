// Issue 15, backups that restore, from the command line: certdesk backup --out FILE, backup verify FILE,
// backup status and restore FILE --vault NEW, with their exit codes and exact messages; the restored vault
// passes vault verify and issues and publishes a CRL that openssl accepts with the original CA certificate.
// The commands run in this process (inProcessSession): the file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskInFolder, inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run } from '../helpers/tools.js';

const PASSPHRASE = 'backup cli passphrase';

function resum(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

test('backup, backup verify, tampering, a wrong passphrase, restore and its refusals, from the command line', async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init } = inProcessSession(dir, PASSPHRASE);
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Backup Root', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/root.crl');
  const alice = (await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Alice Example', '--email', 'alice@example.com', '--key', 'ec-p256', '--json')).json!.id as number;
  await ok('revoke', String(alice), '--reason', 'keyCompromise');
  await ok('ca', 'cert', 'Root', '--out', 'root.pem');

  const made = await ok('backup', '--out', 'b.certdesk-backup');
  const file = join(dir, 'b.certdesk-backup');
  assert.match(made.stdout, new RegExp(`^Backed up ${dir}/v\\.certdesk to ${file} \\(\\d+ bytes\\): 1 CA, 1 certificate; verified \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\n$`));
  const bytes = readFileSync(file);
  assert.equal(bytes.indexOf('SQLite format 3'), -1, 'no plaintext SQLite in the backup');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('backup')), ['b.certdesk-backup'], 'no temporary file left');

  const again = await cd('backup', '--out', 'b.certdesk-backup');
  assert.equal(again.status, 1);
  assert.equal(again.stderr, `certdesk: error: cannot write the backup ${file}: a file of that name already exists (a backup never replaces a file; choose a new name)\n`);
  assert.deepEqual(readFileSync(file), bytes);

  const verified = await ok('backup', 'verify', 'b.certdesk-backup');
  const lines = verified.stdout.split('\n');
  assert.match(lines[0]!, /^ok: b\.certdesk-backup: backup format 1, taken \S+Z, vault format \d+$/);
  assert.match(lines[1]!, /^ {2}1 CA, 1 certificate; \d+ records and \d+ audit entries verified$/);
  const json = (await ok('backup', 'verify', 'b.certdesk-backup', '--json')).json!;
  const backup = json.backup as { manifest: { counts: unknown }; keyWraps: string[]; verification: { ok: boolean } };
  assert.deepEqual(backup.manifest.counts, { cas: 1, certificates: 1 });
  assert.deepEqual(backup.keyWraps, ['passphrase']);
  assert.equal(backup.verification.ok, true);

  // One byte changed: in the header, in the ciphertext, in the MAC.
  const headerEnd = 20 + bytes.readUInt32BE(16);
  const places: [string, number][] = [
    ['header', headerEnd - 2],
    ['ciphertext', headerEnd + 100],
    ['mac', bytes.length - 40],
  ];
  for (const [name, offset] of places) {
    const changed = Buffer.from(bytes);
    changed[offset]! ^= 0x04;
    writeFileSync(join(dir, `${name}.certdesk-backup`), changed);
    const r = await cd('backup', 'verify', `${name}.certdesk-backup`);
    assert.equal(r.status, 1, name);
    assert.equal(r.stderr, `certdesk: error: ${name}.certdesk-backup is damaged or was altered: its SHA-256 checksum does not match its content; it cannot be verified or restored\n`, name);
    assert.equal(r.stdout, '');
    writeFileSync(join(dir, `${name}-resummed.certdesk-backup`), resum(changed));
    const forged = await cd('backup', 'verify', `${name}-resummed.certdesk-backup`);
    assert.equal(forged.status, 1, name);
    // The header's last bytes are its closing braces: changed, it no longer parses; elsewhere the MAC catches it.
    assert.equal(
      forged.stderr,
      name === 'header'
        ? `certdesk: error: header-resummed.certdesk-backup is damaged or was altered: its header is not readable JSON; it cannot be verified or restored\n`
        : `certdesk: error: ${name}-resummed.certdesk-backup was altered: its MAC does not match (the header, the encrypted vault or the MAC itself was changed); it cannot be trusted or restored\n`,
      name,
    );
    const restoreTampered = await cd('restore', `${name}.certdesk-backup`, '--vault', `${name}.certdesk`);
    assert.equal(restoreTampered.status, 1);
    assert.equal(readdirSync(dir).some((n) => n.includes(`${name}.certdesk`) && !n.endsWith('-backup')), false, 'nothing restored');
  }

  const wrong = await certdeskInFolder(['backup', 'verify', 'b.certdesk-backup', '--json'], { ...env, CERTDESK_PASSPHRASE: 'not the passphrase' }, dir);
  assert.equal(wrong.status, 1);
  assert.equal(wrong.stderr, "certdesk: error: wrong passphrase for b.certdesk-backup: its key does not open with it (if the passphrase is right, the backup's key section was altered)\n");
  assert.equal(wrong.json!.code, 'VAULT_WRONG_PASSPHRASE');
  const foreign = await cd('backup', 'verify', 'root.pem');
  assert.equal(foreign.status, 1);
  assert.equal(foreign.stderr, 'certdesk: error: root.pem is not a CertDesk backup (it does not start with the CertDesk backup marker)\n');
  const header = Buffer.from(JSON.stringify({ format: 'certdesk-backup', version: 7 }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(header.length);
  writeFileSync(join(dir, 'future.certdesk-backup'), resum(Buffer.concat([bytes.subarray(0, 16), len, header, Buffer.alloc(96)])));
  const future = await cd('backup', 'verify', 'future.certdesk-backup');
  assert.equal(future.status, 1);
  assert.equal(future.stderr, 'certdesk: error: future.certdesk-backup was written by a newer CertDesk (backup format 7; this version reads up to 1). Update CertDesk to verify or restore it.\n');

  // Restore: never over the existing vault, and into a new file a vault that verifies, issues and publishes.
  const over = await cd('restore', 'b.certdesk-backup', '--vault', 'v.certdesk');
  assert.equal(over.status, 1);
  assert.equal(over.stderr, `certdesk: error: a file already exists at ${dir}/v.certdesk: restore never writes over a vault or any other file; name a new vault file\n`);
  const restored = await ok('restore', 'b.certdesk-backup', '--vault', 'restored.certdesk');
  assert.match(restored.stdout, new RegExp(`^Restored b\\.certdesk-backup \\(taken \\S+Z\\) into the new vault ${dir}/restored\\.certdesk: 1 CA, 1 certificate; vault verify: ok\\n$`));
  assert.equal((await ok('--vault', 'restored.certdesk', 'vault', 'verify')).stdout, 'ok\n');
  await ok('--vault', 'restored.certdesk', 'issue', '--ca', 'Root', '--profile', 'user', '--name', 'Bob Example', '--email', 'bob@example.com', '--key', 'ec-p256', '--out', 'bob.pem');
  await ok('--vault', 'restored.certdesk', 'crl', 'Root', '--out', 'root.crl');
  if (!needTools(t, 'openssl')) return;
  const bob = run('openssl', ['verify', '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'root.crl', 'bob.pem'], { cwd: dir });
  assert.equal(bob.status, 0, bob.stderr);
  assert.equal(bob.stdout, 'bob.pem: OK\n');
  const crlText = run('openssl', ['crl', '-in', 'root.crl', '-noout', '-text'], { cwd: dir }).stdout;
  assert.match(crlText, /Key Compromise/, 'the revocation made before the backup is in the restored vault\'s CRL');
});

test('backup status: none yet and due; after a backup not due; --remind-days sets the interval', async (t) => {
  const dir = tempDir(t);
  const { ok, init } = inProcessSession(dir, PASSPHRASE);
  await init();
  assert.equal((await ok('backup', 'status')).stdout, 'Last verified backup: none\nLast issued certificate: none\nReminder: after 7 days; due: no verified backup of this vault yet\n');
  await ok('backup', '--out', 'b.certdesk-backup');
  const after = (await ok('backup', 'status', '--remind-days', '3')).stdout.split('\n');
  assert.match(after[0]!, new RegExp(`^Last verified backup: \\S+Z \\(${dir}/b\\.certdesk-backup\\)$`));
  assert.equal(after[2], 'Reminder: after 3 days; not due');
  const json = (await ok('backup', 'status', '--json')).json!.status as { reminderDays: number; reminderDue: boolean };
  assert.deepEqual([json.reminderDays, json.reminderDue], [3, false]);
});
