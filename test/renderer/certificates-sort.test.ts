// The certificate table's sorts in Chromium through the harness (the real main process, the real page): each
// column header (holder, status, CA, issued, expiry) sorts ascending then descending, says so in aria-sort,
// and shows first the rows the core's certificatePage lists first; a sort chosen while page requests are
// held is the next request main answers, from the top (issue 13). Counts and orders, never times.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RequestOf } from '../../shared/api.js';
import { CERT_SORTS } from '../../shared/domain.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { certificatePage, type CertSort, type SortDirection } from '../../electron/core/query/cert-pages.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium } from '../helpers/browser.js';
import { copyCertificate } from '../helpers/bulk-certificates.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'sort the whole table';
const PAGE_SIZE = 100;
/** Rows compared per sort: more than a screenful's first rows, fewer than the table renders at the top. */
const FIRST = 10;
const DAY = 86_400_000;
type ListRequest = RequestOf<'cert.list'>;
const HEADERS: Record<CertSort, string> = { holder: 'Holder', status: 'Status', ca: 'CA', issued: 'Issued', expiry: 'Expires' };
const NAMES = ['anna', 'Bob', 'Émile', 'zoë', 'Charlie', 'dora', 'Öztürk', 'eve'];

/** The rows the table has rendered now, in row order: their 0-based index and first cell's text. */
async function renderedRows(page: Page): Promise<{ index: number; text: string }[]> {
  const rows = await page.$$eval('.vbody [role="row"]', (rows) =>
    rows.map((r) => ({ index: Number(r.getAttribute('aria-rowindex')) - 2, text: (r.querySelector('[role="cell"]')?.textContent ?? '').trim() })),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/** Waits until the table's first rows are `holders` (no "Loading…" among them). */
async function waitForFirstRows(page: Page, holders: string[]): Promise<void> {
  await page.waitForFunction((want) => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null }> } }).document;
    const rows = Array.from(doc.querySelectorAll('.vbody [role="row"]'))
      .map((r) => ({ i: Number(r.getAttribute('aria-rowindex')) - 2, text: (r.querySelector('[role="cell"]')?.textContent ?? '').trim() }))
      .sort((a, b) => a.i - b.i);
    return want.every((h, i) => rows[i]?.i === i && rows[i]?.text === h);
  }, holders);
}

