// Global options (--vault, --passphrase-file, --json) work before the command as well as after it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdesk, initTestVault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'global options passphrase';

test('--vault and --passphrase-file before the command name the vault; a vault file named like a command is not a command', async (t) => {
  const dir = tempDir(t);
  // A vault file called "list": the word after --vault is its value, never the command.
  const vault = join(dir, 'list');
  await initTestVault(vault, PASS);
  const passFile = join(dir, 'pass.txt');
  writeFileSync(passFile, `${PASS}\n`);
  const env = {};
  const before = certdesk(['--vault', vault, '--passphrase-file', passFile, '--json', 'ca', 'list'], env, dir);
  assert.equal(before.status, 0, before.stderr);
  assert.deepEqual(before.json, { ok: true, cas: [] });
  const after = certdesk(['ca', 'list', '--vault', vault, '--passphrase-file', passFile, '--json'], env, dir);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(after.json, before.json);
  const equals = certdesk([`--vault=${vault}`, `--passphrase-file=${passFile}`, 'ca', 'list', '--json'], env, dir);
  assert.equal(equals.status, 0, equals.stderr);
  // Before the fix the value of --vault was read as the command: unknown command "<dir>/list ca".
  const unknown = certdesk(['--vault', vault, 'frobnicate'], env, dir);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});
