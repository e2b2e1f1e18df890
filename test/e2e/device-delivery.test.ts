// Delivery chosen by the device (issue 14), end to end in Chromium through the harness: the wizard's delivery step
// asks what will install the certificate; an older iPhone shows why the legacy form is used and that a password is
// always set; the issued PFX is 3DES per openssl. Renew and Export again from the details panel preselect the old
// iPhone and make 3DES files again; issuing for the same recipient again preselects the device.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from '../harness/server.js';
import { launchChromium, seriousA11yViolations } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run } from '../helpers/tools.js';

const PASSPHRASE = 'staple horse battery correct';
const OLD_APPLE_REASON = 'An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form.';

async function screen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The hand-over shown in `where`: its password and bundle folder, checked to hold a 3DES PFX (openssl -info names every algorithm). */
async function assert3desHandover(where: Page | Locator, what: string): Promise<string> {
  const password = (await where.getByTestId('pfx-password').textContent())!.trim();
  const folder = (await where.getByTestId('bundle-folder').textContent())!.trim();
  const pfx = readdirSync(folder).find((f) => f.endsWith('.pfx'))!;
  const r = run('openssl', ['pkcs12', '-info', '-nokeys', '-noout', '-legacy', '-in', join(folder, pfx), '-passin', 'env:PFXPW'], { env: { ...process.env, PFXPW: password } });
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  const info = r.stdout + r.stderr;
  assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/, what);
  assert.match(info, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC/, what);
  assert.doesNotMatch(info, /AES|PBES2/, `${what}: nothing in the file uses the AES form`);
  return folder;
}

/** The device picker in `where` shows the older Apple version chosen and the reason it forces the legacy form. */
async function assertOldApplePreselected(where: Page | Locator, what: string): Promise<void> {
  assert.equal(await where.getByRole('checkbox', { name: 'iPhone, iPad or Mac' }).isChecked(), true, `${what}: Apple ticked`);
  assert.equal(await where.getByRole('radio', { name: /^iPhone\/iPad up to iOS 17/ }).isChecked(), true, `${what}: the older version chosen`);
  assert.deepEqual(await where.getByTestId('device-reasons').getByRole('listitem').allTextContents(), [OLD_APPLE_REASON], what);
}

test('delivery by device: an old iPhone gets a 3DES PFX on issue, renew and export again; the choice is remembered', { timeout: 240_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
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

  // The wizard: a user certificate for Olga's old iPhone.
  await screen(page, 'Issue a certificate');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Olga Phone');
  await page.getByLabel('E-mail').fill('olga@example.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { level: 2, name: 'Delivery' }).waitFor();
  // Nothing chosen yet: the step says what is missing.
  await page.getByText('Choose what will install the certificate.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByRole('checkbox', { name: 'iPhone, iPad or Mac' }).check();
  await page.getByRole('radio', { name: /^iPhone\/iPad on iOS 18/ }).check();
  assert.equal((await page.getByTestId('device-form').textContent())!.includes('modern (AES-256)'), true, 'a current iPhone reads the AES form');
  await page.getByRole('radio', { name: /^iPhone\/iPad up to iOS 17/ }).check();
  await assertOldApplePreselected(page, 'wizard');
  assert.match((await page.getByTestId('device-form').textContent())!, /The PFX will use the legacy \(3DES with a SHA-1 MAC\) form, because:/);
  // No password-less PFX for an Apple device: said so, and no such option offered.
  await page.getByTestId('password-required').filter({ hasText: 'An iPhone, iPad or Mac does not install a PFX without a password' }).waitFor();
  const passwordChoices = await page.getByRole('group', { name: 'PFX password' }).getByRole('radio').evaluateAll((els) => els.map((e) => (e.closest('label')?.textContent ?? '').trim()));
  assert.deepEqual(passwordChoices, ['Generate one (shown once, with a QR code and a slip to print)', 'Set it myself']);
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(
    violations.map((v) => v.id),
    [],
    'the delivery step has no serious accessibility violation',
  );
  await page.getByRole('button', { name: 'Choose…' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('legacy PFX, generated password').waitFor();
  await page.getByRole('button', { name: 'Issue and export' }).click();
  await page.getByTestId('pfx-password').waitFor();
  await assert3desHandover(page, 'issued');
  await page.getByRole('button', { name: 'Done — forget the password' }).click();

  // Renew from the details panel: the old iPhone is preselected (the profile's own default is AES).
  await screen(page, 'Certificates');
  await page.getByRole('row', { name: /Olga Phone/ }).click();
  const panel = page.getByRole('complementary', { name: 'Olga Phone' });
  await panel.getByRole('button', { name: 'Renew…' }).click();
  const renew = page.getByRole('dialog', { name: 'Renew' });
  await renew.getByRole('checkbox', { name: 'iPhone, iPad or Mac' }).waitFor();
  await assertOldApplePreselected(renew, 'renew');
  await renew.getByRole('checkbox', { name: 'Revoke the old certificate as superseded' }).uncheck();
  await renew.getByRole('button', { name: 'Choose…' }).click();
  await renew.getByRole('button', { name: 'Renew and export' }).click();
  const renewed = page.getByRole('dialog', { name: 'Hand over' });
  await renewed.getByTestId('pfx-password').waitFor();
  await assert3desHandover(renewed, 'renewed');
  await renewed.getByRole('button', { name: 'Done — forget the password' }).click();

  // Export again, likewise.
  await panel.getByRole('button', { name: 'Export bundle…' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export the bundle again' });
  await exportDialog.getByRole('checkbox', { name: 'iPhone, iPad or Mac' }).waitFor();
  await assertOldApplePreselected(exportDialog, 'export again');
  assert.deepEqual(
    (await seriousA11yViolations(page)).map((v) => v.id),
    [],
    'the export dialog has no serious accessibility violation',
  );
  await exportDialog.getByRole('button', { name: 'Choose…' }).click();
  await exportDialog.getByRole('button', { name: 'Export' }).click();
  const exported = page.getByRole('dialog', { name: 'Hand over' });
  await exported.getByTestId('pfx-password').waitFor();
  await assert3desHandover(exported, 'exported again');
  await exported.getByRole('button', { name: 'Done — forget the password' }).click();

  // Issuing for Olga again: picking her as an earlier recipient preselects her old iPhone.
  await screen(page, 'Issue a certificate');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Find an earlier recipient').fill('Olga');
  await page.getByRole('list', { name: 'Earlier recipients' }).getByRole('button', { name: /Olga Phone/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Preselected from Olga Phone’s last delivery.').waitFor();
  await assertOldApplePreselected(page, 'wizard, earlier recipient');
  assert.deepEqual(pageErrors, []);
});
