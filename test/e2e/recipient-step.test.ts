// The issue wizard's recipient step in Chromium through the harness (issue 12, strong mapping): the Windows
// SID and account name fields, the account checked by main as typed, the names step's SID filled from the
// recipient, picking an earlier recipient filling both, and the certificate's details showing them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../harness/server.js';
import { launchChromium, seriousA11yViolations } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'staple horse battery correct';
const SID = 'S-1-5-21-1004336348-1177238915-682003330-1001';

async function screen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

test('issue wizard: the recipient step takes the SID and account, picking a recipient fills them, details show them', { timeout: 180_000 }, async (t) => {
  const browser: Browser | null = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const pageErrors: string[] = [];
  const harness: Harness = await startHarness({ vaultPath: join(work, 'vault.certdesk'), workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;

  await page.getByRole('heading', { name: 'Welcome to CertDesk' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await screen(page, 'Certificate authorities');
  await page.getByRole('button', { name: 'Create root CA…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a root CA' });
  await dialog.getByLabel('Name in CertDesk').fill('Example Root');
  await dialog.getByLabel('Common name (CN)').fill('Example Root CA 2026');
  await dialog.getByRole('button', { name: 'Create root CA' }).click();
  await page.getByRole('rowheader', { name: 'Example Root' }).waitFor();

  await screen(page, 'Issue a certificate');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Alice Example');
  await page.getByLabel('E-mail').fill('alice@example.com');
  await page.getByLabel('Windows SID (optional)').fill(SID);
  await page.getByLabel('Account name (optional)').fill('a@b');
  await page.getByRole('alert').filter({ hasText: 'account: account name "a@b" contains "@", which an account name cannot hold' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByLabel('Account name (optional)').fill('aexample');
  await page.getByRole('alert').waitFor({ state: 'detached' });
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], 'the recipient step has no serious accessibility violation');
  await page.getByRole('button', { name: 'Next' }).click();
  // The certificate's SID on the names step came from the recipient.
  assert.equal(await page.getByLabel('Windows SID (optional)').inputValue(), SID);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('checkbox', { name: 'Windows' }).check();
  await page.getByRole('button', { name: 'Choose…' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Issue and export' }).click();
  const folder = (await page.getByTestId('bundle-folder').textContent())!;
  assert.match(readFileSync(join(folder, 'ad-mapping.ps1'), 'utf8'), /\nSet-ADUser -Identity 'aexample' -Add @\{altSecurityIdentities='X509:<I>[^']+'\}\n/);
  await page.getByRole('button', { name: 'Done — forget the password' }).click();

  // A second certificate for her: picking the earlier recipient fills the SID and account.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Find an earlier recipient').fill('aexample');
  await page.getByRole('list', { name: 'Earlier recipients' }).getByRole('button', { name: /Alice Example/ }).click();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Alice Example');
  assert.equal(await page.getByLabel('Windows SID (optional)').inputValue(), SID);
  assert.equal(await page.getByLabel('Account name (optional)').inputValue(), 'aexample');

  await screen(page, 'Certificates');
  await page.getByRole('row', { name: /Alice Example/ }).click();
  const panel = page.getByRole('complementary', { name: 'Alice Example' });
  assert.equal(await panel.getByTestId('recipient-windows').textContent(), `aexample · SID ${SID}`);
  assert.deepEqual(pageErrors, []);
});
