// Two-officer control in the app (issue 15), in Chromium through the harness (the real main process, the real
// page): the CA panel shows the root's K-of-N state; creating an intermediate under it opens "CA “Root” needs 2 of
// 3 officers"; cancelling says nothing was signed; one share is not enough; a wrong passphrase shows on the share
// it concerns; every attempt clears the passphrases; two good shares (one a picked file, one pasted text) unlock
// the root and the intermediate is created by the same request made again; the panel then says who unlocked it
// and used it. axe finds no serious or critical violation on the panel and the dialog.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { setQuorum } from '../../electron/core/quorum/split.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, assertNoSeriousA11y, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

const PASSPHRASE = 'officer controls vault passphrase';

test('two-officer control in the app: the panel, the shares dialog (cancel, too few, wrong passphrase), then the action done', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Root', subject: 'CN=Officer Quorum Root', keyType: 'ec-p256' });
  mkdirSync(join(work, 'shares'));
  const split = await setQuorum(vault, 'Root', { holders: ['Alice', 'Bob', 'Carol'], threshold: 2, passphrases: [PASS.Alice!, PASS.Bob!, PASS.Carol!], out: join(work, 'shares') });
  vault.close();
  const shareFile = (holder: string) => split.files.find((f) => f.holder === holder)!.share;

  const pageErrors: string[] = [];
  const harness = await startHarness({ vaultPath, workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificate authorities', exact: true }).click();

  // The panel: under 2-of-3 control, locked.
  await page.getByRole('rowheader', { name: 'Root' }).getByRole('button', { name: 'Root' }).click();
  const panel = page.getByRole('complementary', { name: 'Root' });
  await panel.getByTestId('ca-quorum-holders').filter({ hasText: /^2 of 3 officers: Alice, Bob, Carol · shares made / }).waitFor();
  assert.equal(await panel.getByTestId('ca-quorum-state').textContent(), 'Locked: signing with it asks for 2 officers’ shares.');
  assert.equal(await panel.getByTestId('ca-quorum-uses').textContent(), 'Not used since its shares were made.');
  await panel.getByText('up to 1 share can be lost without losing it').waitFor();
  await assertNoSeriousA11y(page, 'CA panel with two-officer control');

  // Create an intermediate under it: the shares dialog opens. Cancelled: nothing signed, said in the window's words.
  const createIntermediate = async () => {
    await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
    const d = page.getByRole('dialog', { name: 'Create an intermediate CA' });
    await d.getByLabel('Name in CertDesk').fill('Issuing CA');
    await d.getByLabel('Common name (CN)').fill('Officer Issuing CA');
    await d.getByLabel('Key', { exact: true }).selectOption('ec-p256');
    await d.getByRole('button', { name: 'Create intermediate CA' }).click();
    return d;
  };
  const create = await createIntermediate();
  const unlock = page.getByRole('dialog', { name: 'CA “Root” needs 2 of 3 officers' });
  await unlock.waitFor();
  assert.equal(await unlock.getByRole('group').count(), 2, 'one row per officer needed');
  await unlock.getByRole('button', { name: 'Cancel' }).click();
  await create.getByText('Not signed: CA “Root” signs only with the shares of 2 of its 3 officers, and they were not given.').waitFor();
  assert.equal(harness.traffic.requests('ca.create').length, 1);

  await create.getByRole('button', { name: 'Create intermediate CA' }).click();
  await unlock.waitFor();
  const share1 = unlock.getByRole('group', { name: 'Share 1' });
  const share2 = unlock.getByRole('group', { name: 'Share 2' });
  const submit = unlock.getByRole('button', { name: 'Unlock and continue' });
  assert.equal(await submit.isDisabled(), true);
  assert.equal(await unlock.getByTestId('why-disabled').textContent(), 'Add a share: pick its file or paste its text, and type its passphrase.');
  await assertNoSeriousA11y(page, 'shares dialog');

  // One share is not enough.
  await share1.getByLabel('Share file').setInputFiles(shareFile('Alice'));
  await share1.getByText('Loaded: root-share-1-of-3-alice.certdesk-share').waitFor();
  assert.equal(await unlock.getByTestId('why-disabled').textContent(), 'Share 1 needs its passphrase.');
  await share1.getByLabel('Share passphrase').fill(PASS.Alice!);
  await submit.click();
  await unlock.getByText('CA "Root" needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more officer’s share').waitFor();
  assert.equal(await share1.getByLabel('Share passphrase').inputValue(), '', 'the passphrase is cleared after use');

  // Bob's share pasted, with Carol's passphrase: refused on share 2, naming Bob.
  await share1.getByLabel('Share passphrase').fill(PASS.Alice!);
  await share2.getByLabel('or the share’s text, pasted').fill(readFileSync(shareFile('Bob'), 'utf8'));
  await share2.getByLabel('Share passphrase').fill(PASS.Carol!);
  await submit.click();
  await share2.getByRole('alert').filter({ hasText: 'wrong passphrase for the share of "Bob" (pasted share 2), or the file was altered: it does not open (nothing was signed)' }).waitFor();
  assert.equal(await share1.getByRole('alert').count(), 0, 'share 1 is fine');
  assert.deepEqual([await share1.getByLabel('Share passphrase').inputValue(), await share2.getByLabel('Share passphrase').inputValue()], ['', '']);
  await assertNoSeriousA11y(page, 'shares dialog with a refused share');
  assert.equal(harness.traffic.requests('ca.create').length, 2, 'nothing was made again yet');

  // The right passphrases: the root unlocks and the intermediate is created by the same request, made again.
  await share1.getByLabel('Share passphrase').fill(PASS.Alice!);
  await share2.getByLabel('Share passphrase').fill(PASS.Bob!);
  await submit.click();
  await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();
  await until(async () => (await unlock.count()) === 0 || !(await unlock.isVisible()));
  assert.equal(await create.isVisible(), false, 'the create dialog closed as after any creation');
  const creates = harness.traffic.requests('ca.create');
  assert.equal(creates.length, 3);
  assert.deepEqual(creates[2], creates[1], 'the same request, made again');
  const presented = harness.traffic.requests('ca.presentShares') as { shares: { passphrase: string }[] }[];
  assert.equal(presented.length, 3);

  await panel.getByTestId('ca-quorum-state').filter({ hasText: 'Unlocked now with the shares of Alice and Bob, until the vault locks.' }).waitFor();
  await panel.getByTestId('ca-quorum-uses').filter({ hasText: /^Last used: .+ \(Alice and Bob\)\.$/ }).waitFor();
  assert.deepEqual(pageErrors, []);
});
