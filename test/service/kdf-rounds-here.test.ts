// The count that shows on which thread the PKCS#12 KDF ran (test/helpers/event-loop.ts kdfRoundsHere) sees the
// service's own KDF when the service runs its engine jobs on this thread: so the tests that assert 0 rounds here
// (ca-lifecycle.test.ts, event-loop.test.ts) would fail if a PFX were built or read on the window's thread. In a
// file of its own, since runEngineJobsInThisThread cannot be undone within a process.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEngineJobsInThisThread } from '../../electron/core/workers/engine-pool.js';
import { kdfRoundsHere } from '../helpers/event-loop.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

test("with the engine's jobs on this thread, ca.export's PKCS#12 KDF rounds are counted here", async (t) => {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const root = await call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=Counted Root', keyType: 'ec-p256', days: 3650 });
  const file = join(svc.dir, 'root.pfx');
  svc.session.grants.grantFile(file);
  runEngineJobsInThisThread();
  const counted: Record<string, number> = {};
  for (const encryption of ['modern', 'legacy'] as const) {
    const { result, rounds } = await kdfRoundsHere(() => call(svc.api, 'ca.export', { id: root.id, format: 'pfx', file, password: 'Counted-Password-42', encryption }));
    assert.equal(result.withKey, true);
    counted[encryption] = rounds;
  }
  t.diagnostic(`rounds counted on this thread: modern ${counted.modern}, legacy ${counted.legacy}`);
  // Modern: the MAC key only (its bags use PBKDF2); legacy: the MAC key and both 3DES bags' keys and IVs, so more.
  assert.ok(counted.modern! > 0, 'a modern PFX built on this thread: its MAC KDF rounds are counted');
  assert.ok(counted.legacy! > counted.modern!, 'a legacy PFX also derives its bags\' 3DES keys and IVs by the same KDF');
});
