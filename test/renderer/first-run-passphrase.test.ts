// Issue 14 part A in Chromium through the harness: the first-run meter is zxcvbn-ts's (its dictionaries a lazy
// chunk of the bundle); a weak passphrase is refused with zxcvbn's reason beside it and cannot be submitted; a
// strong one creates the vault.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness } from '../harness/server.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

test('first run: a weak passphrase cannot be submitted; the meter gives zxcvbn\'s reason', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const harness = await startHarness({ vaultPath: join(work, 'new.certdesk'), workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByRole('heading', { name: 'Welcome to CertDesk' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill('aaaaaaaaaa');
  await page.getByLabel('Passphrase again').fill('aaaaaaaaaa');
  await page.getByText('Strength: very weak (about 7 bits)').waitFor();
  assert.equal(
    await page.getByTestId('passphrase-problem').textContent(),
    'Too easy to guess (strength 0 of 4, about 7 bits; at least 3 of 4 is needed). Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.',
  );
  assert.equal(await page.getByRole('button', { name: 'Create vault' }).isDisabled(), true);
  await page.getByLabel('Passphrase', { exact: true }).fill('maple lantern orbit gravel');
  await page.getByLabel('Passphrase again').fill('maple lantern orbit gravel');
  await page.getByText(/^Strength: strong/).waitFor();
  assert.equal(await page.getByTestId('passphrase-problem').count(), 0);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
});
