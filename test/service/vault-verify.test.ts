// The Audit log screen's Verify (channel audit.verify): the audit chain and every authenticated record, and
// each record changed outside CertDesk named in the answer. The screen's own rendering runs in the e2e suite.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { test } from 'node:test';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const PASSPHRASE = 'verify channel passphrase';

test('audit.verify reports the audit chain and every record; a record changed outside CertDesk is named', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  const ca = await call(api, 'ca.create', { name: 'Root', subject: 'CN=Verify Root', keyType: 'ec-p256' });
  const intact = await call(api, 'audit.verify', {});
  assert.equal(intact.ok, true);
  assert.equal(intact.audit.ok, true);
  assert.deepEqual(intact.records.problems, []);
  assert.ok(intact.records.checked >= 5 + 2 + 1, 'the profiles, the CA, its certificate and key were checked');

  // Locked, changed with sqlite3 (path length raised), unlocked again.
  await call(api, 'vault.lock', {});
  const db = new Database(svc.session.vaultPath);
  db.prepare('UPDATE cas SET path_length = 5 WHERE id = ?').run(ca.id);
  db.close();
  await call(api, 'vault.unlock', { passphrase: PASSPHRASE });
  const found = await call(api, 'audit.verify', {});
  assert.equal(found.ok, false);
  assert.equal(found.audit.ok, true);
  assert.deepEqual(found.records.problems, [{ table: 'cas', record: 'CA 1 "Root"', problem: 'does not match its MAC: changed outside CertDesk' }]);
});
