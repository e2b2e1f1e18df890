// The hand-over from the command line: issue --out DIR, export, the password shown once, slip and letter.
// The commands run in this process (certdeskInFolder), but for the one that checks what a pipe receives.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskInFolder, inProcessSession, initTestVault } from '../helpers/cli.js';
import { qrTexts } from '../helpers/qr-decode.js';
import { needTools, run } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

interface BundleJson {
  folder: string;
  files: { name: string; sha256: string; purpose: string }[];
  encryption: string;
  passwordGenerated: boolean;
}

test('issue --out DIR issues and writes the bundle in one step; export writes it again with a set password', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { cd, ok, init, spawn } = inProcessSession(dir, 'cli export passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Export Root,O=Example,C=NO', '--key', 'ec-p256');
  const stick = join(dir, 'stick');
  mkdirSync(stick);

  const issued = (await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', 'Kari Nordmann', '--email', 'kari@example.no', '--key', 'rsa-2048',
    '--out', stick, '--pfx', 'legacy', '--slip', join(dir, 'slip.html'), '--letter', join(dir, 'letter.txt'), '--json')).json!;
  const bundle = issued.bundle as BundleJson;
  const password = String(issued.password);
  assert.equal(bundle.encryption, 'legacy');
  assert.equal(bundle.passwordGenerated, true);
  assert.equal(password.length, 16);
  assert.deepEqual(readdirSync(stick), [bundle.folder.split('/').pop()]);
  assert.ok(bundle.files.some((f) => f.name === 'kari-nordmann.pfx'));
  const pfx = join(bundle.folder, 'kari-nordmann.pfx');
  const info = run('openssl', ['pkcs12', '-info', '-noout', '-passin', 'env:P', '-in', pfx], { env: { ...process.env, P: password } });
  assert.equal(info.status, 0, info.stderr);

  // The slip's QR code is the password; the letter carries it with the placeholders filled in.
  const slip = readFileSync(join(dir, 'slip.html'), 'utf8');
  assert.ok(qrTexts(slip).includes(password), 'the slip QR decodes to the password');
  const letter = readFileSync(join(dir, 'letter.txt'), 'utf8');
  assert.ok(letter.includes(password));
  assert.match(letter, /Kari Nordmann/);
  assert.doesNotMatch(letter, /\$[A-Z][A-Za-z]+/, 'no placeholder left unfilled');

  // Without --json and not on a terminal, the password is not printed.
  const id = String(issued.id);
  writeFileSync(join(dir, 'pfx-pass.txt'), 'Kari-Sets-This-42\n');
  // Without --pfx or --devices, export again makes the form of the last delivery (issued --pfx legacy; issue 14),
  // not the profile's AES default; --devices names the devices (a current Windows: AES).
  const text = await ok('export', id, '--out', stick, '--password-file', 'pfx-pass.txt');
  assert.match(text.stdout, /Wrote bundle .*kari-nordmann-[0-9a-f]{8}-2 \(legacy PFX: 3DES/);
  const forWindows = await ok('export', id, '--out', stick, '--password-file', 'pfx-pass.txt', '--devices', 'windows');
  assert.match(forWindows.stdout, /Wrote bundle .*kari-nordmann-[0-9a-f]{8}-3 \(modern PFX: AES-256/);
  assert.match(text.stdout, /opens with the password you set/);
  const again = (await ok('export', id, '--out', stick, '--json')).json!;
  assert.ok(again.password, 'a generated password is in the --json output');
  // A real pipe, so this one runs in a process of its own.
  const plain = spawn('export', id, '--out', stick);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /PFX password \(shown once\)/);
  assert.match(plain.stdout, /shown only with --json or on a terminal/);
  assert.equal(readdirSync(stick).length, 5);

  // The slip carries the password: never inside the stick's folder.
  const inside = await cd('export', id, '--out', stick, '--slip', join(stick, 'slip.html'));
  assert.equal(inside.status, 2);
  assert.match(inside.stderr, /--slip must be outside/);
  const weak = await cd('export', id, '--out', stick, '--password-file', 'pfx-pass.txt', '--pfx', 'rc2');
  assert.equal(weak.status, 2);
  const unknownDevice = await cd('export', id, '--out', stick, '--devices', 'windows,iphone');
  assert.equal(unknownDevice.status, 2);
  assert.match(unknownDevice.stderr, /--devices: unknown device "iphone"; the devices are apple-old, apple, android-old, android, windows, windows-old, java, java-old, appliance, unknown/);
  const contradicted = await cd('export', id, '--out', stick, '--devices', 'apple-old', '--pfx', 'modern', '--json');
  assert.equal(contradicted.status, 1);
  assert.equal(contradicted.json?.code, 'INVALID_INPUT');
  assert.match(contradicted.stderr, /--devices: the encryption "modern" contradicts the devices\. An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form\./);
  writeFileSync(join(dir, 'weak.txt'), 'qwzxv\n');
  const weakPw = await cd('export', id, '--out', stick, '--password-file', 'weak.txt', '--json');
  assert.equal(weakPw.status, 1);
  assert.equal(weakPw.json?.code, 'INVALID_INPUT');
  assert.doesNotMatch(weakPw.stderr, /qwzxv/);
  assert.match(weakPw.stderr, /at least 12 characters/);
  const missing = await cd('export', id, '--out', join(dir, 'no-stick'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /does not exist/);
  assert.equal(readdirSync(stick).length, 5, 'failed exports left nothing');

  const audit = ((await ok('audit', 'list', '--action', 'cert.export', '--json')).json!.entries as { details: Record<string, unknown> }[]);
  assert.equal(audit.length, 5);
  assert.ok(audit.every((e) => !JSON.stringify(e).includes(password)), 'the audit log never holds the password');
  await ok('audit', 'verify');
});

test('the hand-over letter template can be replaced; unknown placeholders are refused', async (t) => {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'cli letter passphrase' };
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  await initTestVault(env.CERTDESK_VAULT, env.CERTDESK_PASSPHRASE);
  assert.match((await cd('letter', 'template')).stdout, /\$ClientCertPwd/);
  writeFileSync(join(dir, 'bad.txt'), 'Hello $HolderName, your password is $ClientCertPassword.\n');
  const bad = await cd('letter', 'template', '--set', 'bad.txt');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /\$ClientCertPassword/);
  assert.match(bad.stderr, /\$ClientCertPwd/);
  writeFileSync(join(dir, 'good.txt'), 'Hei $HolderName! Passord: $ClientCertPwd (gyldig til $ExpiryDate)\n');
  assert.equal((await cd('letter', 'template', '--set', 'good.txt')).status, 0);
  assert.equal((await cd('ca', 'create', '--name', 'R', '--subject', 'CN=R', '--key', 'ec-p256')).status, 0);
  mkdirSync(join(dir, 'out'));
  const r = await cd('issue', '--ca', 'R', '--profile', 'vpn', '--name', 'Ola', '--key', 'ec-p256', '--out', join(dir, 'out'), '--letter', join(dir, 'letter.txt'), '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'letter.txt'), 'utf8'), `Hei Ola! Passord: ${String(r.json!.password)} (gyldig til ${String(r.json!.notAfter).slice(0, 10)})\n`);
  const actions = ((await cd('audit', 'list', '--json')).json!.entries as { action: string; target: string }[]).map((e) => `${e.action}:${e.target}`);
  assert.ok(actions.includes('settings.change:letter_template'));
});