test('the certificate table sorts by each column header, as the core orders, and a new sort goes first', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  // 300 certificates from two CAs: holders in mixed case and accents (the holder sort folds case), end
  // dates from 60 days ago to two years ahead (so some have expired), issue dates in another order, 30 revoked
  // (their end dates latest).
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  const now = Date.now();
  for (const [ca, count, revoke] of [['Alpha CA', 150, false], ['Beta CA', 120, false], ['Alpha CA', 30, true]] as const) {
    if (!vault.db.prepare('SELECT 1 FROM cas WHERE name = ?').get(ca)) await createCa(vault, { name: ca, subject: `CN=${ca}`, keyType: 'ec-p256' });
    const { record } = await issueCertificate(vault, { ca, profile: 'user', name: `${ca} template${revoke ? ' r' : ''}`, sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
    copyCertificate(vault, record.id, {
      count,
      revoke: revoke ? 'superseded' : undefined,
      vary: (i) => ({
        holder: `${NAMES[(i * 5 + count) % NAMES.length]} ${ca[0]}${revoke ? 'r' : ''}${String(i).padStart(3, '0')}`,
        // The revoked ones end after any other (so the expiry and status orders differ at both ends).
        not_after: new Date(now + (revoke ? 800 + i : ((i * 7919 + count) % 790) - 60) * DAY).toISOString(),
        issued_at: new Date(now - (((i * 104729 + count) % 700) + 1) * DAY).toISOString(),
      }),
    });
  }
  vault.close();

  // The core's order for each sort and direction: what the table must show first.
  const reader = Vault.open(vaultPath, { kdf: { ...TEST_KDF } });
  await reader.unlock(PASSPHRASE);
  const expected = (sort: CertSort, direction: SortDirection) =>
    certificatePage(reader, { kind: 'end-entity' }, { sort, direction, position: 0, limit: FIRST }).rows.map((r) => r.holder);
  const orders = Object.fromEntries(CERT_SORTS.flatMap((s) => (['asc', 'desc'] as const).map((d) => [`${s} ${d}`, expected(s, d)])));
  const total = certificatePage(reader, { kind: 'end-entity' }, { sort: 'expiry', direction: 'asc', position: 0, limit: 1 }).total;
  reader.close();
  assert.equal(total, 303, 'the templates and their copies');
  // The sorts differ, so a table stuck on one would fail the others.
  assert.equal(new Set(Object.values(orders).map((o) => o.join('|'))).size, 10, `ten distinct orders: ${JSON.stringify(orders)}`);

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  const list = () => harness.traffic.requests('cert.list') as ListRequest[];
  const header = (sort: CertSort) => page.getByRole('columnheader', { name: HEADERS[sort] });
  const ariaSorts = async () => Object.fromEntries(await Promise.all(CERT_SORTS.map(async (s) => [s, await header(s).getAttribute('aria-sort')] as const)));

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificates', exact: true }).click();
  await page.getByTestId('cert-count').filter({ hasText: '303 certificates' }).waitFor();
  await waitForFirstRows(page, orders['expiry asc']!);
  assert.deepEqual(await ariaSorts(), { holder: 'none', expiry: 'ascending', issued: 'none', status: 'none', ca: 'none' }, 'main lists by expiry, ascending, when no sort is asked');

  await t.test('each header sorts ascending, then descending, showing first what the core lists first', async () => {
    for (const sort of CERT_SORTS) {
      for (const direction of ['asc', 'desc'] as const) {
        const word = direction === 'asc' ? 'ascending' : 'descending';
        // A click on another column sorts ascending; a click on the sorted one flips it.
        if ((await header(sort).getAttribute('aria-sort')) !== word) {
          harness.traffic.clear();
          await header(sort).getByRole('button').click();
          await waitForFirstRows(page, orders[`${sort} ${direction}`]!);
          assert.deepEqual(list()[0], { sort, direction, offset: 0, limit: PAGE_SIZE }, `${sort} ${direction}: page 0 of the new sort first`);
        }
        const rows = (await renderedRows(page)).slice(0, FIRST);
        assert.deepEqual(rows.map((r) => r.text), orders[`${sort} ${direction}`], `${sort} ${direction}: the first rows`);
        assert.deepEqual(rows.map((r) => r.index), [...Array(FIRST).keys()]);
        const sorts = await ariaSorts();
        assert.equal(sorts[sort], word, `${sort}'s aria-sort`);
        assert.deepEqual(CERT_SORTS.filter((s) => s !== sort).map((s) => sorts[s]), ['none', 'none', 'none', 'none'], 'the other headers');
      }
    }
  });

  await t.test('a sort chosen while two page requests are held: its page 0 is the next request, from the top', async () => {
    harness.traffic.clear();
    harness.traffic.hold('cert.list');
    // The list sorted by CA descending, scrolled to row 190 (36 px rows): its view spans pages 1 and 2, not fetched yet.
    await page.$eval('.vbody', (el) => {
      el.scrollTop = 190 * 36;
    });
    await waitForRequests(() => list().length, 2);
    const stale = list();
    assert.deepEqual(stale.map((r) => [r.sort, r.direction, r.offset]).sort(), [['ca', 'desc', 100], ['ca', 'desc', 200]], 'the held requests');
    await header('issued').getByRole('button').click();
    assert.equal(await header('issued').getAttribute('aria-sort'), 'ascending');
    assert.equal(list().length, 2, 'nothing more sent while both slots are taken');
    harness.traffic.release('cert.list');
    await waitForFirstRows(page, orders['issued asc']!);
    assert.deepEqual(list()[2], { sort: 'issued', direction: 'asc', offset: 0, limit: PAGE_SIZE }, 'the new sort’s page 0 was the next request');
    assert.ok(list().slice(3).every((r) => r.sort === 'issued' && r.direction === 'asc'), `nothing of the old sort after it: ${JSON.stringify(list().slice(3))}`);
    assert.equal(await page.$eval('.vbody', (el) => el.scrollTop), 0, 'the table is back at its top');
  });
});

/** Polls (by animation-free retries, no clock in the assertion) until `n()` reaches `want`; fails after 500 tries. */
async function waitForRequests(n: () => number, want: number): Promise<void> {
  for (let i = 0; i < 500 && n() < want; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(n(), want, 'requests received by main');
}
