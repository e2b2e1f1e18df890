// End to end through the real screens: Debian's Chromium (playwright-core) as the renderer of the real
// main process, which runs under the Electron stand-in (test/harness): the page is what main's app://
// handler serves, window.certdesk is the real preload bundle, and every call goes through main's IPC
// registration and sender check. Covers the
// workflows of issue 5, checks every screen with axe-core (no serious or critical violations), checks
// the results with openssl, and writes screenshots of the main screens to dist/screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../harness/server.js';
import { launchChromium, seriousA11yViolations } from '../helpers/browser.js';
import { decodeQr } from '../helpers/qr-decode.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const PASSPHRASE = 'staple horse battery correct';
const SHOTS = join(import.meta.dirname, '..', '..', 'screenshots');

async function a11y(page: Page, screen: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${screen}`,
  );
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function screen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

test('the desktop screens, end to end in Chromium through the harness', { timeout: 240_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const browser: Browser | null = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  rmSync(SHOTS, { recursive: true, force: true });
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  const harness: Harness = await startHarness({
    vaultPath: join(work, 'vault.certdesk'),
    workDir: work,
    browser,
    onPage: (p) => {
      p.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
      });
      p.on('pageerror', (e) => pageErrors.push(e.message));
    },
  });
  t.after(() => harness.close());
  const page = harness.page!;
  assert.ok(page, 'the main window has a page in Chromium');

  await t.test('first run: create a vault (a short passphrase cannot be submitted)', async () => {
    await page.getByRole('heading', { name: 'Welcome to CertDesk' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    assert.equal(await page.getByRole('button', { name: 'Create vault' }).isDisabled(), true);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE + 'x');
    await page.getByText('The two passphrases differ.').waitFor();
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await a11y(page, 'first run');
    await shot(page, 'first-run');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });

  await t.test('certificate authorities: a root and an intermediate', async () => {
    await screen(page, 'Certificate authorities');
    await page.getByRole('button', { name: 'Create root CA…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a root CA' });
    await dialog.getByLabel('Name in CertDesk').fill('Example Root');
    await dialog.getByLabel('Common name (CN)').fill('Example Root CA 2026');
    await dialog.getByLabel('Organisation (O)').fill('Example GmbH');
    await dialog.getByLabel('Country (C, two letters)').fill('de');
    await a11y(page, 'create root dialog');
    await dialog.getByRole('button', { name: 'Create root CA' }).click();
    await page.getByRole('rowheader', { name: 'Example Root' }).waitFor();

    await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
    const inter = page.getByRole('dialog', { name: 'Create an intermediate CA' });
    await inter.getByLabel('Name in CertDesk').fill('Issuing CA');
    await inter.getByLabel('Common name (CN)').fill('Example Issuing CA 2026');
    await inter.getByLabel('Valid for (days)').fill('99999');
    await inter.getByRole('button', { name: 'Create intermediate CA' }).click();
    await inter.getByRole('alert').filter({ hasText: /^Days: / }).waitFor();
    await inter.getByLabel('Valid for (days)').fill('1825');
    await inter.getByRole('button', { name: 'Create intermediate CA' }).click();
    await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();
    await page.getByRole('cell', { name: 'Example Root → Issuing CA' }).waitFor();
    await a11y(page, 'authorities');
    await shot(page, 'authorities');
  });

  let bundleFolder = '';
  await t.test('issue wizard: a user certificate, checked as typed, handed over with a QR code; the PFX opens with openssl', async () => {
    await screen(page, 'Issue a certificate');
    await page.getByRole('radio', { name: /One certificate shared by all users/ }).check();
    await page.getByText('A shared certificate costs you').waitFor();
    await page.getByRole('radio', { name: /One certificate per user/ }).check();
    await a11y(page, 'issue: type');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Name', { exact: true }).fill('Alice Example');
    await page.getByLabel('E-mail').fill('alice(at)example.com');
    await page.getByLabel('Phone (for reading out the password)').fill('+49 30 1234');
    await page.getByRole('button', { name: 'Next' }).click();
    // Names prefilled from the recipient, and the bad address flagged by main as typed.
    assert.equal(await page.getByLabel('Name 1', { exact: true }).inputValue(), 'alice(at)example.com');
    await page.getByRole('alert').filter({ hasText: 'alice(at)example.com' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
    await page.getByLabel('Name 1', { exact: true }).fill('alice@example.com');
    await page.getByTestId('subject-preview').filter({ hasText: 'CN=Alice Example' }).waitFor();
    await page.getByLabel('Alias (optional)').fill('alice-laptop');
    // The Windows SID, checked as typed by main.
    await page.getByLabel('Windows SID (optional)').fill('S-1-5-21-1-2-x');
    await page.getByRole('alert').filter({ hasText: 'is not a Windows SID: sub-authority 4 "x"' }).waitFor();
    await page.getByLabel('Windows SID (optional)').fill('S-1-5-21-1004336348-1177238915-682003330-1001');
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Next' }).isEnabled();
    await a11y(page, 'issue: names');
    await shot(page, 'issue-names');
    await page.getByRole('button', { name: 'Next' }).click();

    // Past the CA's end: preflight's warning that the certificate would be cut to it, beside the validity.
    await page.getByLabel('Valid for (days)').fill('5000');
    await page.getByTestId('finding-days').filter({ hasText: /would be cut to end .*choose at most \d+ days/ }).waitFor();
    await page.getByLabel('Valid for (days)').fill('365');
    await page.getByTestId('finding-days').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Next' }).click();

    // Delivery chosen by the device (issue 14): unknown devices get the legacy form.
    await page.getByRole('checkbox', { name: 'Several or unknown devices' }).check();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await until(async () => (await page.getByLabel('Export folder').inputValue()) !== '', 'the chosen folder is filled in');
    await a11y(page, 'issue: delivery');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('legacy PFX, generated password').waitFor();
    await page.getByRole('button', { name: 'Issue and export' }).click();

    const password = (await page.getByTestId('pfx-password').textContent())!.trim();
    assert.match(password, /^\S{16}$/);
    const qr = (await page.getByTestId('password-qr').getAttribute('src'))!;
    assert.equal(decodeQr(qr), password, 'the QR code on screen holds the password');
    bundleFolder = (await page.getByTestId('bundle-folder').textContent())!;
    assert.ok(bundleFolder.startsWith(join(work, 'export')));
    const pfx = join(bundleFolder, 'alice-laptop.pfx');
    const out = runOk('openssl', ['pkcs12', '-in', pfx, '-passin', 'env:PFXPW', '-nodes', '-legacy'], { env: { ...process.env, PFXPW: password } }).stdout;
    assert.match(out, /subject=.*CN\s*=\s*Alice Example/);
    assert.match(out, /BEGIN PRIVATE KEY/);
    assert.ok(!readdirSync(bundleFolder).some((f) => readFileSync(join(bundleFolder, f)).includes(password)), 'the password is in no bundle file');
    // The SID went into the certificate: the bundle's mapping script names the account by it.
    assert.match(readFileSync(join(bundleFolder, 'ad-mapping.ps1'), 'utf8'), /\nSet-ADUser -Identity 'S-1-5-21-1004336348-1177238915-682003330-1001' -Add @\{altSecurityIdentities='X509:<I>[^']+<SR>[0-9A-F]{32}'\}\n/);

    // The print preview shows the bundle's installation sheet; printing goes to the host (recorded here).
    await page.frameLocator('iframe[title="Installation sheet preview"]').getByText('alice-laptop.pfx').first().waitFor();
    await page.getByRole('button', { name: 'Print hand-over slip' }).click();
    await until(() => harness.record.prints.length === 1, 'the print request reached the host');
    await a11y(page, 'issue: hand-over');
    await shot(page, 'issue-handover');
    assert.equal(harness.record.prints.length, 1);
    assert.match(harness.record.prints[0]!.title, /Hand-over slip alice-laptop/);
    const slipQr = /src="(data:image\/png;base64,[A-Za-z0-9+/=]+)"/.exec(harness.record.prints[0]!.html)?.[1];
    assert.equal(decodeQr(slipQr!), password, 'the slip carries the password as a QR code');

    // Save as PDF: main renders the sheet in its hidden print window (a Chromium page with JavaScript
    // off) and writes what printToPDF made to the file the save dialog answered.
    await page.getByRole('button', { name: 'Save sheet as PDF' }).click();
    await until(() => harness.record.prints.length === 2, 'the PDF request reached the host');
    const pdfJob = harness.record.prints[1]!;
    assert.equal(pdfJob.pdf, true);
    assert.ok(!pdfJob.html.includes(password), 'the installation sheet never carries the password');
    const pdfFile = join(work, `${pdfJob.title}.pdf`);
    await page.getByText(`Saved ${pdfFile}`).waitFor();
    assert.ok(existsSync(pdfFile) && statSync(pdfFile).size > 1000, 'the PDF was written');
    assert.equal(readFileSync(pdfFile).subarray(0, 5).toString('latin1'), '%PDF-');

    await page.getByRole('button', { name: 'Done — forget the password' }).click();
    await page.getByRole('heading', { name: 'Type' }).waitFor();
    assert.equal(await page.getByText(password).count(), 0, 'the password is gone from the window');
  });

  await t.test('issue wizard: preflight shows the apple-tls finding beside the validity; issuing waits for "Issue anyway" and a reason', async () => {
    await page.getByRole('radio', { name: /Server — A TLS server/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill('www.example.com');
    await page.getByRole('button', { name: 'Next' }).click();
    assert.equal(await page.getByLabel('Name 1', { exact: true }).inputValue(), 'www.example.com');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Valid for (days)').fill('1095');
    const finding = page.getByTestId('finding-days');
    await finding.filter({ hasText: 'valid 1095 days 5 minutes' }).waitFor();
    assert.match((await finding.textContent())!, /^Error \(apple-tls\): .*at most 825 days: choose at most 824 days/);
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), false, 'an error is overridden on the confirm step, not here');
    await a11y(page, 'issue: preflight finding');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: 'Windows' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Preflight found an error: fix it, or tick “Issue anyway” and give the reason.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Issue and export' }).isDisabled(), true);
    await page.getByRole('checkbox', { name: /Issue anyway/ }).check();
    await page.getByLabel('Reason for the audit log (recorded with the errors)').fill('lab only');
    await until(async () => !(await page.getByRole('button', { name: 'Issue and export' }).isDisabled()), 'the override enables issuing');
    await a11y(page, 'issue: preflight override');
    // Not issued here, so the later steps' counts stay as they were: test/renderer/issue-preflight.test.ts issues with the override.
  });

  await t.test('batch: a CSV with a bad row is refused; the corrected file runs with a progress bar to the end', async () => {
    await screen(page, 'Batch from CSV');
    await page.getByLabel('Issuing CA').selectOption({ label: 'Issuing CA' });
    const rows = Array.from({ length: 24 }, (_, i) => `Staff ${String(i + 1).padStart(2, '0')};staff${i + 1}@example.com`);
    const bad = ['name;email', ...rows.slice(0, 3), 'Broken Row;broken(at)example.com', ...rows.slice(3)].join('\r\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + bad) });
    await page.getByRole('button', { name: 'Check the rows' }).click();
    await page.getByRole('table', { name: 'Problems and warnings' }).getByRole('cell', { name: '5', exact: true }).waitFor();
    await a11y(page, 'batch: problems');
    await shot(page, 'batch-problems');

    await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + ['name;email', ...rows].join('\r\n')) });
    await page.getByRole('button', { name: 'Check the rows' }).click();
    await page.getByText('All 24 rows are valid.').waitFor();
    const buttons = page.getByRole('button', { name: 'Choose…' });
    await buttons.nth(0).click();
    await buttons.nth(1).click();
    await page.getByRole('button', { name: 'Issue 24 certificates' }).click();

    const bar = page.getByTestId('batch-progress');
    const seen: number[] = [];
    for (let i = 0; i < 600; i++) {
      const value = Number(await bar.getAttribute('value'));
      seen.push(value);
      if (await page.getByRole('heading', { name: 'Batch finished' }).isVisible()) break;
      await page.waitForTimeout(50);
    }
    await page.getByRole('heading', { name: 'Batch finished' }).waitFor();
    assert.equal(Number(await bar.getAttribute('value')), 24);
    assert.equal(await bar.getAttribute('max'), '24');
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'the bar only moves forward');
    await a11y(page, 'batch: finished');
    await shot(page, 'batch-finished');
    const list = readFileSync(join(work, 'pfx-passwords.csv'), 'utf8').trim().split('\n');
    assert.equal(list.length, 25, 'header and 24 passwords');
  });

  await t.test('certificates: search, details, revoke with a reason', async () => {
    await screen(page, 'Certificates');
    await page.getByTestId('cert-count').filter({ hasText: '25 certificates' }).waitFor();
    await page.getByLabel('Search').fill('Staff 07');
    await page.getByTestId('cert-count').filter({ hasText: /^1 certificate$/ }).waitFor();
    await page.getByRole('row', { name: /Staff 07/ }).click();
    const panel = page.getByRole('complementary', { name: 'Staff 07' });
    await panel.getByText('staff7@example.com').first().waitFor();
    await panel.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('dialog', { name: 'Revoke' }).getByLabel('Reason').selectOption('keyCompromise');
    await page.getByRole('dialog', { name: 'Revoke' }).getByRole('button', { name: 'Revoke' }).click();
    await panel.getByText('(keyCompromise').waitFor();
    await panel.getByRole('button', { name: 'Copy IIS mapping' }).click();
    await panel.getByText('on the clipboard').waitFor();
    assert.match(harness.record.clipboard[0]!, /certificate="[A-Za-z0-9+/=]+"/);
    await panel.getByText('Windows account mapping (altSecurityIdentities)').click();
    // Revoked: the panel warns, and its script removes the strings (it used to add them).
    await panel.getByRole('note').filter({ hasText: 'is revoked: a mapping to it grants nothing' }).waitFor();
    await panel.getByRole('button', { name: 'Copy removal script' }).waitFor();
    await panel.getByRole('button', { name: 'Copy Issuer and serial (recommended)' }).click();
    await panel.getByText('The mapping string is on the clipboard.').waitFor();
    assert.match(harness.record.clipboard[1]!, /^X509:<I>(.+,)?CN=Example Issuing CA 2026(,.+)?<SR>[0-9A-F]{32}$/);
    await page.getByLabel('Search').fill('');
    await page.getByTestId('cert-count').filter({ hasText: '25 certificates' }).waitFor();
    await a11y(page, 'certificates');
    await shot(page, 'certificates');
  });

  await t.test('revocation lists: publish every CA; openssl reads the CRL with the revoked serial', async () => {
    await screen(page, 'Revocation lists');
    await page.getByRole('button', { name: 'Choose…' }).click();
    await page.getByRole('button', { name: 'Publish all CRLs' }).click();
    await page.getByText(/Published 2 CRL\(s\)/).waitFor();
    // The button was disabled while it worked: focus is on what it did, not on the page body.
    await until(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'crl-published'), 'focus on the published CRLs');
    await a11y(page, 'revocation lists');
    await shot(page, 'crls');
    const exportDir = join(work, 'export');
    const crl = readdirSync(exportDir).find((f) => /issuing.*\.crl$/i.test(f));
    assert.ok(crl, `an issuing CA CRL in ${readdirSync(exportDir).join(', ')}`);
    const text = runOk('openssl', ['crl', '-inform', 'DER', '-in', join(exportDir, crl), '-noout', '-text']).stdout;
    assert.match(text, /Key Compromise/);
  });

  await t.test('sign a CSR made by openssl', async () => {
    const csrDir = tempDir(t);
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(csrDir, 'k.pem'), '-out', join(csrDir, 'r.csr'), '-subj', '/CN=web01.example.com', '-addext', 'subjectAltName=DNS:web01.example.com,email:ops@example.com'], { stdio: 'ignore' });
    await screen(page, 'Sign a CSR');
    await page.getByLabel(/Certificate signing request/).setInputFiles(join(csrDir, 'r.csr'));
    // The requested names in words (SAN_LABELS), not the internal type names ("dns:").
    await page.getByText('DNS name: web01.example.com', { exact: false }).first().waitFor();
    assert.equal(await page.getByText('dns: web01.example.com').count(), 0);
    await page.getByLabel('Issuing CA').selectOption({ label: 'Issuing CA' });
    // Before anything is signed, the screen says what the server profile will leave out.
    await page.getByLabel('What the certificate will carry').waitFor();
    await page.getByText(/Will be left out \(the profile does not allow them\): E-mail \(RFC 822\): ops@example\.com/).waitFor();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await a11y(page, 'sign a CSR');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    const saved = await page.getByText(/Saved with its chain to/).textContent();
    const file = /to (\/\S+\.pem)/.exec(saved ?? '')![1]!;
    runOk('openssl', ['verify', '-partial_chain', '-CAfile', file, file]);
    assert.ok((readFileSync(file, 'utf8').match(/BEGIN CERTIFICATE/g) ?? []).length >= 2, 'the certificate and its CA chain');
    await shot(page, 'sign-csr');
  });

  await t.test('dashboard, settings and audit log', async () => {
    await screen(page, 'Dashboard');
    await page.getByRole('img', { name: /Certificates expiring per month: \d+ in the next 12 months/ }).waitFor();
    await a11y(page, 'dashboard');
    await shot(page, 'dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await a11y(page, 'dashboard (dark)');
    await shot(page, 'dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await screen(page, 'Settings');
    await page.getByLabel('Template').fill('Dear $HolderName, your password is $ClientCertPwd. $Bogus');
    await page.getByRole('alert').filter({ hasText: '$Bogus' }).waitFor();
    await page.getByLabel('Template').fill('Dear $HolderName, your password is $ClientCertPwd.');
    await page.getByTestId('letter-preview').filter({ hasText: 'Dear Alice Example, your password is Sample-Password-Only.' }).waitFor();
    // The user profile's Windows options: only the user and device profiles offer them; saved, they come back from main.
    await page.getByLabel('Profile', { exact: true }).selectOption('server');
    assert.equal(await page.getByLabel(/Add the smart-card logon EKU/).count(), 0);
    await page.getByLabel('Profile', { exact: true }).selectOption('user');
    assert.equal(await page.getByLabel(/Add the smart-card logon EKU/).isChecked(), false);
    await page.getByLabel(/Add the smart-card logon EKU/).check();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Saved the User profile.').waitFor();
    await page.getByLabel('Profile', { exact: true }).selectOption('mail');
    await page.getByLabel('Profile', { exact: true }).selectOption('user');
    assert.equal(await page.getByLabel(/Add the smart-card logon EKU/).isChecked(), true);
    await a11y(page, 'settings');
    await shot(page, 'settings');

    await screen(page, 'Audit log');
    await page.getByRole('button', { name: 'Verify the vault' }).click();
    await page.getByText(/The audit chain holds: \d+ entries verified.*All \d+ records are as CertDesk wrote them/).waitFor();
    await a11y(page, 'audit log');
    await shot(page, 'audit');
  });

  await t.test('lock, a wrong passphrase, unlock', async () => {
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await page.getByRole('heading', { name: 'CertDesk is locked' }).waitFor();
    assert.equal((await harness.status()).state, 'locked');
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong passphrase' }).waitFor();
    await a11y(page, 'unlock');
    await shot(page, 'unlock');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // Back where the officer was when the vault locked, with focus on its heading (the unlock form is gone).
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await until(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'screen-title'), 'focus on the screen heading after unlocking');
    assert.equal((await harness.status()).state, 'unlocked');
  });

  assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violations');
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  for (const name of ['first-run', 'dashboard', 'issue-handover', 'batch-finished', 'certificates', 'authorities']) {
    assert.ok(statSync(join(SHOTS, `${name}.png`)).size > 10_000, `${name}.png written`);
  }
});
