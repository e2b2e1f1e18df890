// Settings → Backups in Chromium through the harness (the real main process, the real page): the dashboard's
// reminder leading to Settings, the reminder there while no backup exists, "Back up now" to the file the save dialog answered (a wrong passphrase refused with its
// message, nothing written), the verified backup shown and the reminder gone; the file verifies.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyBackupFile } from '../../electron/core/backup/verify-backup.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, until } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'backup screen passphrase';

test('Settings → Backups: reminder, back up to the chosen file (wrong passphrase refused), verified backup shown, dashboard reminder gone', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'CA', subject: 'CN=Backup Screen CA', keyType: 'ec-p256' });
  vault.close();

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  // The dashboard reminds, and leads to Settings → Backups.
  const reminder = page.getByTestId('backup-reminder');
  await reminder.waitFor();
  assert.equal(await reminder.textContent(), 'Back up the vault: no verified backup of this vault yet. Backups in Settings');
  await reminder.getByRole('button', { name: 'Backups in Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const section = page.getByRole('region', { name: 'Backups' });
  await section.getByText('Back up the vault: no verified backup of this vault yet.').waitFor();
  assert.match((await section.getByTestId('backup-last').textContent())!, /^No verified backup of this vault yet\. Last issued certificate: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M\.$/);

  const file = join(work, 'stick.certdesk-backup');
  harness.answer('saveFile', file);
  await section.getByRole('button', { name: 'Choose…' }).click();
  await until(async () => (await section.getByLabel('Backup file').inputValue()) === file); // the dialog's answer arrives asynchronously
  await section.getByLabel('Vault passphrase (encrypts the backup)').fill('not the passphrase');
  await section.getByRole('button', { name: 'Back up now' }).click();
  await section.getByText(`wrong passphrase: it does not open the vault ${vaultPath}`).waitFor();
  assert.equal(existsSync(file), false);

  await section.getByLabel('Vault passphrase (encrypts the backup)').fill(PASSPHRASE);
  await section.getByRole('button', { name: 'Back up now' }).click();
  await section.getByText(new RegExp(`^Backed up to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes: 1 CA, 0 certificates\\) and verified\\.$`)).waitFor();
  const last = (await section.getByTestId('backup-last').textContent())!;
  assert.match(last, new RegExp(`^Last verified backup: [^(]+ \\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\.`));
  assert.doesNotMatch(last, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'dates in the user\'s locale, not raw ISO 8601');
  assert.equal(await section.getByText('Back up the vault:').count(), 0, 'the reminder is gone');
  assert.equal(await section.getByLabel('Vault passphrase (encrypts the backup)').inputValue(), '', 'the passphrase is not kept in the form');
  assert.equal((await verifyBackupFile(file, PASSPHRASE)).verification.ok, true);
  assert.equal(harness.traffic.requests('vault.backup').length, 2);

  // Back on the dashboard, no reminder: the backup is verified and no certificate was issued since. Checked once the
  // dashboard's own status call has been answered and a frame rendered.
  const asked = harness.traffic.requests('vault.backupStatus').length;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('list', { name: 'Certificates by status' }).waitFor();
  await until(() => harness.traffic.requests('vault.backupStatus').length > asked && harness.traffic.outstanding('vault.backupStatus') === 0);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  assert.equal(await page.getByTestId('backup-reminder').count(), 0);
});
