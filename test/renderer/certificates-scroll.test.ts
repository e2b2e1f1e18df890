// The certificate table in Chromium through the harness (the real main process, the real page), over a
// vault of 3,000 certificates: main's answers to cert.list are held while the table is scrolled to the
// bottom, so the renderer can show how many requests it sends to a slow main; every figure is a count of
// the requests the harness received, never a time (issue 13).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RequestOf } from '../../shared/api.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startHarness } from '../harness/server.js';
import { launchChromium } from '../helpers/browser.js';
import { copyCertificate } from '../helpers/bulk-certificates.js';
import { TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'scroll the whole table';
const COUNT = 3000;
const PAGE_SIZE = 100;
type ListRequest = RequestOf<'cert.list'>;

/** The rows the table has rendered now: their 0-based index and first cell's text. */
async function renderedRows(page: Page): Promise<{ index: number; text: string }[]> {
  return page.$$eval('.vbody [role="row"]', (rows) =>
    rows.map((r) => ({ index: Number(r.getAttribute('aria-rowindex')) - 2, text: (r.querySelector('[role="cell"]')?.textContent ?? '').trim() })),
  );
}

/** Scrolls the table's body to `fraction` of its height in `frames` steps, one per animation frame. */
async function scrollTable(page: Page, fraction: number, frames: number): Promise<void> {
  await page.$eval(
    '.vbody',
    (el, { fraction, frames }) =>
      new Promise<void>((done) => {
        // The page's requestAnimationFrame (the tests compile without the DOM types).
        const requestAnimationFrame = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
        const from = el.scrollTop;
        const to = (el.scrollHeight - el.clientHeight) * fraction;
        let i = 0;
        const step = () => {
          i++;
          el.scrollTop = from + ((to - from) * i) / frames;
          if (i < frames) requestAnimationFrame(step);
          else requestAnimationFrame(() => done());
        };
        requestAnimationFrame(step);
      }),
    { fraction, frames },
  );
}

test('the certificate table over 3,000 certificates: a fast scroll and a search against a slow main', { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const work = tempDir(t);
  const vaultPath = join(work, 'vault.certdesk');
  // Copies of one issued certificate (one transaction); all share its expiry, so the table (soonest
  // expiry first, then id) shows the template first and the copies in the order they were made.
  const vault = await createVault(vaultPath, PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'CA', subject: 'CN=Scroll CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  copyCertificate(vault, record.id, { count: COUNT - 1, vary: (i) => ({ holder: `Bulk ${String(i + 1).padStart(4, '0')}` }) });
  vault.close();

  const harness = await startHarness({ vaultPath, workDir: work, browser });
  t.after(() => harness.close());
  const page = harness.page!;
  const list = () => harness.traffic.requests('cert.list') as ListRequest[];

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Certificates', exact: true }).click();
  await page.getByTestId('cert-count').filter({ hasText: '3,000 certificates' }).waitFor();
  await page.locator('.vbody [role="row"]').filter({ hasText: 'Template' }).waitFor();

  await t.test('scrolled to the bottom in 60 frames while main holds its answers: 2 requests, then only the pages in view', async () => {
    harness.traffic.clear();
    harness.traffic.hold('cert.list');
    await scrollTable(page, 1, 60);
    // 30 pages passed; the table sent requests for the first two it needed and then waited for them.
    assert.equal(list().length, 2, `list requests during the scroll: ${list().map((r) => r.offset)}`);
    assert.equal(harness.traffic.maxOutstanding('cert.list'), 2);
    const stale = list().map((r) => r.offset);
    const before = await renderedRows(page);
    assert.ok(before.some((r) => r.text === 'Loading…'), 'the rows at the bottom wait for their pages');
    const inView = [...new Set(before.map((r) => Math.floor(r.index / PAGE_SIZE)))].sort((a, b) => a - b);
    assert.deepEqual(inView.at(-1), COUNT / PAGE_SIZE - 1, 'the table is at its last page');
    assert.ok(stale.every((o) => o / PAGE_SIZE < inView[0]!), `the requests out are for pages scrolled past: ${stale}`);

    harness.traffic.release('cert.list');
    await page.waitForFunction(() => {
      const rows = Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('.vbody [role="row"]'));
      return rows.length > 0 && rows.every((r) => !r.textContent?.includes('Loading…'));
    });
    const after = await renderedRows(page);
    assert.deepEqual(after.at(-1), { index: COUNT - 1, text: 'Bulk 2999' }, 'the last row shows its certificate');
    for (const r of after) assert.equal(r.text, `Bulk ${String(r.index).padStart(4, '0')}`, `row ${r.index}`);
    // After the two stale answers, exactly one request per page in view, and nothing else.
    assert.deepEqual(list().slice(2).map((r) => r.offset).sort((a, b) => a - b), inView.map((p) => p * PAGE_SIZE));
    assert.equal(harness.traffic.maxOutstanding('cert.list'), 2);
  });

  await t.test('a search typed after a fast scroll is the next request main answers', async () => {
    harness.traffic.clear();
    harness.traffic.hold('cert.list');
    await scrollTable(page, 0.3, 30);
    assert.equal(list().length, 2, 'two requests out for pages passed on the way up');
    await page.getByLabel('Search').fill('Bulk 1234');
    await page.getByTestId('cert-count').filter({ hasText: 'Loading…' }).waitFor(); // the new filter is set
    assert.equal(list().length, 2, 'nothing more sent while both slots are taken');
    harness.traffic.release('cert.list');
    await page.getByTestId('cert-count').filter({ hasText: '1 certificate' }).waitFor();
    await page.locator('.vbody [role="row"]').filter({ hasText: 'Bulk 1234' }).waitFor();
    assert.deepEqual(list().slice(2), [{ search: 'Bulk 1234', offset: 0, limit: PAGE_SIZE }], 'the search page 0 was the next request, and the only one');
    assert.deepEqual((await renderedRows(page)).map((r) => r.text), ['Bulk 1234']);
  });
});
