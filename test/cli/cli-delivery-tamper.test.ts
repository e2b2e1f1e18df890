// Pending deliveries and batch resume markers decide where a holder's bundle, key and password are written:
// a row forged or changed with plain SQL on a closed vault (no passphrase) is not acted on by "pending
// resume", "renew --due" or a batch re-run; nothing reaches the attacker's path, and "vault verify" names it.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const files = (dir: string) => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]) : []);

test('a pending delivery forged with SQL is refused by resume and renew --due, reported by verify, and can be abandoned', async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init } = inProcessSession(dir, 'delivery tamper passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Users', '--subject', 'CN=Tamper Users CA', '--key', 'ec-p256');
  const alice = (await ok('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Alice Example', '--email', 'alice@example.com', '--key', 'ec-p256', '--json')).json!.id as number;
  assert.equal((await ok('vault', 'verify')).stdout, 'ok\n');

  const loot = join(dir, 'ATTACKER', 'loot');
  mkdirSync(loot, { recursive: true });
  mkdirSync(join(dir, 'stick'));
  const db = new Database(env.CERTDESK_VAULT);
  const forged = Number(
    db
      .prepare(`INSERT INTO deliveries (kind, operation, certificate_id, target, encryption, passwords_file, created_at) VALUES ('bundle', 'renew', ?, ?, 'modern', ?, ?)`)
      .run(alice, loot, join(loot, 'passwords.csv'), new Date().toISOString()).lastInsertRowid,
  );
  db.close();

  const resumed = await cd('pending', 'resume', '--json');
  assert.notEqual(resumed.status, 0);
  assert.match(resumed.stdout + resumed.stderr, new RegExp(`delivery ${forged} \\(bundle of certificate ${alice} to .*loot\\) in table deliveries has no MAC`));
  assert.match(resumed.stdout + resumed.stderr, new RegExp(`certdesk pending abandon ${forged}`));
  const renewed = await cd('renew', '--due', '--out', 'stick', '--passwords', 'pw.csv', '--json');
  assert.notEqual(renewed.status, 0);
  assert.equal(renewed.json!.code, 'VAULT_TAMPERED');
  assert.deepEqual(files(loot), [], 'nothing reaches the attacker');
  const listed = await cd('pending', '--json');
  assert.equal(listed.json!.code, 'VAULT_TAMPERED');

  const found = await cd('vault', 'verify');
  assert.equal(found.status, 1);
  assert.match(found.stdout, new RegExp(`deliveries: delivery ${forged} \\(bundle of certificate ${alice} to .*loot\\): has no MAC`));

  // Abandoning it only removes the row: the vault verifies again.
  await ok('pending', 'abandon', String(forged));
  assert.deepEqual(files(loot), []);
  assert.equal((await ok('vault', 'verify')).stdout, 'ok\n');
  assert.match((await ok('pending')).stdout, /Nothing is pending/);
});

test('a genuine pending delivery redirected with SQL is refused; batch_items pointed at another holder stop the re-run', async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init } = inProcessSession(dir, 'batch tamper passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Users', '--subject', 'CN=Tamper Batch CA', '--key', 'ec-p256');
  const victim = (await ok('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Victor Victim', '--email', 'victor@example.com', '--key', 'ec-p256', '--json')).json!.id as number;
  mkdirSync(join(dir, 'stick'));
  writeFileSync(join(dir, 'staff.csv'), 'name,email\nAnna A,anna@example.com\nBert B,bert@example.com\n');
  const batch = ['issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json'];
  await ok(...batch, '--out', 'stick');
  assert.equal((await ok('vault', 'verify')).stdout, 'ok\n');

  // A resume marker pointed at the victim and set back to undelivered: a re-run would hand out the victim's bundle.
  const loot = join(dir, 'loot');
  mkdirSync(loot);
  const db = new Database(env.CERTDESK_VAULT);
  const item = db.prepare('SELECT batch_id, row_key FROM batch_items ORDER BY line LIMIT 1').get() as { batch_id: string; row_key: string };
  db.prepare('UPDATE batch_items SET certificate_id = ?, delivered_at = NULL WHERE batch_id = ? AND row_key = ?').run(victim, item.batch_id, item.row_key);
  // And a delivery recorded by CertDesk, its target changed.
  db.prepare(`UPDATE deliveries SET state = 'pending', finished_at = NULL, target = ? WHERE id = (SELECT max(id) FROM deliveries)`).run(loot);
  db.close();

  const rerun = await cd(...batch, '--out', 'loot');
  assert.equal(rerun.status, 1);
  assert.equal(rerun.json!.code, 'VAULT_TAMPERED');
  assert.match(rerun.json!.message as string, /batch row .* in table batch_items does not match its MAC/);
  const resumed = await cd('pending', 'resume', '--json');
  assert.notEqual(resumed.status, 0);
  assert.match(resumed.stdout + resumed.stderr, /in table deliveries does not match its MAC/);
  assert.deepEqual(files(loot), [], 'no bundle of the victim (or anyone) is handed out');
  assert.ok(!files(join(dir, 'stick')).some((f) => f.includes('Victor')));

  const found = await cd('vault', 'verify');
  assert.equal(found.status, 1);
  assert.match(found.stdout, new RegExp(`batch_items: batch row ${item.row_key} of batch ${item.batch_id.slice(0, 16)} \\(certificate ${victim}\\): does not match its MAC`));
  assert.match(found.stdout, /deliveries: delivery \d+ \(bundle of certificate \d+ to .*loot\): does not match its MAC/);
});
