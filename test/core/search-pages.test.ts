// Search pages (core/query/cert-pages.ts with core/search/search-hits.ts): a broad search (BROAD_SEARCH
// matches or more, walked in the sort's index order) and a narrow one give, at every position asked, exactly
// the rows of a plain ORDER BY over the full-text match; the match set is built once per search and
// generation and forgotten with a rolled-back transaction; anchors are found as pages ask for them.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { copyCertificate } from '../helpers/bulk-certificates.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { certificateWhere, type CertificateFilter } from '../../electron/core/issuance/records.js';
import { ANCHOR_EVERY, BROAD_SEARCH, certificatePage, listedMatches, matchSetTerm, orderBy, pageSql, seeksOf, unlistedMatchesSql, type CertSort, type SortDirection } from '../../electron/core/query/cert-pages.js';
import { certificateSearchHits } from '../../electron/core/search/search-hits.js';
import { syncSearchIndex } from '../../electron/core/search/search-index.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { DAY, newVault, PASSPHRASE, vaultOptions } from '../helpers/engine-vault.js';

const ROWS = BROAD_SEARCH + 1500;
const HOLDERS = ['Ayşe Öztürk', 'ayse ozturk', 'Bob Berg', 'Zoë Müller', 'zoe muller', 'Иван Петров', 'Anna Smith'];

/** ROWS end-entity rows copied from one issued certificate: many equal holders and dates; every 97th deleted (matching, but not listed). */
async function searchVault(t: TestContext): Promise<{ vault: Vault; generationOf(): number }> {
  const { vault, clock } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Search Pages CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  const { id: _id, mac: _mac, ...values } = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, string | number | Buffer | null>;
  const base = clock.now().getTime();
  vault.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      vault.records.insert('certificates', {
        ...values,
        serial: (0x10000 + i).toString(16),
        sha256: i.toString(16).padStart(64, '0'),
        holder: HOLDERS[(i * 5) % HOLDERS.length]!,
        sans: JSON.stringify([{ type: 'email', value: `user${i}@example.org` }]),
        status: i % 3 === 2 ? 'revoked' : 'valid',
        not_after: new Date(base + ((i * 13) % 40) * DAY).toISOString(),
        deleted_at: i % 97 === 0 ? new Date(base).toISOString() : null,
      });
    }
  });
  return { vault, generationOf: () => vault.db.prepare('SELECT n FROM certificate_changes WHERE id = 1').pluck().get() as number };
}

/** A plain ORDER BY over the filter as certificateWhere writes it (the FTS5 MATCH inline): what every page must equal. */
function plain(vault: Vault, filter: CertificateFilter, sort: CertSort, direction: SortDirection, position: number, limit: number): { ids: number[]; total: number } {
  const { where, args } = certificateWhere(vault, filter);
  const ids = vault.db.prepare(`SELECT c.id FROM certificates c WHERE ${where} ORDER BY ${orderBy(sort, direction)} LIMIT ? OFFSET ?`).pluck().all(...args, limit, position) as number[];
  const total = vault.db.prepare(`SELECT count(*) FROM certificates c WHERE ${where}`).pluck().get(...args) as number;
  return { ids, total };
}

