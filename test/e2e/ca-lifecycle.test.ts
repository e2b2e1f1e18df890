// The CA's own lifecycle in the app (issue 14), in Chromium through the harness: the CA dialog preselects the
// key type the CLI's default gives, a root and an intermediate, the intermediate's details, Save as PEM,
// Export with key (the warning), Renew, Revoke; then the root's published CRL, read by openssl, lists the
// intermediate's certificates. axe finds no serious or critical violation on the new panel and dialogs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CA_KEY_REASON } from '../../shared/domain.js';
import { startHarness, type Harness } from '../harness/server.js';
import { launchChromium, assertNoSeriousA11y } from '../helpers/browser.js';
import { cliSession } from '../helpers/cli.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'staple horse battery correct';
const PFX_PASSWORD = 'Root-Key-Backup-2026!';

/** Serials compared as numbers: openssl prints whole bytes ("036b…"), the vault's serial has no leading zero nibble. */
const asNumber = (hex: string): bigint => BigInt(`0x${hex}`);

async function screen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

test('CA lifecycle in the app: details, save PEM, export with key, renew, revoke the intermediate; the parent CRL lists it', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const browser: Browser | null = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  // The key type `certdesk ca create` gives without --key, on a vault of its own.
  const cliDir = join(work, 'cli');
  mkdirSync(cliDir);
  const cli = cliSession(cliDir, 'cli default key passphrase');
  await cli.init();
  const cliDefault = (cli.ok('ca', 'create', '--name', 'Plain', '--subject', 'CN=Plain Root', '--json').json!.ca as { keyType: string }).keyType;

  const pageErrors: string[] = [];
  const harness: Harness = await startHarness({ vaultPath: join(work, 'vault.certdesk'), workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  await page.getByRole('heading', { name: 'Welcome to CertDesk' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

  // The root dialog preselects the CLI's default key and says why beside the choice.
  await screen(page, 'Certificate authorities');
  await page.getByRole('button', { name: 'Create root CA…' }).click();
  const rootDialog = page.getByRole('dialog', { name: 'Create a root CA' });
  assert.equal(await rootDialog.getByLabel('Key', { exact: true }).inputValue(), cliDefault);
  await rootDialog.getByText(`Default. ${DEFAULT_CA_KEY_REASON}.`).waitFor();
  await rootDialog.getByLabel('Name in CertDesk').fill('Example Root');
  await rootDialog.getByLabel('Common name (CN)').fill('Example Root CA 2026');
  await rootDialog.getByLabel('CRL address (optional)').fill('http://pki.example.com/root.crl');
  await rootDialog.getByRole('button', { name: 'Create root CA' }).click();
  await page.getByRole('rowheader', { name: 'Example Root' }).waitFor();
  await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
  const interDialog = page.getByRole('dialog', { name: 'Create an intermediate CA' });
  assert.equal(await interDialog.getByLabel('Key', { exact: true }).inputValue(), cliDefault, 'the intermediate dialog has the same default');
  await interDialog.getByLabel('Name in CertDesk').fill('Issuing CA');
  await interDialog.getByLabel('Common name (CN)').fill('Example Issuing CA 2026');
  await interDialog.getByLabel('Key', { exact: true }).selectOption('ec-p256');
  await interDialog.getByText('The default is RSA 3072 (RSA-3072: accepted by old devices and appliances).').waitFor();
  await interDialog.getByRole('button', { name: 'Create intermediate CA' }).click();
  await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();

  // Details of the intermediate.
  await page.getByRole('rowheader', { name: 'Issuing CA' }).getByRole('button', { name: 'Issuing CA' }).click();
  const panel = page.getByRole('complementary', { name: 'Issuing CA' });
  await panel.getByTestId('ca-basic-constraints').filter({ hasText: 'CA, path length 0, critical' }).waitFor();
  assert.match((await panel.getByTestId('ca-state').textContent())!, /active: issues certificates and signs its CRL/);
  await panel.getByText('http://pki.example.com/root.crl', { exact: true }).waitFor();
  const firstSerial = (await panel.getByTestId('ca-serial').textContent())!.trim();
  await assertNoSeriousA11y(page, 'CA details panel');

  // Save as PEM.
  await panel.getByRole('button', { name: 'Save as…' }).click();
  const save = page.getByRole('dialog', { name: 'Save the certificate of Issuing CA' });
  assert.equal(await save.getByRole('radio', { name: 'PEM certificate (.pem)' }).isChecked(), true);
  await save.getByRole('button', { name: 'Choose…' }).click();
  await assertNoSeriousA11y(page, 'Save as dialog');
  await save.getByRole('button', { name: 'Save', exact: true }).click();
  await panel.getByText(`Saved 1 certificate(s) to ${join(work, 'Issuing-CA.pem')}.`).waitFor();
  // The dialog is gone: focus is back on the panel's heading, not the page body.
  // The dialog is gone: focus is back on the panel's heading, not the page body.
  await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'ca-details-title', undefined, { timeout: 5_000 });
  assert.equal(asNumber(runOk('openssl', ['x509', '-in', join(work, 'Issuing-CA.pem'), '-noout', '-serial']).stdout.trim().replace('serial=', '')), asNumber(firstSerial));

  // Export with key: the warning, a confirmation, a password typed twice; openssl opens it.
  await panel.getByRole('button', { name: 'Export with key…' }).click();
  const exp = page.getByRole('dialog', { name: 'Export Issuing CA with its private key' });
  await exp.getByText('The private key of CA “Issuing CA” leaves the vault.').waitFor();
  await exp.getByRole('button', { name: 'Choose…' }).click();
  await exp.getByLabel('PFX password', { exact: true }).fill(PFX_PASSWORD);
  await exp.getByLabel('PFX password again').fill(PFX_PASSWORD);
  assert.equal(await exp.getByRole('button', { name: 'Export with private key' }).isDisabled(), true, 'disabled until the officer confirms');
  await exp.getByLabel('I understand that the CA’s private key leaves the vault').check();
  await assertNoSeriousA11y(page, 'Export with key dialog');
  await exp.getByRole('button', { name: 'Export with private key' }).click();
  await panel.getByText(`Exported CA “Issuing CA” with its private key to ${join(work, 'Issuing-CA.pfx')}. Keep the file offline.`).waitFor();
  const info = run('openssl', ['pkcs12', '-info', '-in', join(work, 'Issuing-CA.pfx'), '-passin', `pass:${PFX_PASSWORD}`, '-noout']);
  assert.equal(info.status, 0, info.stderr);

  // Renew with the same key: the panel shows the new certificate.
  await panel.getByRole('button', { name: 'Renew…' }).click();
  const renew = page.getByRole('dialog', { name: 'Renew Issuing CA' });
  await assertNoSeriousA11y(page, 'Renew dialog');
  await renew.getByRole('button', { name: 'Renew', exact: true }).click();
  const renewedNote = (await panel.getByText(/^Renewed: new certificate, serial [0-9a-f]+, valid until/).textContent())!;
  const secondSerial = /serial ([0-9a-f]+)/.exec(renewedNote)![1]!;
  assert.notEqual(secondSerial, firstSerial);
  // The panel shows the certificate the renewal answered with.
  await panel.getByTestId('ca-serial').filter({ hasText: new RegExp(`^${secondSerial}$`) }).waitFor();

  // Revoke the intermediate.
  await panel.getByRole('button', { name: 'Revoke…' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke Issuing CA' });
  await revoke.getByText(/is permanent\. The CRL of “Example Root” lists it/).waitFor();
  assert.equal(await revoke.getByLabel('Reason').inputValue(), 'caCompromise');
  await assertNoSeriousA11y(page, 'Revoke dialog');
  await revoke.getByRole('button', { name: 'Revoke Issuing CA' }).click();
  await panel.getByTestId('ca-state').filter({ hasText: /revoked on \d{4}-\d\d-\d\d \(caCompromise\): it issues nothing more/ }).waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Renew…' }).isDisabled(), true);

  // A root offers no Revoke.
  await page.getByRole('rowheader', { name: 'Example Root' }).getByRole('button', { name: 'Example Root' }).click();
  const rootPanel = page.getByRole('complementary', { name: 'Example Root' });
  await rootPanel.getByTestId('ca-basic-constraints').filter({ hasText: 'path length unlimited' }).waitFor();
  assert.equal(await rootPanel.getByRole('button', { name: 'Revoke…' }).count(), 0);

  // CRL settings of the root: a shorter interval; the panel shows what was saved.
  await rootPanel.getByRole('button', { name: 'CRL settings…' }).click();
  const crlDialog = page.getByRole('dialog', { name: 'CRL settings of Example Root' });
  assert.equal(await crlDialog.getByLabel('CRL address').inputValue(), 'http://pki.example.com/root.crl');
  await crlDialog.getByLabel('Each CRL is valid for (days)').fill('7');
  await assertNoSeriousA11y(page, 'CRL settings dialog');
  await crlDialog.getByRole('button', { name: 'Save CRL settings' }).click();
  await rootPanel.getByTestId('ca-crl-settings').filter({ hasText: 'http://pki.example.com/root.crl · each valid 7 days · none published yet' }).waitFor();

  // The root's published CRL lists both certificates of the revoked intermediate (which issued nothing, so it
  // needs no CRL of its own: one CRL is published).
  await screen(page, 'Revocation lists');
  await page.getByRole('button', { name: 'Choose…' }).click();
  await page.getByRole('button', { name: 'Publish all CRLs' }).click();
  await page.getByText(/Published 1 CRL\(s\)/).waitFor();
  const rootCrl = join(work, 'export', 'example-root.crl');
  assert.ok(existsSync(rootCrl), `${rootCrl} was published`);
  const crlText = runOk('openssl', ['crl', '-inform', 'DER', '-in', rootCrl, '-noout', '-text']).stdout;
  const [, lastUpdate, nextUpdate] = /Last Update: (.+)\n\s+Next Update: (.+)\n/.exec(crlText)!;
  assert.equal(Date.parse(nextUpdate!) - Date.parse(lastUpdate!), 7 * 86_400_000, 'signed with the 7 days set in the dialog');
  const listed = [...crlText.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => asNumber(m[1]!));
  assert.deepEqual(listed.sort(), [firstSerial, secondSerial].map(asNumber).sort());
  assert.deepEqual(pageErrors, []);
});
