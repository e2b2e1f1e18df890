// certdesk vault verify, and what the commands that sign do with a vault changed outside CertDesk: the
// attack from issue 10 (a keyCompromise revocation set back to valid with sqlite3, codeSigning added to a
// profile) stops the CRL and the issue with exit 1, and no file is written.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('vault verify prints ok; after plain-SQL changes it lists each one, and crl and issue refuse', async (t) => {
  const dir = tempDir(t);
  const { env, cd, ok, init } = inProcessSession(dir, 'vault verify passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Verify Root', '--key', 'ec-p256', '--path-length', '1');
  await ok('ca', 'create', '--name', 'Users', '--issuer', 'Root', '--subject', 'CN=Verify Users CA', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/users.crl');
  const alice = (await ok('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Alice Example', '--email', 'alice@example.com', '--key', 'ec-p256', '--json')).json!.id as number;
  await ok('revoke', String(alice), '--reason', 'keyCompromise');
  await ok('crl', 'Users', '--out', 'users-1.crl');

  const intact = await ok('vault', 'verify');
  assert.equal(intact.stdout, 'ok\n');
  const intactJson = (await ok('vault', 'verify', '--json')).json!;
  assert.equal(intactJson.ok, true);
  assert.equal((intactJson.verification as { records: { checked: number } }).records.checked > 10, true);

  // The revocation undone: the CRL is refused, naming the record.
  const db = new Database(env.CERTDESK_VAULT);
  db.prepare(`UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE id = ?`).run(alice);
  db.close();
  const crl = await cd('crl', 'Users', '--out', 'users-2.crl');
  assert.equal(crl.status, 1);
  assert.match(crl.stderr, new RegExp(`certificate ${alice} \\(Alice Example\\) in table certificates does not match its MAC: the vault was changed outside CertDesk`));
  assert.equal(existsSync(join(dir, 'users-2.crl')), false, 'no CRL');

  // codeSigning added to the user profile: nothing is issued under it.
  const db2 = new Database(env.CERTDESK_VAULT);
  const user = db2.prepare("SELECT definition FROM profiles WHERE id = 'user'").get() as { definition: string };
  db2.prepare("UPDATE profiles SET definition = ? WHERE id = 'user'").run(user.definition.replace('"emailProtection"', '"emailProtection","codeSigning"'));
  db2.close();
  const issue = await cd('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Mallory', '--email', 'mallory@example.com', '--key', 'ec-p256', '--out', 'mallory.pem');
  assert.equal(issue.status, 1);
  assert.match(issue.stderr, /profile "user" in table profiles does not match its MAC/);
  assert.equal(existsSync(join(dir, 'mallory.pem')), false, 'no certificate');

  const found = await cd('vault', 'verify');
  assert.equal(found.status, 1);
  assert.deepEqual(found.stdout.trim().split('\n'), [
    `certificates: certificate ${alice} (Alice Example): does not match its MAC: changed outside CertDesk`,
    'profiles: profile "user": does not match its MAC: changed outside CertDesk',
    'cas: CA 2 "Users": its certificates show 0 revocations where CertDesk recorded 1: a revocation was removed, changed, or set back to valid',
  ]);
  assert.match(found.stderr, /the vault was changed outside CertDesk: 3 problems/);
  const json = await cd('vault', 'verify', '--json');
  assert.equal(json.status, 1);
  assert.equal(json.json!.ok, false);
  assert.equal(json.json!.code, 'VAULT_TAMPERED');
  // The audit chain itself was not touched: audit verify stays as it was.
  assert.equal((await ok('audit', 'verify')).status, 0);
});