test('broad and narrow searches: every page at the first, anchor-edge, middle and last positions equals a plain ORDER BY', { timeout: 300_000 }, async (t) => {
  const { vault } = await searchVault(t);
  // 'example.org' matches every row (broad: walked in index order); 'öztürk' two holders of seven; 'b' a word prefix; 'user12' a substring.
  const searches: [string, number][] = [
    ['example.org', ROWS],
    ['öztürk', 0],
    ['b', 0],
    ['user12', 0],
  ];
  for (const [search, expectMatches] of searches) {
    const filter: CertificateFilter = { kind: 'end-entity', search };
    for (const sort of ['holder', 'expiry', 'status'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const { total } = plain(vault, filter, sort, direction, 0, 1);
        assert.ok(total > 0, `${search}: some rows match`);
        for (const position of [0, ANCHOR_EVERY - 1, ANCHOR_EVERY, Math.floor(total / 2), Math.max(0, total - 40)]) {
          if (position >= total) continue;
          const page = certificatePage(vault, filter, { sort, direction, position, limit: 60 });
          const expected = plain(vault, filter, sort, direction, position, 60);
          assert.equal(page.total, expected.total, `${search} ${sort} ${direction}: total`);
          assert.deepEqual(page.rows.map((r) => r.id), expected.ids, `${search} ${sort} ${direction} at ${position}`);
          if (expectMatches) assert.equal(page.work.matches, expectMatches, `${search}: the match set holds every matching row, deleted ones too`);
        }
      }
    }
  }
  const broad = certificatePage(vault, { kind: 'end-entity', search: 'example.org' }, { sort: 'holder', direction: 'asc', position: 0, limit: 10 });
  assert.ok(broad.work.matches! >= BROAD_SEARCH);
  const narrow = certificatePage(vault, { kind: 'end-entity', search: 'öztürk' }, { sort: 'holder', direction: 'asc', position: 0, limit: 10 });
  assert.ok(narrow.work.matches! < BROAD_SEARCH, `öztürk matches ${narrow.work.matches}`);
});

test('a broad search pages by an index seek on the sort index, with no temporary sort', async (t) => {
  const { vault, generationOf } = await searchVault(t);
  syncSearchIndex(vault.db);
  const hits = certificateSearchHits(vault.db, 'example.org', generationOf())!;
  assert.equal(hits.count, ROWS);
  const { where, args } = certificateWhere(vault, { kind: 'end-entity' });
  const searched = `${where} AND ${matchSetTerm(hits.table, true)}`;
  const [seek] = seeksOf('expiry', 'desc');
  const plan = (vault.db.prepare(`EXPLAIN QUERY PLAN ${pageSql(searched, { sort: 'expiry', direction: 'desc' }, true, seek!.sql)} LIMIT ? OFFSET ?`).all(...args, ...seek!.args(['x', 1]), 100, 0) as { detail: string }[]).map((r) => r.detail);
  // The seek's whole condition on the sort's index; the match set a probe per row, never a seek per id in it.
  assert.equal(plan.find((d) => /\bc\b USING/.test(d)), 'SEARCH c USING INDEX certificates_list_expiry (not_after=? AND id<?)', plan.join(' | '));
  assert.ok(!plan.some((d) => d.includes('TEMP B-TREE')), plan.join(' | '));
  assert.ok(plan.some((d) => d.includes(`ROWID SEARCH ON TABLE ${hits.table.slice('temp.'.length)} FOR IN-OPERATOR`)), plan.join(' | '));
});

