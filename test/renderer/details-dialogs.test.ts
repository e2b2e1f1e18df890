// Issue 14 part A in Chromium through the harness (the real main process, the real page): after Renew with
// "revoke the old one" the details panel shows the old certificate revoked with Renew and Revoke off (as the
// table does); the revoke dialog names the certificate and holder, offers the end-entity reasons in plain words
// with the RFC term, says what the choice means, and a hold is released from the panel; Settings refuses an empty
// auto-lock beside the field (nothing sent) and warns on 0. (One harness per process: first run is in first-run-passphrase.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { shortThumb } from '../../renderer/src/state/format.js';
import { startHarness } from '../harness/server.js';
import { launchChromium, seriousA11yViolations } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'details dialogs passphrase';

test('details panel, revoke dialog and auto-lock field in the window', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Panel CA', subject: 'CN=Panel CA', keyType: 'ec-p256' });
  const issue = async (name: string) => (await issueCertificate(vault, { ca: 'Panel CA', profile: 'user', name, sans: [{ type: 'email', value: `${name.split(' ')[0]!.toLowerCase()}@example.com` }], keyType: 'ec-p256' })).record;
  await issue('Olga Renew');
  const hanna = await issue('Hanna Hold');
  vault.close();

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Certificates', exact: true }).click();

  // Renew with "revoke the old one": the panel shows the old certificate as the renew answer has it.
  await page.getByRole('row', { name: /Olga Renew/ }).click();
  const olga = page.getByRole('complementary', { name: 'Olga Renew' });
  await olga.getByRole('button', { name: 'Renew…' }).click();
  const renew = page.getByRole('dialog', { name: 'Renew' });
  assert.equal(await renew.getByLabel('Revoke the old certificate as superseded').isChecked(), true);
  await renew.getByRole('button', { name: 'Choose…' }).click();
  await renew.getByRole('button', { name: 'Renew and export' }).click();
  await page.getByRole('button', { name: 'Done — forget the password' }).click();
  await olga.locator('dt', { hasText: 'Status' }).waitFor();
  await olga.getByText('(Replaced by a new certificate (superseded),').waitFor();
  assert.equal(await olga.getByRole('button', { name: 'Renew…' }).isDisabled(), true);
  assert.equal(await olga.getByRole('button', { name: 'Revoke…' }).isDisabled(), true);
  assert.equal(await olga.getByRole('button', { name: 'Export bundle…' }).isDisabled(), true);
  assert.equal(harness.traffic.requests('cert.get').length, 1, 'the panel re-rendered from the renew answer, not a second cert.get');

  // The revoke dialog: names the certificate and holder, the end-entity reasons, what the choice means.
  await page.getByRole('row', { name: /Hanna Hold/ }).click();
  const hold = page.getByRole('complementary', { name: 'Hanna Hold' });
  await hold.getByRole('button', { name: 'Revoke…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke' });
  assert.equal(await dialog.getByTestId('revoke-target').textContent(), `Certificate ${hanna.id} of Hanna Hold, issued by Panel CA (serial ${hanna.serial}, SHA-256 ${shortThumb(hanna.sha256)}).`);
  assert.deepEqual(await dialog.getByLabel('Reason').locator('option').allTextContents(), [
    'Key compromised (keyCompromise)',
    'Replaced by a new certificate (superseded)',
    'Holder left or changed role (affiliationChanged)',
    'No longer needed (cessationOfOperation)',
    'Rights withdrawn (privilegeWithdrawn)',
    'On hold: can be released (certificateHold)',
    'No reason given (unspecified)',
  ]);
  await dialog.getByRole('note').filter({ hasText: 'Revocation is permanent: the certificate can never be made valid again.' }).waitFor();
  assert.deepEqual(await seriousA11yViolations(page), []);
  await dialog.getByLabel('Reason').selectOption('certificateHold');
  await dialog.getByRole('note').filter({ hasText: 'until the hold is released' }).waitFor();
  await dialog.getByRole('button', { name: 'Put on hold' }).click();
  await hold.getByText('(On hold: can be released (certificateHold),').waitFor();
  assert.equal(await hold.getByRole('button', { name: 'Renew…' }).isDisabled(), true);
  await hold.getByRole('button', { name: 'Release hold' }).click();
  await hold.getByText('Released from hold: valid again. Publish new CRLs so it leaves the list.').waitFor();
  assert.equal(await hold.getByRole('button', { name: 'Revoke…' }).isDisabled(), false);
  assert.equal(await hold.getByRole('button', { name: 'Release hold' }).count(), 0);
  assert.equal(harness.traffic.requests('cert.unhold').length, 1);

  // Auto-lock: empty is a problem beside the field and nothing is sent; 0 is "never" with a warning.
  await nav.getByRole('button', { name: 'Settings', exact: true }).click();
  const minutes = page.getByLabel('Lock the vault after (minutes without use; 0: never)');
  await minutes.fill('');
  const autoLock = page.locator('section[aria-labelledby="lock-title"]');
  await autoLock.getByRole('button', { name: 'Save' }).click();
  const field = page.locator('.field.has-problem', { has: minutes });
  await field.waitFor();
  assert.equal(await field.locator('.problem').textContent(), 'Enter minutes, or 0 for never.');
  assert.equal(harness.traffic.requests('settings.update').length, 0, 'an empty field is never sent as 0');
  await minutes.fill('0');
  await page.getByText('Never: the vault stays unlocked until you lock it, so anyone at this computer can sign with your CAs’ keys.').waitFor();
  assert.deepEqual(await seriousA11yViolations(page), []);
  await autoLock.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Auto-lock is off: the vault locks only when you lock it.').waitFor();
  assert.equal(harness.traffic.requests('settings.update').length, 1);
});
