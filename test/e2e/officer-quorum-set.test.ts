// Two-officer control set from the app (issue 15), in Chromium through the harness (the real main process, the
// real page): the CA panel puts a root under 2-of-3 control ("Put under two-officer control…": names, passphrases
// typed twice, a mismatch said on the field and the button, the folder from the folder dialog); the share files
// are written there, the panel reloads, and two of the written files then sign an intermediate under the root.
// axe finds no serious or critical violation on the dialog.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, assertNoSeriousA11y, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { fillOfficers, OFFICER_PASS as PASS, OFFICER_VAULT_PASSPHRASE as PASSPHRASE, unlockAndGo } from '../helpers/officer-forms.js';
import { tempDir } from '../helpers/tmp.js';

test('the CA panel puts a root under 2-of-3 control; two of the written share files then sign under it', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Root', subject: 'CN=Officer Splits Root', keyType: 'ec-p256' });
  vault.close();
  const sticks = join(work, 'sticks');
  mkdirSync(sticks);

  const pageErrors: string[] = [];
  const harness = await startHarness({ vaultPath, workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  await unlockAndGo(page, 'Certificate authorities');
  await page.getByRole('rowheader', { name: 'Root' }).getByRole('button', { name: 'Root' }).click();
  const panel = page.getByRole('complementary', { name: 'Root' });
  await panel.getByTestId('ca-quorum').filter({ hasText: /^Off: the vault passphrase alone unlocks this key\./ }).waitFor();
  await panel.getByRole('button', { name: 'Put under two-officer control…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Put CA “Root” under two-officer control' });
  await dialog.waitFor();
  const submit = dialog.getByRole('button', { name: 'Put under control and write the shares' });
  assert.equal(await submit.isDisabled(), true);
  await assertNoSeriousA11y(page, 'put under two-officer control dialog');

  await fillOfficers(dialog);
  // Bob's second entry differs: said on the field and in the button's reasons.
  await dialog.getByLabel('Bob’s share passphrase again', { exact: true }).fill(`${PASS.Bob}x`);
  await dialog.getByText('The two entries differ.').waitFor();
  await until(async () => (await dialog.getByTestId('why-disabled').textContent())?.includes('Bob’s two passphrase entries differ.') ?? false);
  await dialog.getByLabel('Bob’s share passphrase again', { exact: true }).fill(PASS.Bob!);
  harness.answer('chooseFolder', sticks);
  await dialog.getByRole('button', { name: 'Choose…' }).click();
  await until(async () => (await dialog.getByLabel('Folder for the share files').inputValue()) === sticks);
  await assertNoSeriousA11y(page, 'put under two-officer control dialog, filled');
  assert.equal(await submit.isDisabled(), false);
  await submit.click();

  await dialog.getByText('CA “Root” is under 2-of-3 control. Give each officer their own share file or sheet, then delete them here:').waitFor();
  const shareOf = (holder: string) => join(sticks, `root-share-${['Alice', 'Bob', 'Carol'].indexOf(holder) + 1}-of-3-${holder.toLowerCase()}.certdesk-share`);
  assert.deepEqual(readdirSync(sticks).sort(), ['alice', 'bob', 'carol'].flatMap((h, i) => [`root-share-${i + 1}-of-3-${h}.certdesk-share`, `root-share-${i + 1}-of-3-${h}.html`]).sort());
  await dialog.getByTestId('shares-written').getByText(`1. Alice: ${shareOf('Alice')}`, { exact: false }).waitFor();
  const sent = harness.traffic.requests('ca.quorumSet') as { holders: { name: string }[]; threshold: number; folder: string }[];
  assert.equal(sent.length, 1);
  assert.deepEqual([sent[0]!.holders.map((h) => h.name), sent[0]!.threshold, sent[0]!.folder], [['Alice', 'Bob', 'Carol'], 2, sticks]);
  await assertNoSeriousA11y(page, 'put under two-officer control, done');
  await dialog.getByRole('button', { name: 'Done' }).click();
  // The panel reloads: under control, and it offers a re-issue now.
  await panel.getByTestId('ca-quorum-holders').filter({ hasText: /^2 of 3 officers: Alice, Bob, Carol · shares made / }).waitFor();
  await panel.getByRole('button', { name: 'Re-issue the shares…' }).waitFor();

  // Sign under it: an intermediate, with Alice's and Carol's share files as written.
  await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
  const create = page.getByRole('dialog', { name: 'Create an intermediate CA' });
  await create.getByLabel('Name in CertDesk').fill('Issuing CA');
  await create.getByLabel('Common name (CN)').fill('Officer Splits Issuing CA');
  await create.getByLabel('Key', { exact: true }).selectOption('ec-p256');
  await create.getByRole('button', { name: 'Create intermediate CA' }).click();
  const unlock = page.getByRole('dialog', { name: 'CA “Root” needs 2 of 3 officers' });
  await unlock.waitFor();
  for (const [i, holder] of ['Alice', 'Carol'].entries()) {
    const group = unlock.getByRole('group', { name: `Share ${i + 1}` });
    await group.getByLabel('Share file').setInputFiles(shareOf(holder));
    await group.getByLabel('Share passphrase').fill(PASS[holder]!);
  }
  await unlock.getByRole('button', { name: 'Unlock and continue' }).click();
  await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();
  await panel.getByTestId('ca-quorum-state').filter({ hasText: 'Unlocked now with the shares of Alice and Carol, until the vault locks.' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
