// `certdesk list` and `certdesk recipient list` list every match (before: at most 100,000 certificates and 1,000
// recipients, cut silently); `--limit N` lists the first N and says that more match, in the text and the JSON.
// The commands run in this process (inProcessSession): this file checks what they print, not the process.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Vault } from '../../electron/core/vault/vault.js';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'list limit passphrase';

test('recipient list shows all 1,001 recipients; --limit shows the first N and says more match; list likewise', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const { init, ok, cd } = inProcessSession(dir, PASS);
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Limit Root', '--key', 'ec-p256');
  for (const name of ['Ann One', 'Ben Two', 'Cy Three']) await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', name, '--email', `${name.split(' ')[0]!.toLowerCase()}@example.com`, '--key', 'ec-p256', '--out', `${name}.pem`);

  // 998 more recipients through the record layer (MACed as CertDesk writes them): 1,001 in all.
  const vault = Vault.open(join(dir, 'v.certdesk'));
  await vault.unlock(PASS);
  vault.transaction(() => {
    for (let i = 0; i < 998; i++) vault.records.insert('recipients', { kind: 'person', name: `Extra ${i}`, email: null, phone: null, description: null, sid: null, account: null, created_at: new Date().toISOString() });
  });
  vault.close();

  const all = (await ok('recipient', 'list', '--json')).json!;
  assert.equal((all.recipients as unknown[]).length, 1001);
  assert.equal(all.truncated, undefined);
  const some = (await ok('recipient', 'list', '--limit', '2', '--json')).json!;
  assert.deepEqual((some.recipients as { name: string }[]).map((r) => r.name), ['Extra 997', 'Extra 996']);
  assert.equal(some.truncated, true);
  assert.match((await ok('recipient', 'list', '--limit', '2')).stdout, /\n\(the first 2 shown; more match: raise --limit or narrow the search\)\n$/);
  // Exactly as many as match: nothing more to say.
  const exact = (await ok('recipient', 'list', '--search', 'three', '--limit', '1', '--json')).json!;
  assert.deepEqual([(exact.recipients as unknown[]).length, exact.truncated], [1, undefined]);

  assert.equal(((await ok('list', '--json')).json!.certificates as unknown[]).length, 3);
  const two = (await ok('list', '--limit', '2', '--json')).json!;
  assert.deepEqual([(two.certificates as unknown[]).length, two.truncated], [2, true]);
  assert.doesNotMatch((await ok('list', '--limit', '3')).stdout, /more match/);

  const zero = await cd('list', '--limit', '0');
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--limit takes 1 or more/);
});
