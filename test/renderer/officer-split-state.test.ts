// The officers' forms in the renderer (issue 15), without a browser: a new split's draft (state/officer-split.ts)
// says what is missing in words (names, duplicates, each passphrase by the vault's rule with the real zxcvbn-ts
// estimator main applies, two holders with one passphrase, the two entries differing, K from 2 to N, the folder),
// builds exactly the request main takes, and clears every passphrase; the restore-with-shares rows
// (state/restore-shares.ts) ask for two shares, their passphrases and a good new passphrase typed twice; the
// shares form helpers (state/ca-unlock.ts) place a refusal on the share it names and clear the passphrases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPassphraseEstimator } from '../../shared/passphrase-strength.js';
import { ApiError } from '../../renderer/src/state/api.js';
import { emptyRow, placeRefusal, sharesOf } from '../../renderer/src/state/ca-unlock.js';
import { addHolder, clearPassphrases, newSplitDraft, removeHolder, setHolder, splitMissing, splitRequest, type SplitDraft } from '../../renderer/src/state/officer-split.js';
import { restoreShareMissing } from '../../renderer/src/state/restore-shares.js';

const GOOD = ['alice quartz meadow lantern 41', 'bob copper harbour violin 72', 'carol maple tundra compass 19'];

function filled(): SplitDraft {
  let d = newSplitDraft();
  d.holders.forEach((h, i) => {
    d = setHolder(d, h.id, { name: [' Alice ', 'Bob', 'Carol'][i]!, passphrase: GOOD[i]!, again: GOOD[i]! });
  });
  return { ...d, folder: '/media/officers' };
}

test('a new split: what is missing, in words; the request; passphrases cleared', async () => {
  const estimate = await loadPassphraseEstimator();
  const empty = newSplitDraft();
  assert.equal(empty.holders.length, 3);
  assert.deepEqual(splitMissing(empty, 10, estimate), [
    'Holder 1 needs a name.',
    'Holder 1 needs to type their passphrase.',
    'Holder 2 needs a name.',
    'Holder 2 needs to type their passphrase.',
    'Holder 3 needs a name.',
    'Holder 3 needs to type their passphrase.',
    'Choose the folder for the share files.',
  ]);
  const d = filled();
  assert.deepEqual(splitMissing(d, 10, estimate), []);
  assert.deepEqual(splitMissing(d, 10, null), ['Checking the passphrases’ strength…'], 'not sendable before the rule can be checked');
  assert.deepEqual(splitRequest(d), {
    holders: [
      { name: 'Alice', passphrase: GOOD[0] },
      { name: 'Bob', passphrase: GOOD[1] },
      { name: 'Carol', passphrase: GOOD[2] },
    ],
    threshold: 2,
    folder: '/media/officers',
  });

  const [a, b, c] = d.holders;
  assert.deepEqual(splitMissing(setHolder(d, c!.id, { name: 'alice' }), 10, estimate), ['alice is named twice: each share goes to a different officer.']);
  assert.deepEqual(splitMissing(setHolder(d, b!.id, { passphrase: 'short', again: 'short' }), 10, estimate), ['Bob’s passphrase: At least 10 characters are needed.']);
  const weak = splitMissing(setHolder(d, b!.id, { passphrase: 'password123', again: 'password123' }), 10, estimate);
  assert.equal(weak.length, 1);
  assert.match(weak[0]!, /^Bob’s passphrase: /);
  assert.deepEqual(splitMissing(setHolder(d, c!.id, { passphrase: GOOD[0]!, again: GOOD[0]! }), 10, estimate), ['Carol’s passphrase: The same as Alice’s: each officer chooses their own.']);
  assert.deepEqual(splitMissing(setHolder(d, a!.id, { again: 'alice quartz meadow lantern 42' }), 10, estimate), ['Alice’s two passphrase entries differ.']);
  assert.deepEqual(splitMissing({ ...d, threshold: '4' }, 10, estimate), ['Shares needed: a whole number from 2 to 3.']);
  assert.deepEqual(splitMissing({ ...d, threshold: '1' }, 10, estimate), ['Shares needed: a whole number from 2 to 3.']);
  assert.deepEqual(splitMissing({ ...d, threshold: '2.5' }, 10, estimate), ['Shares needed: a whole number from 2 to 3.']);

  // Two holders at least, sixteen at most.
  const two = removeHolder(d, c!.id);
  assert.equal(two.holders.length, 2);
  assert.equal(removeHolder(two, a!.id).holders.length, 2);
  let many = d;
  for (let i = 0; i < 20; i++) many = addHolder(many);
  assert.equal(many.holders.length, 16);

  const cleared = clearPassphrases(d);
  assert.deepEqual(cleared.holders.map((h) => [h.name, h.passphrase, h.again]), [[' Alice ', '', ''], ['Bob', '', ''], ['Carol', '', '']]);
  assert.equal(cleared.folder, d.folder);
});

