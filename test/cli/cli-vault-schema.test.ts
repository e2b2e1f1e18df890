// certdesk vault verify on a vault with a trigger planted in it outside CertDesk: the vault is refused
// (VAULT_TAMPERED, naming the trigger), the command exits 1, and the file is not changed.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cliSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('vault verify refuses a vault with a planted trigger, naming it, and exits 1', async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init } = cliSession(dir, 'vault schema passphrase');
  await init();
  ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Schema Root', '--key', 'ec-p256');
  const db = new Database(env.CERTDESK_VAULT);
  db.exec("CREATE TRIGGER t_unrevoke AFTER UPDATE OF status ON certificates BEGIN UPDATE certificates SET status = 'valid'; END;");
  db.close();
  const hash = () => createHash('sha256').update(readFileSync(env.CERTDESK_VAULT!)).digest('hex');
  const before = hash();
  const found = cd('vault', 'verify');
  assert.equal(found.status, 1);
  assert.match(found.stderr, /trigger t_unrevoke was added outside CertDesk/);
  const json = cd('vault', 'verify', '--json');
  assert.equal(json.status, 1);
  assert.equal(json.json!.code, 'VAULT_TAMPERED');
  assert.equal(hash(), before, 'the vault file is unchanged');
});
