// Issue 15, two officers to use a root, across a renewal with a new key: the renewal needs the CA's shares, and
// the new CA's key is sealed under the same quorum key in the same split, so the officers' existing shares (of
// the predecessor) control the new CA too; without them it signs nothing. The retired CA still signs its CRLs
// with the same shares.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renewCa } from '../../electron/core/ca/ca-renew.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { generateCrl } from '../../electron/core/issuance/revocation.js';
import { caKeyOf } from '../../electron/core/quorum/ca-key.js';
import { setQuorum } from '../../electron/core/quorum/split.js';
import { quorumStatus } from '../../electron/core/quorum/status.js';
import { unlockQuorum, type ShareInput } from '../../electron/core/quorum/unlock.js';
import { resolveCa } from '../../electron/core/issuance/records.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { certErr, newVault, PASSPHRASE } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

const HOLDERS = ['Alice', 'Bob', 'Carol'];

test('a quorum root renewed with a new key: shares needed for the renewal, the new key sealed under the same split, the same shares sign with both', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Renewed Quorum Root,O=Example', keyType: 'ec-p256', days: 3650, crlUrl: 'http://pki.example.com/root.crl' });
  const split = await setQuorum(vault, 'Root', { holders: HOLDERS, threshold: 2, passphrases: HOLDERS.map((h) => PASS[h]!), out: tempDir(t) });
  const share = (holder: string): ShareInput => {
    const f = split.files.find((x) => x.holder === holder)!;
    return { data: readFileSync(f.share), label: f.share, passphrase: PASS[holder]! };
  };
  const cas = () => (vault.db.prepare('SELECT COUNT(*) AS n FROM cas').get() as { n: number }).n;
  const issue = (ca: string, name: string) => issueCertificate(vault, { ca, profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com` }], keyType: 'ec-p256', days: 30 });
  const relock = async () => {
    vault.lock();
    await vault.unlock(PASSPHRASE);
  };

  // Without the shares: refused, nothing changed.
  await assert.rejects(renewCa(vault, 'Root', { newKey: true, name: 'Root 2', crlUrl: 'http://pki.example.com/root2.crl' }), certErr('QUORUM_REQUIRED', 'CA "Root" is under 2-of-3 control: give 2 shares with --share FILE'));
  assert.equal(cas(), 1);

  await unlockQuorum(vault, 'Root', [share('Alice'), share('Bob')]);
  const renewed = await renewCa(vault, 'Root', { newKey: true, name: 'Root 2', crlUrl: 'http://pki.example.com/root2.crl' });
  assert.equal(renewed.ca.name, 'Root 2');
  const status = quorumStatus(vault, 'Root 2');
  assert.deepEqual([status.underQuorum, status.k, status.n, status.holders, status.splitId], [true, 2, 3, HOLDERS, split.splitId]);
  assert.deepEqual(status.unlockedBy, ['Alice', 'Bob'], 'unlocked in this session: the renewal was made with the shares');
  const env = caKeyOf(vault, resolveCa(vault, 'Root 2')).envelope!;
  assert.deepEqual(env.header.sharesOf, { caId: resolveCa(vault, 'Root').id, spkiSha256: caKeyOf(vault, resolveCa(vault, 'Root')).spkiSha256 });
  await issue('Root 2', 'Same Session');
  const entry = listAudit(vault.db, { action: 'ca.renew' }).at(-1)!;
  assert.deepEqual(entry.details.quorum, { k: 2, n: 3, holders: HOLDERS, splitId: split.splitId, holdersPresent: ['Alice', 'Bob'] });

  // A new session: the new CA signs nothing without shares.
  await relock();
  await assert.rejects(issue('Root 2', 'No Shares'), certErr('QUORUM_REQUIRED', 'CA "Root 2" is under 2-of-3 control: give 2 shares with --share FILE'));
  // The officers' existing shares, named for the new CA: it signs; and the retired one's CRL too in the same session.
  await unlockQuorum(vault, 'Root 2', [share('Carol'), share('Alice')]);
  await issue('Root 2', 'Named Unlock');
  await generateCrl(vault, 'Root');

  // As the CLI's --share does (no CA named): the shares unlock the CA and its successor together.
  await relock();
  const unlocked = await unlockQuorum(vault, null, [share('Bob'), share('Carol')]);
  assert.equal(unlocked.ca.name, 'Root');
  await issue('Root 2', 'Unnamed Unlock');
  await generateCrl(vault, 'Root 2');
  await generateCrl(vault, 'Root');
  assert.equal(verifyVault(vault).ok, true);
  const uses = listAudit(vault.db, { action: 'ca.quorum-use' }).map((e) => [e.details.ca, e.details.holders]);
  assert.deepEqual(uses.slice(0, 4), [
    ['Root', ['Bob', 'Carol']],
    ['Root 2', ['Bob', 'Carol']],
    ['Root 2', ['Bob', 'Carol']],
    ['Root', ['Alice', 'Carol']],
  ]);
});