test('the match set is built once per search and generation, and a rolled-back transaction forgets it', async (t) => {
  const { vault, generationOf } = await searchVault(t);
  const filter: CertificateFilter = { kind: 'end-entity', search: 'Zoë' };
  const req = { sort: 'holder' as const, direction: 'asc' as const, position: 0, limit: 20 };
  const first = certificatePage(vault, filter, req);
  assert.deepEqual([first.work.searchBuilt, first.work.anchorsBuilt, first.work.anchorsAdded], [true, true, 1]);
  const zoes = plain(vault, filter, 'holder', 'asc', 0, 1).total;
  assert.equal(first.total, zoes);
  // Another sort of the same search: a new view (count and anchors), the same match set.
  const other = certificatePage(vault, filter, { ...req, sort: 'expiry' });
  assert.deepEqual([other.work.searchBuilt, other.work.anchorsBuilt], [false, true]);
  // A jump to row p adds floor(p / ANCHOR_EVERY) anchors, one step each; the page after it adds none.
  const jump = certificatePage(vault, filter, { ...req, position: 2 * ANCHOR_EVERY + 5 });
  assert.deepEqual([jump.work.searchBuilt, jump.work.anchorsBuilt, jump.work.anchorsAdded, jump.work.stepped], [false, false, 2, 5]);
  assert.equal(certificatePage(vault, filter, { ...req, position: 2 * ANCHOR_EVERY + 25 }).work.anchorsAdded, 0);

  // A certificate renamed into the search: the generation changes, the set is built again and holds it.
  const renamed = vault.db.prepare("SELECT id FROM certificates WHERE holder = 'Bob Berg' AND deleted_at IS NULL LIMIT 1").pluck().get() as number;
  const before = generationOf();
  vault.transaction(() => vault.records.update('certificates', { id: renamed }, { holder: 'Zoë Berg' }));
  assert.notEqual(generationOf(), before);
  const after = certificatePage(vault, filter, req);
  assert.deepEqual([after.work.searchBuilt, after.total], [true, zoes + 1]);

  // A transaction that filled another search's set and then failed leaves nothing behind that a later search could reuse.
  syncSearchIndex(vault.db);
  assert.throws(() =>
    vault.db.transaction(() => {
      assert.equal(certificateSearchHits(vault.db, 'Иван', generationOf())!.built, true);
      throw new Error('rolled back');
    })(),
  /rolled back/);
  const again = certificateSearchHits(vault.db, 'Иван', generationOf())!;
  assert.equal(again.built, true, 'the rolled-back set is not reused');
  assert.equal(again.count, vault.db.prepare("SELECT count(*) FROM certificates WHERE holder = 'Иван Петров'").pluck().get());
  assert.equal(vault.db.prepare(`SELECT count(*) FROM ${again.table}`).pluck().get(), again.count);
});

test('a far jump finds every anchor on its way, one step each, on a sort of two columns too; scrolling on finds none', async (t) => {
  const { vault } = await searchVault(t);
  for (const filter of [{ kind: 'end-entity' }, { kind: 'end-entity', search: 'example.org' }] satisfies CertificateFilter[]) {
    for (const direction of ['asc', 'desc'] as const) {
      const { total } = plain(vault, filter, 'status', direction, 0, 1);
      const anchors = Math.floor((total - 1) / ANCHOR_EVERY) + 1;
      assert.ok(anchors >= 10, `${anchors} anchors: a far jump`);
      const last = certificatePage(vault, filter, { sort: 'status', direction, position: total - 1, limit: 10 });
      assert.deepEqual([last.work.anchorsBuilt, last.work.anchorsAdded, last.rows.map((r) => r.id)], [true, anchors, plain(vault, filter, 'status', direction, total - 1, 10).ids], `${filter.search ?? 'no search'} ${direction}`);
      const middle = certificatePage(vault, filter, { sort: 'status', direction, position: 3 * ANCHOR_EVERY + 7, limit: 30 });
      assert.deepEqual([middle.work.anchorsAdded, middle.rows.map((r) => r.id)], [0, plain(vault, filter, 'status', direction, 3 * ANCHOR_EVERY + 7, 30).ids]);
    }
  }
});

