// Restore in the app (issue 15), in Chromium through the harness: from the unlock screen, the backup picked in
// main's open dialog, an existing target refused with the engine's message (the file untouched, the passphrase
// cleared), then a new file; the restored vault opens and unlocks with the backup's passphrase and holds its CA;
// Settings → Backups offers the same. axe finds no serious or critical violation on the dialog.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBackup } from '../../electron/core/backup/create-backup.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, assertNoSeriousA11y, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'officer restore vault passphrase';

test('restore in the app: from the unlock screen, an existing file refused, the restored vault opened and unlocked', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Restored Root', subject: 'CN=Officer Restore Root', keyType: 'ec-p256' });
  const backup = join(work, 'stick', 'vault.certdesk-backup');
  mkdirSync(join(work, 'stick'));
  await createBackup(vault, PASSPHRASE, backup);
  vault.close();
  const existing = join(work, 'taken.certdesk');
  writeFileSync(existing, 'an unrelated file');
  const target = join(work, 'restored.certdesk');

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByRole('heading', { name: 'CertDesk is locked' }).waitFor();
  await page.getByRole('button', { name: 'Restore from a backup…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore a backup' });
  const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
  assert.equal(await restore.isDisabled(), true);

  harness.answer('openFile', backup);
  await dialog.getByRole('button', { name: 'Choose…' }).first().click();
  await until(async () => (await dialog.getByLabel('Backup file').inputValue()) === backup);
  harness.answer('saveFile', existing);
  await dialog.getByRole('button', { name: 'Choose…' }).nth(1).click();
  await until(async () => (await dialog.getByLabel('New vault file').inputValue()) === existing);
  await dialog.getByLabel('The backup’s vault passphrase').fill(PASSPHRASE);
  await assertNoSeriousA11y(page, 'restore dialog');
  await restore.click();
  await dialog.getByText(`a file already exists at ${existing}: restore never writes over a vault or any other file; name a new vault file`).waitFor();
  assert.equal(readFileSync(existing, 'utf8'), 'an unrelated file');
  assert.equal(await dialog.getByLabel('The backup’s vault passphrase').inputValue(), '', 'the passphrase is cleared after use');
  assert.deepEqual(harness.record.dialogs, ['openFile', 'saveFile']);

  harness.answer('saveFile', target);
  await dialog.getByRole('button', { name: 'Choose…' }).nth(1).click();
  await until(async () => (await dialog.getByLabel('New vault file').inputValue()) === target);
  await dialog.getByLabel('The backup’s vault passphrase').fill(PASSPHRASE);
  await restore.click();
  await dialog.getByText(new RegExp(`^Restored the backup taken .+ into the new vault ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1 CA, 0 certificates; verified \\(\\d+ records checked\\)\\. It unlocks with the backup’s vault passphrase\\.$`)).waitFor();
  assert.ok(existsSync(target));
  await assertNoSeriousA11y(page, 'restore dialog, done');
  assert.equal((await harness.status()).vaultPath, vaultPath, 'the open vault is not changed by restoring');

  await dialog.getByRole('button', { name: 'Open the restored vault' }).click();
  await page.getByText(target, { exact: true }).waitFor();
  assert.equal((await harness.status()).vaultPath, target);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificate authorities', exact: true }).click();
  await page.getByRole('rowheader', { name: 'Restored Root' }).waitFor();

  // Settings → Backups offers the same.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('region', { name: 'Backups' }).getByRole('button', { name: 'Restore a backup…' }).click();
  await page.getByRole('dialog', { name: 'Restore a backup' }).getByLabel('Backup file').waitFor();
});
