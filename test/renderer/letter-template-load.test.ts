// The Settings screen's hand-over letter template and auto-lock minutes in Chromium through the harness (the real main
// process and page): while settings.get has not answered, neither field can be edited (nor the minutes saved), so
// nothing typed is replaced when the saved values arrive (a race the end-to-end desktop test met on a loaded machine
// for the template, and details-dialogs for the minutes); once they have, typing works and an unknown placeholder
// is named. A failed load leaves the minutes editable, beside the error.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'letter template passphrase';

test('the letter template and auto-lock minutes are read-only until the saved ones arrive, then edits stay and are checked', { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  (await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } })).close();

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();

  harness.traffic.hold('settings.get');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  const field = page.getByLabel('Template');
  await field.waitFor();
  assert.equal(await field.isEditable(), false, 'read-only while the saved template is on its way');
  assert.equal(await field.inputValue(), '');
  const minutes = page.getByLabel('Lock the vault after (minutes without use; 0: never)');
  const autoLock = page.locator('section[aria-labelledby="lock-title"]');
  assert.equal(await minutes.isEditable(), false, 'the minutes are read-only while the saved value is on its way');
  assert.equal(await autoLock.getByRole('button', { name: 'Save' }).isDisabled(), true, 'nothing to save before the saved value is in');

  harness.traffic.release('settings.get');
  await page.waitForFunction(() => {
    const input = (globalThis as unknown as { document: { querySelector(s: string): { value: string; readOnly: boolean } | null } }).document.querySelector('section[aria-labelledby="lock-title"] input');
    return input !== null && !input.readOnly && input.value !== '';
  });
  await minutes.fill('45');
  assert.equal(await minutes.inputValue(), '45', 'typed minutes stay');
  assert.equal(await autoLock.getByRole('button', { name: 'Save' }).isDisabled(), false);

  await page.waitForFunction(() => {
    const area = (globalThis as unknown as { document: { getElementById(id: string): { value: string; readOnly: boolean } | null } }).document.getElementById('letter-template');
    return area !== null && !area.readOnly && area.value.includes('$ClientCertPwd');
  });
  await field.fill('Dear $HolderName, your password is $ClientCertPwd. $Bogus');
  await page.getByRole('alert').filter({ hasText: '$Bogus' }).waitFor();
  assert.equal(await field.inputValue(), 'Dear $HolderName, your password is $ClientCertPwd. $Bogus', 'what was typed stays');

  // A load that fails leaves the minutes empty and editable, the error beside them: the officer can still set them.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Certificates', exact: true }).click();
  harness.traffic.fail('settings.get', 'transient disk error');
  await nav.getByRole('button', { name: 'Settings', exact: true }).click();
  await autoLock.getByText('transient disk error').waitFor();
  assert.equal(await minutes.isEditable(), true, 'editable after a failed load');
  assert.equal(await autoLock.getByRole('button', { name: 'Save' }).isDisabled(), false);
  harness.traffic.fail('settings.get', null);
});
