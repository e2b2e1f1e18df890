// Two-officer control through the typed API (issue 15): ca.quorum shows a CA's K-of-N state (holders, when set,
// who signed with it lately); ca.presentShares unlocks it for this session with K officers' shares, refusing one
// share too few, a wrong passphrase (naming the holder and the share's label), a damaged share, another CA's
// share and two shares under one label; every refusal unlocks nothing and signs nothing; locking drops the key.
// batch.start refuses a quorum CA up front (QUORUM_REQUIRED), so the window can ask for the shares.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setQuorum } from '../../electron/core/quorum/split.js';
import { call, refusalOf } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

/** These refusals are compared with their details (the CA and K of QUORUM_REQUIRED, the file of SHARE_REJECTED). */
const refusal = (p: Promise<unknown>) => refusalOf(p, true);

const PASSPHRASE = 'quorum channel vault passphrase';

test('ca.quorum and ca.presentShares: K shares unlock a quorum CA until the vault locks; every refusal unlocks nothing', { timeout: 60_000 }, async (t) => {
  const svc = newService(t);
  const { api, dir, clock, session } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(api, 'ca.create', { name: 'Root', subject: 'CN=Channel Quorum Root', keyType: 'ec-p256' });
  const other = await call(api, 'ca.create', { name: 'Other', subject: 'CN=Channel Other Root', keyType: 'ec-p256' });
  const setAt = clock.iso();
  mkdirSync(join(dir, 'shares'));
  mkdirSync(join(dir, 'other-shares'));
  const split = await setQuorum(session.unlocked(), 'Root', { holders: ['Alice', 'Bob', 'Carol'], threshold: 2, passphrases: [PASS.Alice!, PASS.Bob!, PASS.Carol!], out: join(dir, 'shares') });
  const otherSplit = await setQuorum(session.unlocked(), 'Other', { holders: ['Olga', 'Pete'], threshold: 2, passphrases: [PASS.Olga!, PASS.Pete!], out: join(dir, 'other-shares') });
  const share = (holder: string, passphrase = PASS[holder]!, files = split.files) => {
    const f = files.find((x) => x.holder === holder)!;
    return { label: `${holder.toLowerCase()}.certdesk-share`, text: readFileSync(f.share, 'utf8'), passphrase };
  };

  clock.advance(60_000);
  assert.deepEqual(await call(api, 'ca.quorum', { id: root.id }), { ca: 'Root', underQuorum: true, k: 2, n: 3, holders: ['Alice', 'Bob', 'Carol'], unlockedBy: null, setAt, lastUses: [] });
  const count = async () => (await call(api, 'ca.list', {})).length;
  const intermediate = { name: 'Issuing', subject: 'CN=Channel Issuing CA', keyType: 'ec-p256' as const, issuer: root.id };

  // Signing under it without shares: QUORUM_REQUIRED with what the window's dialog needs.
  assert.deepEqual(await refusal(call(api, 'ca.create', intermediate)), {
    code: 'QUORUM_REQUIRED',
    message: 'CA "Root" is under 2-of-3 control: give 2 shares with --share FILE',
    details: { ca: 'Root', k: 2, n: 3 },
  });

  // Refusals: each unlocks nothing.
  assert.deepEqual(await refusal(call(api, 'ca.presentShares', { ca: 'Root', shares: [share('Alice')] })), {
    code: 'QUORUM_REQUIRED',
    message: 'CA "Root" needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more officer’s share',
    details: { ca: 'Root', k: 2, n: 3, given: ['Alice'] },
  });
  assert.deepEqual(await refusal(call(api, 'ca.presentShares', { ca: 'Root', shares: [share('Alice'), share('Bob', PASS.Carol)] })), {
    code: 'SHARE_BAD_PASSPHRASE',
    message: 'wrong passphrase for the share of "Bob" (bob.certdesk-share), or the file was altered: it does not open (nothing was signed)',
    details: { file: 'bob.certdesk-share', holder: 'Bob' },
  });
  const damaged = share('Carol');
  damaged.text = damaged.text.replace(/\n(.)/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`);
  const bad = await refusal(call(api, 'ca.presentShares', { ca: 'Root', shares: [share('Alice'), damaged] }));
  assert.equal(bad.code, 'SHARE_REJECTED');
  assert.match(bad.message, /^share file carol\.certdesk-share is damaged or was altered \(.+\): it is not used$/);
  assert.deepEqual(bad.details, { file: 'carol.certdesk-share' });
  assert.deepEqual(await refusal(call(api, 'ca.presentShares', { ca: 'Root', shares: [share('Alice'), share('Olga', PASS.Olga, otherSplit.files)] })), {
    code: 'SHARE_REJECTED',
    message: 'share file olga.certdesk-share is a share of CA "Other", not of CA "Root" in this vault: it is not used',
    details: { file: 'olga.certdesk-share', ca: 'Root' },
  });
  assert.deepEqual(await refusal(call(api, 'ca.presentShares', { ca: 'Root', shares: [share('Alice'), { ...share('Bob'), label: 'alice.certdesk-share' }] })), {
    code: 'INVALID_INPUT',
    message: 'shares: two shares are named "alice.certdesk-share"; give each its own label',
    details: { field: 'shares' },
  });
  assert.equal((await refusal(call(api, 'ca.presentShares', { shares: [] }))).code, 'INVALID_INPUT');
  assert.equal((await call(api, 'ca.quorum', { id: root.id })).unlockedBy, null);
  assert.equal((await refusal(call(api, 'ca.create', intermediate))).code, 'QUORUM_REQUIRED');
  assert.equal(await count(), 2, 'nothing was signed');

  // K shares (no CA named: the shares name it) unlock it for this session; signing is audited with the holders.
  assert.deepEqual(await call(api, 'ca.presentShares', { shares: [share('Carol'), share('Alice')] }), { ca: 'Root', holders: ['Alice', 'Carol'], k: 2, n: 3 });
  const issuing = await call(api, 'ca.create', intermediate);
  assert.equal(issuing.issuerCaId, root.id);
  const view = await call(api, 'ca.quorum', { id: root.id });
  assert.deepEqual(view.unlockedBy, ['Alice', 'Carol']);
  assert.deepEqual(view.lastUses, [{ at: clock.iso(), holders: ['Alice', 'Carol'] }]);
  assert.equal(view.setAt, setAt);
  // Another CA is not unlocked by Root's shares; a CA not under control says so.
  assert.equal((await call(api, 'ca.quorum', { id: other.id })).unlockedBy, null);
  assert.deepEqual(await call(api, 'ca.quorum', { id: issuing.id }), { ca: 'Issuing', underQuorum: false, k: null, n: null, holders: [], unlockedBy: null, setAt: null, lastUses: [] });
  assert.deepEqual(await refusal(call(api, 'ca.presentShares', { ca: 'Issuing', shares: [share('Alice'), share('Bob')] })), {
    code: 'INVALID_INPUT',
    message: 'CA "Issuing" is not under K-of-N control: it needs no shares',
    details: { ca: 'Issuing' },
  });

  // A batch under a quorum CA that is not unlocked is refused at start, not in the background.
  const csv = Buffer.from('name,email\nHolder One,holder.one@example.com\n').toString('base64');
  session.grants.grantFile(join(dir, 'outside-passwords.csv'));
  mkdirSync(join(dir, 'batch-out'));
  assert.deepEqual(await refusal(call(api, 'batch.start', { csv, fileName: 'b.csv', ca: other.id, profile: 'user', folder: join(dir, 'batch-out'), passwordsFile: join(dir, 'outside-passwords.csv'), keyType: 'ec-p256' })), {
    code: 'QUORUM_REQUIRED',
    message: 'CA "Other" is under 2-of-2 control: give 2 shares with --share FILE',
    details: { ca: 'Other', k: 2, n: 2 },
  });

  // Locking drops the quorum key: signing asks for the shares again.
  await call(api, 'vault.lock', {});
  await call(api, 'vault.unlock', { passphrase: PASSPHRASE });
  assert.equal((await call(api, 'ca.quorum', { id: root.id })).unlockedBy, null);
  assert.equal((await refusal(call(api, 'ca.create', { ...intermediate, name: 'Issuing 2', subject: 'CN=Channel Issuing CA 2' }))).code, 'QUORUM_REQUIRED');
});
