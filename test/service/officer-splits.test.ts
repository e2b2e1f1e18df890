// The officer's splits through the typed API (issue 15): ca.quorumSet puts a CA under K-of-N control with share
// files written only into a folder a dialog answered; ca.quorumReissue needs K current shares and makes the old
// ones useless; vault.backup with `shares` writes backup share files; vault.restore with K of them (each picked
// in an open dialog) and a new passphrase restores it. Refusals (a folder not chosen, a weak passphrase, K-1
// shares, a wrong share passphrase, another backup's share) write nothing; no answer and no audit record holds a
// passphrase or a share.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CertDeskApi } from '../../shared/api.js';
import { call, refusalOf } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

const PASSPHRASE = 'officer splits vault passphrase';
const NEW_PASSPHRASE = 'restored vault pelican granite 58';
const holders = (...names: string[]) => names.map((name) => ({ name, passphrase: PASS[name]! }));

/** Every answer and audit record, as JSON, holds none of these: the passphrases and the shares' armored bodies. */
function assertNoSecret(label: string, value: unknown, secrets: string[]): void {
  const json = JSON.stringify(value);
  for (const s of secrets) assert.ok(!json.includes(s), `${label} holds a secret`);
}

/** The base64 body lines of each share file (the sealed share), for assertNoSecret. */
const shareBodies = (files: { share: string }[]) => files.flatMap((f) => readFileSync(f.share, 'utf8').split('\n').filter((l) => l.length > 40 && !l.startsWith('-----')));

const auditAll = (api: CertDeskApi) => call(api, 'audit.list', { limit: 1000 });

