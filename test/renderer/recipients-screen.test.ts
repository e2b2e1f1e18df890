// The Recipients screen in Chromium through the harness (the real main process, the real page): search through
// the full-text index, open a recipient, a bad SID refused by main with the message beside the SID field, a good
// SID saved and shown in the list; and the SID only a certificate carries offered "from certificate".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { updateRecipient } from '../../electron/core/issuance/recipient-directory.js';
import { startHarness } from '../harness/server.js';
import { launchChromium } from '../helpers/browser.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'recipients screen passphrase';
const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const SID2 = 'S-1-5-21-3623811015-3361044348-30300820-1014';

test('Recipients screen: search, edit the SID (error beside the field), store the SID from the certificate', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'CA', subject: 'CN=Recipients CA', keyType: 'ec-p256' });
  await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Alice Example', sans: [{ type: 'upn', value: 'alice@corp.test' }], keyType: 'ec-p256' });
  const bob = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Bob Builder', sans: [{ type: 'upn', value: 'bob@corp.test' }], keyType: 'ec-p256', sid: SID2 });
  updateRecipient(vault, bob.record.recipient!.id, { sid: null });
  vault.close();

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Recipients', exact: true }).click();
  const rows = page.getByRole('table', { name: 'Recipients' }).locator('tbody tr');
  await rows.filter({ hasText: 'Bob Builder' }).waitFor();
  assert.equal(await rows.count(), 2);

  await page.getByLabel('Search recipients').fill('alic');
  await rows.filter({ hasText: 'Bob Builder' }).waitFor({ state: 'detached' });
  assert.deepEqual(await rows.allTextContents(), ['Alice Exampleperson']);
  await page.getByRole('button', { name: 'Alice Example' }).click();
  const panel = page.getByRole('region', { name: 'Recipient Alice Example' });
  await panel.waitFor();

  await panel.getByLabel('Windows SID').fill('S-1-5-21-1-x');
  await panel.getByRole('button', { name: 'Save' }).click();
  const sidField = panel.locator('.field.has-problem');
  await sidField.waitFor();
  assert.equal(await sidField.locator('label').textContent(), 'Windows SID');
  assert.equal(
    await sidField.locator('.problem').textContent(),
    'SID: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)',
  );
  assert.equal(await panel.getByLabel('Windows SID').getAttribute('aria-invalid'), 'true');

  await panel.getByLabel('Windows SID').fill(SID);
  await panel.getByRole('button', { name: 'Save' }).click();
  await panel.getByText('Saved Alice Example.').waitFor();
  assert.equal(await panel.locator('.field.has-problem').count(), 0);
  assert.deepEqual(await rows.allTextContents(), [`Alice Exampleperson${SID}`]);

  // Bob's certificate carries a SID his record lacks (as after the schema-7 upgrade): offered, then stored.
  await page.getByLabel('Search recipients').fill('bob');
  await page.getByRole('button', { name: 'Bob Builder' }).click();
  const bobPanel = page.getByRole('region', { name: 'Recipient Bob Builder' });
  assert.equal(await bobPanel.getByTestId('sid-from-certificate').textContent(), `SID ${SID2} from certificate ${bob.record.id}: not stored with the recipient.`);
  await bobPanel.getByRole('button', { name: 'Store this SID' }).click();
  await bobPanel.getByText('Saved Bob Builder.').waitFor();
  assert.equal(await bobPanel.getByLabel('Windows SID').inputValue(), SID2);
  assert.equal(await bobPanel.getByTestId('sid-from-certificate').count(), 0);
  assert.equal(harness.traffic.requests('recipient.update').length, 3);
});
