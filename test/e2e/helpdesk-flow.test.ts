// The helpdesk flow of issue 14 (defects, part B) in Chromium through the harness at 1366x768: where keyboard
// focus lands after each action, the hand-over forgotten when left without Done, the CA preselected and disabled
// buttons saying why, the empty states, paths in success messages wrapping as text, the details panel scrolling on
// its own with whole dates, step pills and dashboard tiles that work, dates in the user's locale, a 12-month chart
// with 12 bars, the batch password list in the CSV's order, the UPN on the Recipient step, and searches that
// fold case and accents ("öztürk" finds "Öztürk").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../harness/server.js';
import { launchChromium, seriousA11yViolations } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools } from '../helpers/tools.js';

const PASSPHRASE = 'staple horse battery correct';
/** Six batch rows, in an order no sort would give (the password list must keep it). */
const BATCH = ['Zeynep Öztürk', 'Émile Zola', 'Bodo Brandt', 'Ada Achterberg', 'Yuki Yamada', 'Carla Cruz'];
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
/** The page's globals in functions run in the page (the tests compile without the DOM types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageGlobals = any;

async function screen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function a11y(page: Page, where: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join(', ')}`), [], `accessibility violations on ${where}`);
}

/** What has keyboard focus: its id, tag and text (BODY when focus fell to the page). */
async function focused(page: Page): Promise<{ id: string; tag: string; text: string }> {
  return page.evaluate(() => {
    const { document } = globalThis as PageGlobals;
    const el = document.activeElement ?? document.body;
    return { id: el.id, tag: el.tagName, text: (el.textContent ?? '').trim() };
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until focus is on the element with `id` (focus moves a tick after the action), then checks it. */
async function focusIsOn(page: Page, id: string, what: string): Promise<void> {
  await until(async () => (await focused(page)).id === id, `focus is on #${id} (${what}); it is on ${JSON.stringify(await focused(page))}`);
  assert.notEqual((await focused(page)).tag, 'BODY');
}

/** The accessible description of a button: the text of the elements its aria-describedby names. */
async function describedBy(page: Page, name: string): Promise<string> {
  return page.getByRole('button', { name, exact: true }).evaluate((b) => {
    const { document } = globalThis as PageGlobals;
    return (b.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id: string) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  });
}

test('the helpdesk flow without a wrong turn (issue 14, part B)', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const browser: Browser | null = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const pageErrors: string[] = [];
  const harness: Harness = await startHarness({ vaultPath: join(work, 'vault.certdesk'), workDir: work, browser, onPage: (p) => p.on('pageerror', (e) => pageErrors.push(e.message)) });
  t.after(() => harness.close());
  const page = harness.page!;
  assert.deepEqual(page.viewportSize(), { width: 1366, height: 768 });

  await t.test('creating the vault: focus lands on the next thing to do (creating a CA), not the page body', async () => {
    await page.getByRole('heading', { name: 'Welcome to CertDesk' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await focusIsOn(page, 'dashboard-start', 'the dashboard’s first action with no CA yet');
    assert.equal((await focused(page)).text, 'Certificate authorities');
  });

  await t.test('empty states: Revocation lists and Certificates say what to do next, with a button that does it', async () => {
    await screen(page, 'Revocation lists');
    const crls = page.getByTestId('crls-empty');
    await crls.getByRole('heading', { name: 'No certificate authority yet' }).waitFor();
    await a11y(page, 'revocation lists, empty');
    await crls.getByRole('button', { name: 'Create a CA' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificate authorities' }).waitFor();

    await screen(page, 'Certificates');
    const certs = page.getByTestId('certificates-empty');
    await certs.getByRole('heading', { name: 'No certificates yet' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Certificates' }).count(), 0, 'no empty table under the message');
    await a11y(page, 'certificates, empty');
    await certs.getByRole('button', { name: 'Issue a certificate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Issue a certificate' }).waitFor();
  });

  await t.test('two CAs', async () => {
    await screen(page, 'Certificate authorities');
    await page.getByRole('button', { name: 'Create root CA…' }).click();
    const root = page.getByRole('dialog', { name: 'Create a root CA' });
    await root.getByLabel('Name in CertDesk').fill('Example Root');
    await root.getByLabel('Common name (CN)').fill('Example Root CA 2026');
    await root.getByRole('button', { name: 'Create root CA' }).click();
    await page.getByRole('rowheader', { name: 'Example Root' }).waitFor();
    await page.getByRole('button', { name: 'Create intermediate CA…' }).click();
    const inter = page.getByRole('dialog', { name: 'Create an intermediate CA' });
    await inter.getByLabel('Name in CertDesk').fill('Issuing CA');
    await inter.getByLabel('Common name (CN)').fill('Example Issuing CA 2026');
    await inter.getByRole('button', { name: 'Create intermediate CA' }).click();
    await page.getByRole('rowheader', { name: 'Issuing CA' }).waitFor();
  });

  await t.test('batch: the CA preselected; disabled buttons say why; focus on the result; the path wraps as text; passwords in CSV order', async () => {
    await screen(page, 'Batch from CSV');
    const ca = page.getByLabel('Issuing CA');
    await until(async () => (await ca.locator('option:checked').textContent()) === 'Issuing CA', 'the most recent CA is preselected');
    assert.equal(await page.getByRole('button', { name: 'Check the rows' }).isDisabled(), true);
    assert.equal(await describedBy(page, 'Check the rows'), 'Choose the CSV file first.');
    await a11y(page, 'batch, nothing chosen');
    const csv = ['name;email', ...BATCH.map((n, i) => `${n};person${i + 1}@example.com`)].join('\r\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + csv) });
    assert.equal(await describedBy(page, 'Check the rows'), '', 'nothing is missing any more');
    await page.getByRole('button', { name: 'Check the rows' }).click();
    await page.getByText(`All ${BATCH.length} rows are valid.`).waitFor();
    await focusIsOn(page, 'batch-summary', 'the check’s result');

    const issue = `Issue ${BATCH.length} certificates`;
    assert.equal(await page.getByRole('button', { name: issue }).isDisabled(), true);
    assert.equal(await describedBy(page, issue), 'Choose the export folder for the bundles. Choose where to save the password list.');
    const choose = page.getByRole('button', { name: 'Choose…' });
    await choose.nth(0).click();
    await until(async () => (await describedBy(page, issue)) === 'Choose where to save the password list.', 'the folder is chosen');
    await choose.nth(1).click();
    await until(async () => !(await page.getByRole('button', { name: issue }).isDisabled()), 'the button is enabled');
    await page.getByRole('button', { name: issue }).click();
    await page.getByRole('heading', { name: 'Batch finished' }).waitFor({ timeout: 120_000 });

    // The success message is one block of text: its paths wrap anywhere instead of splitting it into columns.
    const done = page.getByRole('status').filter({ hasText: /^Issued 6 certificate/ });
    const layout = await done.evaluate((banner) => {
      const { getComputedStyle } = globalThis as PageGlobals;
      const text = banner.firstElementChild!;
      const code = banner.querySelector('code')!;
      return { blocks: banner.children.length, textDisplay: getComputedStyle(text).display, codeWrap: getComputedStyle(code).overflowWrap, codeParent: code.parentElement === text };
    });
    assert.deepEqual(layout, { blocks: 1, textDisplay: 'block', codeWrap: 'anywhere', codeParent: true });

    const list = parse(readFileSync(join(work, 'pfx-passwords.csv')), { columns: true }) as { holder: string }[];
    assert.deepEqual(list.map((r) => r.holder), BATCH, 'the password list in the CSV’s order');
  });

  await t.test('Sign a CSR: the CA preselected; Sign says why it is disabled', async () => {
    const dir = tempDir(t);
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'r.csr'), '-subj', '/CN=web02.example.com', '-addext', 'subjectAltName=DNS:web02.example.com'], { stdio: 'ignore' });
    await screen(page, 'Sign a CSR');
    await page.getByLabel(/Certificate signing request/).setInputFiles(join(dir, 'r.csr'));
    const ca = page.getByLabel('Issuing CA');
    await until(async () => (await ca.count()) === 1 && (await ca.locator('option:checked').textContent()) === 'Issuing CA', 'the most recent CA is preselected');
    await page.getByLabel('What the certificate will carry').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign', exact: true }).isDisabled(), true);
    assert.equal(await describedBy(page, 'Sign'), 'Choose the folder to save to.');
    await a11y(page, 'sign a CSR, no folder');
  });

  await t.test('issue wizard: the UPN on the Recipient step; step pills go back; focus on the hand-over; leaving forgets the password', async () => {
    await screen(page, 'Issue a certificate');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Alice Example');
    await page.getByLabel('E-mail').fill('alice@example.com');
    await page.getByLabel('User principal name (UPN, optional)').fill('alice@corp.example.com');
    await a11y(page, 'issue: recipient with UPN');
    await page.getByRole('button', { name: 'Next' }).click();
    // The names step: the e-mail, and no UPN row (it is on the Recipient step).
    await page.getByRole('heading', { level: 2, name: 'Names' }).waitFor();
    assert.equal(await page.getByLabel('Name 1', { exact: true }).inputValue(), 'alice@example.com');
    assert.equal(await page.getByLabel('Name 2', { exact: true }).count(), 0);
    await page.getByText(/on the Recipient step: alice@corp\.example\.com/).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    // The delivery step asks which devices will install it (device-based delivery).
    await page.getByRole('checkbox', { name: 'Windows', exact: true }).check();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await until(async () => (await page.getByLabel('Export folder').inputValue()) !== '', 'the folder is chosen');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Confirm' }).waitFor();
    await page.getByText('E-mail (RFC 822): alice@example.com, User principal name (UPN): alice@corp.example.com').waitFor();

    // A completed step's pill goes back to it, with what was entered.
    const steps = page.getByRole('list', { name: 'Steps' });
    assert.equal(await steps.getByRole('button').count(), 5, 'the five completed steps are buttons');
    await steps.getByRole('button', { name: 'Recipient', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Recipient' }).waitFor();
    assert.equal(await page.getByLabel('User principal name (UPN, optional)').inputValue(), 'alice@corp.example.com');
    assert.equal(await steps.getByRole('button').count(), 1, 'only the steps before this one are buttons');
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { level: 2, name: 'Confirm' }).waitFor();

    await page.getByRole('button', { name: 'Issue and export' }).click();
    const password = (await page.getByTestId('pfx-password').textContent())!.trim();
    await until(async () => (await focused(page)).text === 'Print hand-over slip', 'focus is on the hand-over’s first action');

    // Leaving the hand-over without Done forgets it: back on the screen, the wizard starts again.
    await screen(page, 'Certificates');
    await screen(page, 'Issue a certificate');
    await page.getByRole('heading', { level: 2, name: 'Type' }).waitFor();
    assert.equal(await page.getByText(password).count(), 0, 'the password is not shown again');
    assert.equal(await page.getByTestId('pfx-password').count(), 0);
  });

  await t.test('issue wizard: after Done, focus is on the step heading', async () => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Bob Example');
    await page.getByLabel('E-mail').fill('bob@example.com');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    // The delivery step asks which devices will install it (device-based delivery).
    await page.getByRole('checkbox', { name: 'Windows', exact: true }).check();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await until(async () => (await page.getByLabel('Export folder').inputValue()) !== '', 'the folder is chosen');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Issue and export' }).click();
    await page.getByRole('button', { name: 'Done — forget the password' }).click();
    await focusIsOn(page, 'step-title', 'the wizard’s heading after Done');
    assert.equal((await focused(page)).text, 'Type');
  });

  await t.test('search folds case and accents in Certificates, Recipients and the recipient picker', async () => {
    await screen(page, 'Certificates');
    for (const [typed, holder] of [['öztürk', 'Zeynep Öztürk'], ['émile', 'Émile Zola'], ['OZTURK', 'Zeynep Öztürk'], ['emile zola', 'Émile Zola']] as const) {
      await page.getByLabel('Search').fill(typed);
      await page.getByTestId('cert-count').filter({ hasText: /^1 certificate$/ }).waitFor();
      await page.getByRole('row', { name: new RegExp(holder) }).waitFor();
    }
    await page.getByLabel('Search').fill('');
    await page.getByTestId('cert-count').filter({ hasText: '8 certificates' }).waitFor();

    await screen(page, 'Recipients');
    for (const [typed, holder] of [['öztürk', 'Zeynep Öztürk'], ['émile', 'Émile Zola']] as const) {
      await page.getByLabel('Search recipients').fill(typed);
      await until(async () => (await page.getByRole('table', { name: 'Recipients' }).locator('tbody tr').count()) === 1, `one recipient for "${typed}"`);
      await page.getByRole('table', { name: 'Recipients' }).getByRole('button', { name: holder }).waitFor();
    }
    await page.getByLabel('Search recipients').fill('');

    await screen(page, 'Issue a certificate');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Find an earlier recipient').fill('öztürk');
    const picker = page.getByRole('list', { name: 'Earlier recipients' });
    await picker.getByRole('button', { name: /Zeynep Öztürk/ }).waitFor();
    assert.equal(await picker.getByRole('button').count(), 1);
    await page.getByLabel('Find an earlier recipient').fill('');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
  });

  await t.test('the details panel at 1366 px scrolls on its own with whole dates; after revoking, focus is on its heading', async () => {
    await screen(page, 'Certificates');
    await page.getByTestId('cert-count').filter({ hasText: '8 certificates' }).waitFor();
    await page.getByRole('row', { name: /Carla Cruz/ }).click();
    const panel = page.getByRole('complementary', { name: 'Carla Cruz' });
    await panel.getByText('person6@example.com').first().waitFor();
    // Its names in words, not the internal type names.
    await panel.getByText('E-mail (RFC 822): person6@example.com', { exact: true }).waitFor();
    await panel.getByText('Extensions').click(); // the panel grows taller than the window
    const layout = await page.evaluate(() => {
      const { document, getComputedStyle, window } = globalThis as PageGlobals;
      const main = document.querySelector('main.content');
      const aside = document.querySelector('aside.panel');
      const box = aside.getBoundingClientRect();
      const cells: PageGlobals[] = [...document.querySelectorAll('.vbody .vrow [role="cell"].date')];
      const cut = cells.filter((c) => c.scrollWidth > c.clientWidth || c.getBoundingClientRect().width === 0).map((c) => c.textContent as string);
      return { pageScrolls: main.scrollHeight > main.clientHeight, panelScrolls: getComputedStyle(aside).overflowY, panelTall: aside.scrollHeight > aside.clientHeight, bottomInWindow: box.bottom <= window.innerHeight, cut };
    });
    assert.deepEqual(layout, { pageScrolls: false, panelScrolls: 'auto', panelTall: true, bottomInWindow: true, cut: [] });
    // Dates in the user's locale, not ISO 8601: in the table, the panel and the audit log.
    const expires = await page.getByRole('row', { name: /Carla Cruz/ }).getByRole('cell').nth(4).textContent();
    assert.doesNotMatch(expires!, ISO_DATE);
    assert.doesNotMatch((await panel.locator('dd').filter({ hasText: ' – ' }).first().textContent())!, ISO_DATE);
    await a11y(page, 'certificates with the details panel');

    await panel.getByRole('button', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: /Revoke/ });
    await dialog.getByRole('button', { name: /^Revoke/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusIsOn(page, 'details-title', 'the details panel’s heading after revoking');
    assert.equal((await focused(page)).text, 'Carla Cruz');
  });

  await t.test('dashboard: a 12-month chart with 12 bars, tiles that open the filtered list, dates in the locale', async () => {
    await screen(page, 'Dashboard');
    const chart = page.getByRole('img', { name: /Certificates expiring per month: \d+ in the next 12 months/ });
    await chart.waitFor();
    assert.equal(await chart.locator('text.chart-axis').count(), 12, 'as many bars as the label says');
    for (const when of await page.locator('.audit-mini .muted').allTextContents()) assert.doesNotMatch(when, ISO_DATE);
    await a11y(page, 'dashboard');

    await page.getByRole('list', { name: 'Certificates by status' }).getByRole('button', { name: /revoked/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    // The tile is gone with the dashboard: focus goes to the new screen's heading, not the page body.
    await focusIsOn(page, 'screen-title', 'the Certificates heading after a tile');
    await page.getByTestId('cert-count').filter({ hasText: /^1 certificate$/ }).waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'revoked');
    await page.getByRole('row', { name: /Carla Cruz/ }).waitFor();

    await screen(page, 'Dashboard');
    await page.getByRole('list', { name: 'Certificates by status' }).getByRole('button', { name: /expire within 30 days/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    assert.equal(await page.getByLabel('Expiring within (days)').inputValue(), '30');
    await page.getByTestId('certificates-empty').getByRole('heading', { name: 'No certificate matches' }).waitFor();
    await page.getByRole('button', { name: 'Clear the search and filters' }).click();
    await page.getByTestId('cert-count').filter({ hasText: '8 certificates' }).waitFor();
    assert.equal(await page.getByLabel('Expiring within (days)').inputValue(), '');

    await screen(page, 'Audit log');
    const when = await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr td:nth-child(2)').allTextContents();
    assert.ok(when.length > 5);
    for (const w of when) assert.doesNotMatch(w, ISO_DATE);
    // The details of an issuance name its end date, in the locale too.
    const issued = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'cert.issue', exact: true }) }).first();
    const details = (await issued.getByRole('cell').nth(4).textContent())!;
    assert.match(details, /notAfter: /);
    assert.doesNotMatch(details, ISO_DATE);
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
