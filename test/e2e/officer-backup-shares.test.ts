// Backup shares in the app (issue 15), in Chromium through the harness: Settings → Backups backs up with officers'
// shares (the folder from the folder dialog; the files listed, the passphrases cleared); the restore dialog
// restores that backup from two share files picked in the open dialog (a wrong share passphrase refused in the
// dialog, naming the holder, nothing written) with a new passphrase, which then opens the restored vault. axe
// finds no serious or critical violation on the forms.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, assertNoSeriousA11y, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { fillOfficers, OFFICER_PASS as PASS, OFFICER_VAULT_PASSPHRASE as PASSPHRASE, unlockAndGo } from '../helpers/officer-forms.js';
import { tempDir } from '../helpers/tmp.js';

const NEW_PASSPHRASE = 'restored vault pelican granite 58';

test('Settings backs up with officers’ shares; the restore dialog restores from two share files with a new passphrase', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Backed-up Root', subject: 'CN=Officer Backup Shares Root', keyType: 'ec-p256' });
  vault.close();
  const officers = join(work, 'officers');
  mkdirSync(officers);
  const backup = join(work, 'vault.certdesk-backup');
  const target = join(work, 'restored.certdesk');

  const pageErrors: string[] = [];
  const harness = await startHarness({ vaultPath, workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  await unlockAndGo(page, 'Settings');
  const section = page.getByRole('region', { name: 'Backups' });
  harness.answer('saveFile', backup);
  await section.getByRole('button', { name: 'Choose…' }).first().click();
  await until(async () => (await section.getByLabel('Backup file').inputValue()) === backup);
  await section.getByLabel('Vault passphrase (encrypts the backup)').fill(PASSPHRASE);
  await section.getByLabel('Also allow restore with K of N officers’ shares').check();
  await fillOfficers(section);
  harness.answer('chooseFolder', officers);
  await section.getByRole('button', { name: 'Choose…' }).nth(1).click();
  await until(async () => (await section.getByLabel('Folder for the share files').inputValue()) === officers);
  await assertNoSeriousA11y(page, 'backup with officers’ shares');
  await section.getByRole('button', { name: 'Back up now' }).click();
  await section.getByText(/^Backed up to .+ and verified\. It also restores with any 2 of the 3 officers’ backup shares/).waitFor();
  const shareOf = (holder: string) => join(officers, `vault-backup-share-${['Alice', 'Bob', 'Carol'].indexOf(holder) + 1}-of-3-${holder.toLowerCase()}.certdesk-share`);
  for (const h of ['Alice', 'Bob', 'Carol']) assert.ok(existsSync(shareOf(h)), `${h}'s share file`);
  await section.getByTestId('shares-written').getByText(`3. Carol: ${shareOf('Carol')}`, { exact: false }).waitFor();
  assert.equal(await section.getByRole('group', { name: 'Officer 1' }).getByLabel('Alice’s share passphrase', { exact: true }).inputValue(), '', 'passphrases cleared');

  // Restore it with Alice's and Carol's shares (the backup's vault passphrase forgotten).
  await section.getByRole('button', { name: 'Restore a backup…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore a backup' });
  harness.answer('openFile', backup);
  await dialog.getByRole('button', { name: 'Choose…' }).nth(0).click();
  await until(async () => (await dialog.getByLabel('Backup file').inputValue()) === backup);
  harness.answer('saveFile', target);
  await dialog.getByRole('button', { name: 'Choose…' }).nth(1).click();
  await until(async () => (await dialog.getByLabel('New vault file').inputValue()) === target);
  await dialog.getByLabel('Restore with officers’ shares instead of the passphrase').check();
  assert.equal(await dialog.getByLabel('The backup’s vault passphrase').count(), 0, 'the passphrase is not asked');
  for (const [i, holder] of ['Alice', 'Carol'].entries()) {
    const group = dialog.getByRole('group', { name: `Backup share ${i + 1}` });
    harness.answer('openFile', shareOf(holder));
    await group.getByRole('button', { name: 'Choose…' }).click();
    await until(async () => (await group.getByLabel('Share file').inputValue()) === shareOf(holder));
    await group.getByLabel('Share passphrase').fill(holder === 'Carol' ? PASS.Bob! : PASS[holder]!);
  }
  await dialog.getByLabel('The restored vault’s new passphrase').fill(NEW_PASSPHRASE);
  await dialog.getByLabel('The new passphrase again').fill(NEW_PASSPHRASE);
  await assertNoSeriousA11y(page, 'restore with officers’ shares');
  const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
  await restore.click();
  // Carol's share with Bob's passphrase: refused in the dialog, naming her; nothing written; the passphrases cleared.
  await dialog.getByRole('alert').filter({ hasText: /wrong passphrase for the share of "Carol"/ }).waitFor();
  assert.equal(existsSync(target), false);
  assert.equal(await dialog.getByRole('group', { name: 'Backup share 1' }).getByLabel('Share passphrase').inputValue(), '');
  await assertNoSeriousA11y(page, 'restore with a refused share');

  for (const [i, holder] of ['Alice', 'Carol'].entries()) await dialog.getByRole('group', { name: `Backup share ${i + 1}` }).getByLabel('Share passphrase').fill(PASS[holder]!);
  await restore.click();
  await dialog.getByText(/^Restored the backup taken .+ with the backup shares of Alice, Carol into the new vault .+ It unlocks with the new passphrase you set\.$/).waitFor();
  assert.ok(existsSync(target));
  const sent = harness.traffic.requests('vault.restore') as { shares: { file: string }[]; passphrase?: string }[];
  assert.deepEqual(sent.at(-1)!.shares.map((s) => s.file), [shareOf('Alice'), shareOf('Carol')]);
  assert.equal(sent.at(-1)!.passphrase, undefined);
  assert.ok(!readFileSync(target).includes(Buffer.from(NEW_PASSPHRASE)), 'the new passphrase is not in the vault file');

  await dialog.getByRole('button', { name: 'Open the restored vault' }).click();
  await page.getByText(target, { exact: true }).waitFor();
  // Unlocked, the window returns to the screen it was on (Settings), not the dashboard.
  await page.getByLabel('Passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificate authorities', exact: true }).click();
  await page.getByRole('rowheader', { name: 'Backed-up Root' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