test('ca.quorumSet and ca.quorumReissue: only a chosen folder, checked passphrases, K current shares; nothing secret in answers or audit', { timeout: 120_000 }, async (t) => {
  const { api, dir, session } = newService(t, { grantDir: false });
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(api, 'ca.create', { name: 'Root', subject: 'CN=Splits Root', keyType: 'ec-p256' });
  const folder = join(dir, 'sticks');
  mkdirSync(folder);
  const request = { id: root.id, holders: holders('Alice', 'Bob', 'Carol'), threshold: 2, folder };

  assert.deepEqual(await refusalOf(call(api, 'ca.quorumSet', request)), {
    code: 'INVALID_INPUT',
    message: `folder: ${folder} was not chosen in a dialog this session; choose the folder with its Choose… button`,
  });
  session.grants.grantFolder(folder); // as dialog.chooseFolder answers it
  const weak = await refusalOf(call(api, 'ca.quorumSet', { ...request, holders: [...holders('Alice', 'Bob'), { name: 'Carol', passphrase: 'password1' }] }));
  assert.equal(weak.code, 'INVALID_INPUT');
  assert.match(weak.message, /^the passphrase of holder "Carol": at least 10 characters are required$/);
  const same = await refusalOf(call(api, 'ca.quorumSet', { ...request, holders: [...holders('Alice', 'Bob'), { name: 'Carol', passphrase: PASS.Alice! }] }));
  assert.equal(same.message, 'holders "Alice" and "Carol" were given the same passphrase: each officer chooses their own');
  assert.equal((await refusalOf(call(api, 'ca.quorumSet', { ...request, threshold: 4 }))).message, 'threshold: must be a whole number from 2 to the number of shares (3), got 4');
  assert.deepEqual(readdirSync(folder), [], 'no refusal wrote a file');
  assert.equal((await call(api, 'ca.quorum', { id: root.id })).underQuorum, false);

  const set = await call(api, 'ca.quorumSet', request);
  assert.deepEqual(Object.keys(set).sort(), ['ca', 'files', 'holders', 'k', 'n', 'splitId']);
  assert.deepEqual([set.ca, set.k, set.n, set.holders], ['Root', 2, 3, ['Alice', 'Bob', 'Carol']]);
  assert.deepEqual(
    set.files.map((f) => [f.index, f.holder, f.share, f.sheet]),
    ['alice', 'bob', 'carol'].map((h, i) => [i + 1, h[0]!.toUpperCase() + h.slice(1), join(folder, `root-share-${i + 1}-of-3-${h}.certdesk-share`), join(folder, `root-share-${i + 1}-of-3-${h}.html`)]),
  );
  assert.equal(readdirSync(folder).length, 6);
  const q = await call(api, 'ca.quorum', { id: root.id });
  assert.deepEqual([q.underQuorum, q.k, q.n, q.holders], [true, 2, 3, ['Alice', 'Bob', 'Carol']]);
  const setAudit = (await auditAll(api)).filter((a) => a.action === 'ca.quorum-set');
  assert.equal(setAudit.length, 1);
  const secrets = [...Object.values(PASS), ...shareBodies(set.files)];
  assert.ok(secrets.length >= 3 + 4, 'each share file has its sealed body lines');
  assertNoSecret('ca.quorumSet answer', set, secrets);
  assert.equal((await refusalOf(call(api, 'ca.quorumSet', request))).code, 'INVALID_INPUT', 'already under control');

  const given = (holder: string, passphrase = PASS[holder]!, files = set.files) => {
    const f = files.find((x) => x.holder === holder)!;
    return { label: `${holder.toLowerCase()}.certdesk-share`, text: readFileSync(f.share, 'utf8'), passphrase };
  };
  const newFolder = join(folder, 'new');
  mkdirSync(newFolder);
  const reissue = { id: root.id, holders: holders('Alice', 'Dave'), threshold: 2, folder: newFolder };
  assert.deepEqual(await refusalOf(call(api, 'ca.quorumReissue', { ...reissue, shares: [given('Alice')] })), {
    code: 'QUORUM_REQUIRED',
    message: 'CA "Root" needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more officer’s share',
  });
  assert.deepEqual(await refusalOf(call(api, 'ca.quorumReissue', { ...reissue, shares: [given('Alice'), given('Bob', PASS.Carol)] })), {
    code: 'SHARE_BAD_PASSPHRASE',
    message: 'wrong passphrase for the share of "Bob" (bob.certdesk-share), or the file was altered: it does not open (nothing was signed)',
  });
  assert.deepEqual(readdirSync(newFolder), [], 'no refusal wrote a file');
  const again = await call(api, 'ca.quorumReissue', { ...reissue, shares: [given('Alice'), given('Carol')] });
  assert.deepEqual([again.k, again.n, again.holders], [2, 2, ['Alice', 'Dave']]);
  assert.notEqual(again.splitId, set.splitId);
  assert.equal(readdirSync(newFolder).length, 4);
  assertNoSecret('ca.quorumReissue answer', again, secrets);
  const reissued = (await auditAll(api)).filter((a) => a.action === 'ca.quorum-reissue');
  assert.equal(reissued.length, 1);
  assert.deepEqual((reissued[0]!.details as { authorisedBy: string[] }).authorisedBy, ['Alice', 'Carol']);
  assertNoSecret('the audit log', await auditAll(api), [...secrets, ...shareBodies(again.files)]);

  // The old split no longer opens the CA; the new one does.
  assert.equal((await refusalOf(call(api, 'ca.presentShares', { ca: 'Root', shares: [given('Alice'), given('Bob')] }))).code, 'SHARE_REJECTED');
  const unlocked = await call(api, 'ca.presentShares', { ca: 'Root', shares: [given('Alice', PASS.Alice, again.files), given('Dave', PASS.Dave, again.files)] });
  assert.deepEqual(unlocked, { ca: 'Root', holders: ['Alice', 'Dave'], k: 2, n: 2 });
});