test('restore with shares: two shares with passphrases and a good new passphrase typed twice', () => {
  const ok = [
    { file: '/s/a.certdesk-share', passphrase: 'x' },
    { file: '/s/b.certdesk-share', passphrase: 'y' },
  ];
  assert.deepEqual(restoreShareMissing(ok, 'new pass', 'new pass', null, true), []);
  assert.deepEqual(restoreShareMissing([ok[0]!, { file: '', passphrase: '' }], 'new pass', 'new pass', null, true), ['Add the backup shares of at least 2 officers (1 added).']);
  assert.deepEqual(restoreShareMissing([ok[0]!, { file: '/s/b.certdesk-share', passphrase: '' }], 'n', 'n', null, true), ['Backup share 2 needs its passphrase.']);
  assert.deepEqual(restoreShareMissing([ok[0]!, { file: '', passphrase: 'y' }], 'n', 'n', null, true), ['Backup share 2 needs its file.', 'Add the backup shares of at least 2 officers (1 added).']);
  assert.deepEqual(restoreShareMissing([ok[0]!, { ...ok[0]! }], 'n', 'n', null, true), ['The same share file is added twice.']);
  assert.deepEqual(restoreShareMissing(ok, '', '', null, true), ['Type the restored vault’s new passphrase.']);
  assert.deepEqual(restoreShareMissing(ok, 'n', 'n', null, false), ['Checking the new passphrase’s strength…']);
  assert.deepEqual(restoreShareMissing(ok, 'n', 'n', 'At least 10 characters are needed.', true), ['The new passphrase: At least 10 characters are needed.']);
  assert.deepEqual(restoreShareMissing(ok, 'new pass', 'new pas', null, true), ['The two entries of the new passphrase differ.']);
});

test('the shares form: labels sent, a refusal placed on the share it names, passphrases cleared', () => {
  const rows = [emptyRow(), emptyRow(), emptyRow()].map((r, i) => ({ ...r, fileName: i === 0 ? 'alice.certdesk-share' : null, text: i === 2 ? '' : `SHARE ${i}`, passphrase: i === 2 ? '' : `pass ${i}` }));
  const { shares, rowOfLabel } = sharesOf(rows);
  assert.deepEqual(shares, [
    { label: 'alice.certdesk-share', text: 'SHARE 0', passphrase: 'pass 0' },
    { label: 'pasted share 2', text: 'SHARE 1', passphrase: 'pass 1' },
  ]);
  const onShare = placeRefusal(rows, rowOfLabel, new ApiError({ ok: false, code: 'SHARE_BAD_PASSPHRASE', message: 'wrong passphrase for the share of "Bob" (pasted share 2)', details: { file: 'pasted share 2' } }));
  assert.equal(onShare.error, null);
  assert.deepEqual(onShare.rows.map((r) => [r.passphrase, r.problem]), [['', null], ['', 'wrong passphrase for the share of "Bob" (pasted share 2)'], ['', null]]);
  const general = placeRefusal(rows, rowOfLabel, new ApiError({ ok: false, code: 'QUORUM_REQUIRED', message: 'add 1 more', details: { k: 2 } }));
  assert.equal(general.error, 'add 1 more');
  assert.ok(general.rows.every((r) => r.passphrase === '' && r.problem === null));
});