test('a search of the list counts its matches less the CA and deleted certificates among them, on their own small index', async (t) => {
  const { vault, generationOf } = await searchVault(t);
  syncSearchIndex(vault.db);
  // "search pages" matches the CA's own certificate (CN=Search Pages CA) and nothing listed.
  const caOnly = certificatePage(vault, { kind: 'end-entity', search: 'search pages' }, { sort: 'holder', direction: 'asc', position: 0, limit: 10 });
  assert.deepEqual([caOnly.total, caOnly.work.matches, caOnly.rows.length, caOnly.work.countedFromMatches], [0, 1, 0, true]);
  // The list with a search counts from the match set; a search with another filter counts its rows.
  const all = certificatePage(vault, { kind: 'end-entity', search: 'example.org' }, { sort: 'expiry', direction: 'asc', position: 0, limit: 10 });
  assert.deepEqual([all.work.countedFromMatches, all.total], [true, plain(vault, { kind: 'end-entity', search: 'example.org' }, 'expiry', 'asc', 0, 1).total]);
  const revoked = certificatePage(vault, { kind: 'end-entity', status: 'revoked', search: 'example.org' }, { sort: 'expiry', direction: 'asc', position: 0, limit: 10 });
  assert.deepEqual([revoked.work.countedFromMatches, revoked.total], [false, plain(vault, { kind: 'end-entity', status: 'revoked', search: 'example.org' }, 'expiry', 'asc', 0, 1).total]);
  // "example.org" matches every copied row, every 97th of them deleted.
  const deleted = vault.db.prepare("SELECT count(*) FROM certificates WHERE deleted_at IS NOT NULL AND sans LIKE '%example.org%'").pluck().get() as number;
  assert.ok(deleted > 0);
  const hits = certificateSearchHits(vault.db, 'example.org', generationOf())!;
  assert.equal(listedMatches(vault.db, hits), ROWS - deleted);
  assert.equal(listedMatches(vault.db, hits), plain(vault, { kind: 'end-entity', search: 'example.org' }, 'holder', 'asc', 0, 1).total);
  const plan = (vault.db.prepare(`EXPLAIN QUERY PLAN ${unlistedMatchesSql(hits.table)}`).all() as { detail: string }[]).map((r) => r.detail);
  assert.match(plan[0] ?? '', /^SCAN c USING COVERING INDEX certificates_unlisted$/, plan.join(' | '));
  // A set made while rows were queued for the index: no shortcut.
  assert.equal(listedMatches(vault.db, { ...hits, complete: false }), undefined);
});

test('a match set made while another process\'s rows waited for the index serves that page only; the next is right', async (t) => {
  const { vault, path } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Race CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.org' }], keyType: 'ec-p256' });
  const ids = copyCertificate(vault, record.id, { count: 30 });
  const filter: CertificateFilter = { kind: 'end-entity', search: 'example.org' };
  const listed = (sort: CertSort) => plain(vault, filter, sort, 'asc', 0, 1).total;
  assert.equal(certificatePage(vault, filter, { sort: 'holder', direction: 'asc', position: 0, limit: 100 }).total, 31);
  // Another process writes between this one's syncSearchIndex and its read transaction (a hook on the next transaction).
  const other = new Database(path);
  t.after(() => other.close());
  const otherVault = Vault.open(path, vaultOptions());
  await otherVault.unlock(PASSPHRASE);
  t.after(() => otherVault.close());
  const transaction = vault.db.transaction.bind(vault.db);
  let write: (() => void) | undefined;
  (vault.db as { transaction: unknown }).transaction = (fn: () => unknown) => {
    const run = transaction(fn);
    return () => {
      write?.();
      write = undefined;
      return run();
    };
  };
  t.after(() => void ((vault.db as { transaction: unknown }).transaction = transaction));
  for (const [what, change] of [
    ['a matching row removed', () => other.prepare('DELETE FROM certificates WHERE id = ?').run(ids[0])],
    ['a matching row added', () => copyCertificate(otherVault, record.id, { count: 1 })],
  ] as const) {
    write = () => void change();
    const raced = certificatePage(vault, filter, { sort: 'holder', direction: 'asc', position: 0, limit: 100 });
    assert.equal(raced.work.countedFromMatches, false, `${what}: a set made with rows queued is not counted from`);
    assert.equal(raced.total, raced.rows.length, `${what}: the total is the rows the page serves`);
    for (const sort of ['expiry', 'holder'] as const) {
      const next = certificatePage(vault, filter, { sort, direction: 'asc', position: 0, limit: 100 });
      assert.deepEqual([next.total, next.rows.length, next.work.searchBuilt], [listed(sort), listed(sort), sort === 'expiry'], `${what}: ${sort} after the sync`);
    }
  }
});