test('vault.backup with shares, vault.restore with K share files: refusals write nothing; the new vault opens with its new passphrase', { timeout: 180_000 }, async (t) => {
  const { api, dir, session } = newService(t, { grantDir: false });
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  await call(api, 'ca.create', { name: 'Root', subject: 'CN=Backup Shares Root', keyType: 'ec-p256' });
  const folder = join(dir, 'officers');
  mkdirSync(folder);
  const backup = join(dir, 'vault.certdesk-backup');
  session.grants.grantFile(backup);
  const shares = { holders: holders('Alice', 'Bob', 'Carol'), threshold: 2, folder };
  assert.equal((await refusalOf(call(api, 'vault.backup', { passphrase: PASSPHRASE, file: backup, shares }))).code, 'INVALID_INPUT', 'the shares folder was not chosen');
  assert.equal(existsSync(backup), false);
  session.grants.grantFolder(folder);
  const made = await call(api, 'vault.backup', { passphrase: PASSPHRASE, file: backup, shares });
  assert.ok(made.shares);
  assert.deepEqual([made.shares.k, made.shares.n, made.shares.holders], [2, 3, ['Alice', 'Bob', 'Carol']]);
  assert.deepEqual(made.shares.files.map((f) => f.share), ['alice', 'bob', 'carol'].map((h, i) => join(folder, `vault-backup-share-${i + 1}-of-3-${h}.certdesk-share`)));
  const secrets = [...Object.values(PASS), PASSPHRASE, ...shareBodies(made.shares.files)];
  assertNoSecret('vault.backup answer', made, secrets);
  const audit = (await auditAll(api)).filter((a) => a.action === 'vault.backup');
  assert.equal(audit.length, 1);
  assertNoSecret('the audit log', await auditAll(api), secrets);
  // A second backup, whose shares do not open the first.
  const other = join(dir, 'other.certdesk-backup');
  session.grants.grantFile(other);
  const otherFolder = join(folder, 'other');
  mkdirSync(otherFolder);
  session.grants.grantFolder(otherFolder);
  const otherMade = await call(api, 'vault.backup', { passphrase: PASSPHRASE, file: other, shares: { ...shares, folder: otherFolder } });
  await call(api, 'vault.lock', {});

  const shareOf = (holder: string, passphrase = PASS[holder]!, files = made.shares!.files) => ({ file: files.find((f) => f.holder === holder)!.share, passphrase });
  const target = join(dir, 'restored.certdesk');
  session.grants.grantFile(target);
  session.reads.grantFile(backup);
  const request = { file: backup, vault: target, shares: [shareOf('Alice'), shareOf('Carol')], newPassphrase: NEW_PASSPHRASE };
  // The share files were not picked in an open dialog.
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', request)), {
    code: 'INVALID_INPUT',
    message: `shares[0].file: ${made.shares.files[0]!.share} was not picked in an open dialog this session; choose the file with its Choose… button`,
  });
  for (const f of [...made.shares.files, ...otherMade.shares!.files]) session.reads.grantFile(f.share);
  // The passphrase and the shares together, or shares without a new passphrase: refused by the schema.
  assert.equal((await refusalOf(call(api, 'vault.restore', { ...request, passphrase: PASSPHRASE }))).code, 'INVALID_INPUT');
  assert.equal((await refusalOf(call(api, 'vault.restore', { file: backup, vault: target, shares: request.shares }))).code, 'INVALID_INPUT');

  const before = readdirSync(dir).sort();
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', { ...request, shares: [shareOf('Alice')] })), {
    code: 'QUORUM_REQUIRED',
    message: `The backup ${backup} needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more officer’s share`,
  });
  const wrong = await refusalOf(call(api, 'vault.restore', { ...request, shares: [shareOf('Alice'), shareOf('Carol', PASS.Bob)] }));
  assert.equal(wrong.code, 'SHARE_BAD_PASSPHRASE');
  assert.match(wrong.message, /"Carol"/);
  const another = await refusalOf(call(api, 'vault.restore', { ...request, shares: [shareOf('Alice'), shareOf('Carol', PASS.Carol, otherMade.shares!.files)] }));
  assert.equal(another.code, 'SHARE_REJECTED');
  assert.match(another.message, /is a share of another backup/);
  const weak = await refusalOf(call(api, 'vault.restore', { ...request, newPassphrase: 'short' }));
  assert.equal(weak.code, 'INVALID_INPUT');
  assert.deepEqual(readdirSync(dir).sort(), before, 'no refusal wrote anything');
  assertNoSecret('the refusals', [wrong, another, weak], secrets);

  const restored = await call(api, 'vault.restore', request);
  assert.deepEqual([restored.vault, restored.holders, restored.counts], [target, ['Alice', 'Carol'], made.counts]);
  assertNoSecret('vault.restore answer', restored, [...secrets, NEW_PASSPHRASE]);
  await call(api, 'vault.open', { path: target });
  assert.equal((await refusalOf(call(api, 'vault.unlock', { passphrase: PASSPHRASE }))).code, 'VAULT_WRONG_PASSPHRASE', 'the old passphrase no longer opens it');
  await call(api, 'vault.unlock', { passphrase: NEW_PASSPHRASE });
  assert.deepEqual((await call(api, 'ca.list', {})).map((c) => c.name), ['Root']);
  assert.equal((await call(api, 'audit.verify', {})).ok, true);
  const restoreAudit = (await auditAll(api)).filter((a) => a.action === 'vault.restore');
  assert.equal(restoreAudit.length, 1);
  assertNoSecret('the restored audit log', await auditAll(api), [...secrets, NEW_PASSPHRASE]);
});
