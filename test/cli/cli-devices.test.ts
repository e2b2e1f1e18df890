// --devices on issue, renew and issue-batch (issue 14, delivery chosen by the device): the PFX form follows from
// the devices, renew without --devices or --pfx makes the form of the last delivery, and the usage names the option.
// The commands run in this process (inProcessSession): the file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The PFX form a bundle folder's manifest records. */
const formOf = (folder: string): string => (JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { pfxEncryption: string }).pfxEncryption;

test('issue --devices apple-old gives legacy; renew without --devices keeps it; --devices windows gives modern; issue-batch --devices', async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, 'cli devices passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Devices Root,O=Example,C=NO', '--key', 'ec-p256');
  const stick = join(dir, 'stick');
  mkdirSync(stick);

  const issued = (await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Ola Phone', '--email', 'ola@example.no', '--key', 'ec-p256', '--out', stick, '--devices', 'apple-old', '--json')).json!;
  const bundle = issued.bundle as { folder: string; encryption: string };
  assert.equal(bundle.encryption, 'legacy');
  assert.equal(formOf(bundle.folder), 'legacy');
  const id = String((issued.certificate as { id: number }).id);

  // Renew naming neither: the last delivery's form (the user profile's default would be modern).
  const renewed = (await ok('renew', id, '--out', stick, '--passwords', join(dir, 'renew-pw.csv'), '--json')).json!;
  const successor = (renewed.renewed as { id: number; bundle: string }[])[0]!;
  assert.equal(formOf(successor.bundle), 'legacy');
  // Naming a current Windows: the AES form.
  const again = (await ok('renew', String(successor.id), '--out', stick, '--passwords', join(dir, 'renew-pw.csv'), '--devices', 'windows', '--json')).json!;
  assert.equal(formOf((again.renewed as { bundle: string }[])[0]!.bundle), 'modern');

  // A contradiction is refused before anything is issued.
  const before = readdirSync(stick).length;
  const refused = await cd('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Per Conflict', '--email', 'per@example.no', '--out', stick, '--devices', 'windows', '--pfx', 'legacy', '--json');
  assert.equal(refused.status, 1);
  assert.equal(refused.json?.code, 'INVALID_INPUT');
  assert.match(refused.stderr, /--devices: the encryption "legacy" contradicts the devices\. The devices chosen \(Windows 10 1709 or later, Windows 11, Windows Server 2019 or later\) all read the modern form/);
  assert.equal(readdirSync(stick).length, before);
  const twice = await cd('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Per Twice', '--email', 'per@example.no', '--out', stick, '--devices', 'android,android');
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /--devices: a device is listed twice/);

  // A batch for old Android phones.
  const csv = join(dir, 'staff.csv');
  writeFileSync(csv, 'name,email\nKai One,kai@example.no\nLiv Two,liv@example.no\n');
  const out = join(dir, 'batch-out');
  mkdirSync(out);
  await ok('issue-batch', '--ca', 'Root', '--profile', 'user', '--csv', csv, '--out', out, '--passwords', join(dir, 'batch-pw.csv'), '--key', 'ec-p256', '--devices', 'android-old');
  const folders = readdirSync(out);
  assert.equal(folders.length, 2);
  assert.deepEqual(folders.map((f) => formOf(join(out, f))), ['legacy', 'legacy']);

  assert.match((await cd('--help')).stdout, /--devices ID,ID \(issue, export, renew, issue-batch; delivery chosen by the device\)/);
});

test('--pfx modern alone does not override remembered devices that need legacy; --devices does, and is remembered', async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, 'cli devices override passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Override Root,O=Example,C=NO', '--key', 'ec-p256');
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  const issued = (await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Kari Phone', '--email', 'kari@example.no', '--key', 'ec-p256', '--out', stick, '--devices', 'apple-old', '--json')).json!;
  const id = String((issued.certificate as { id: number }).id);
  const before = readdirSync(stick).length;

  // Before: exported as AES without a word, and the next plain export followed it (and failed on the phone).
  const refused = await cd('export', id, '--out', stick, '--pfx', 'modern');
  assert.equal(refused.status, 1);
  assert.equal(
    refused.stderr,
    `certdesk: error: devices: certificate ${id} was last delivered for iPhone/iPad up to iOS 17, Mac up to macOS 14 (Sonoma), which cannot open the modern (AES) form. An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form. Name the devices it goes to now (--devices on the command line) to change that, or use the legacy form.\n`,
  );
  assert.equal(readdirSync(stick).length, before, 'nothing written');
  const plain = (await ok('export', id, '--out', stick, '--json')).json!;
  assert.equal((plain.bundle as { encryption: string }).encryption, 'legacy');
  // --pfx legacy is fine (it opens everywhere); naming the new devices changes what is remembered.
  assert.equal(((await ok('export', id, '--out', stick, '--pfx', 'legacy', '--json')).json!.bundle as { encryption: string }).encryption, 'legacy');
  assert.equal(((await ok('export', id, '--out', stick, '--devices', 'apple', '--json')).json!.bundle as { encryption: string }).encryption, 'modern');
  assert.equal(((await ok('export', id, '--out', stick, '--json')).json!.bundle as { encryption: string }).encryption, 'modern', 'the new devices are remembered');
  assert.equal((await cd('export', id, '--out', stick, '--pfx', 'modern')).status, 0, 'nothing needs legacy now');

  // A bundle option with --out naming a file: said plainly (before: "cannot write to x.pem: the folder does not exist").
  const asFile = await cd('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Per File', '--email', 'per@example.no', '--key', 'ec-p256', '--devices', 'apple-old', '--out', join(dir, 'per.pem'));
  assert.equal(asFile.status, 2);
  assert.match(asFile.stderr, /--devices makes a bundle, and --out must then be an existing folder: .*per\.pem is not one \(a PEM file is written without --devices\)/);
});
