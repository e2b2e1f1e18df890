// The certificate table's pages by key (core/query/cert-pages.ts): every sort and direction gives, at the
// first, a middle and the last position, exactly the rows of a plain ORDER BY (ties broken by id) on a vault
// full of duplicate keys; every page query is an index seek; anchors are rebuilt when certificates change.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { certificateWhere, type CertificateFilter } from '../../electron/core/issuance/records.js';
import { ANCHOR_EVERY, CERT_SORTS, certificatePage, orderBy, pageSql, seeksOf, type CertSort, type SortDirection } from '../../electron/core/query/cert-pages.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { DAY, newVault } from '../helpers/engine-vault.js';

const ROWS = 1300; // more than two anchors' worth
const HOLDERS = ['alice', 'Alice', 'Bob', 'bob', 'Öztürk', 'zoë', 'Zed'];
const STATUSES = ['valid', 'valid', 'revoked'];
const ISSUERS = ['CN=A', 'CN=B', 'CN=C'];

/** A vault with ROWS end-entity rows copied from one issued certificate, with few distinct values per sort key (many ties). */
async function duplicateKeyVault(t: TestContext): Promise<{ vault: Vault; advance(ms: number): void; caId: number }> {
  const { vault, clock } = await newVault(t);
  const ca = await createCa(vault, { name: 'CA', subject: 'CN=Pages CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  const base = clock.now().getTime();
  vault.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      vault.records.insert('certificates', {
        ...values,
        serial: (0x1000 + i).toString(16),
        sha256: i.toString(16).padStart(64, '0'),
        holder: HOLDERS[(i * 5) % HOLDERS.length]!,
        status: STATUSES[i % STATUSES.length]!,
        issuer_dn: ISSUERS[(i * 7) % ISSUERS.length]!,
        issuer_ca_id: i % 4 === 0 ? null : ca.id,
        not_after: new Date(base + (((i * 13) % 5) - 1) * DAY).toISOString(), // one in five already expired
        issued_at: new Date(base - ((i * 3) % 4) * DAY).toISOString(),
      });
    }
  });
  return { vault, advance: (ms) => clock.advance(ms), caId: ca.id };
}

/** The rows of a plain ORDER BY over the whole filter, ties by id: what every page must equal. */
function plainIds(vault: Vault, filter: CertificateFilter, sort: CertSort, direction: SortDirection, position: number, limit: number): number[] {
  const { where, args } = certificateWhere(vault, filter);
  return vault.db
    .prepare(`SELECT c.id FROM certificates c WHERE ${where} ORDER BY ${orderBy(sort, direction)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...args, limit, position) as number[];
}

function total(vault: Vault, filter: CertificateFilter): number {
  const { where, args } = certificateWhere(vault, filter);
  return vault.db.prepare(`SELECT count(*) FROM certificates c WHERE ${where}`).pluck().get(...args) as number;
}

test('every sort, both directions: pages at the first, a middle and the last positions equal a plain ORDER BY', async (t) => {
  const { vault, caId } = await duplicateKeyVault(t);
  const filters: CertificateFilter[] = [{ kind: 'end-entity' }, { kind: 'end-entity', caId }, { kind: 'end-entity', status: 'expired' }, { kind: 'end-entity', search: 'alice' }];
  let pages = 0;
  for (const filter of filters) {
    const n = total(vault, filter);
    assert.ok(n > 0, `filter ${JSON.stringify(filter)} matches rows`);
    const positions = [0, Math.floor(n / 2), ANCHOR_EVERY - 1, ANCHOR_EVERY, n - 1, Math.max(0, n - 37)].filter((p) => p < n);
    for (const sort of CERT_SORTS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const position of positions) {
          const page = certificatePage(vault, filter, { sort, direction, position, limit: 100 });
          assert.equal(page.total, n, `${sort} ${direction} ${JSON.stringify(filter)}: total`);
          assert.deepEqual(
            page.rows.map((r) => r.id),
            plainIds(vault, filter, sort, direction, position, 100),
            `${sort} ${direction} at ${position} of ${n} with ${JSON.stringify(filter)}`,
          );
          assert.ok(page.work.stepped < ANCHOR_EVERY, `a page steps at most ${ANCHOR_EVERY - 1} rows from its anchor, stepped ${page.work.stepped}`);
          pages++;
        }
        const past = certificatePage(vault, filter, { sort, direction, position: n, limit: 100 });
        assert.deepEqual([past.total, past.rows.length], [n, 0], 'a position past the end gives no rows');
      }
    }
  }
  assert.ok(pages >= 4 * 10 * 4, `pages compared: ${pages}`);
});

test('each sort and direction answers a page with an index seek: no temporary sort, no full scan', async (t) => {
  const { vault } = await duplicateKeyVault(t);
  const { where } = certificateWhere(vault, { kind: 'end-entity' });
  const expected: Record<CertSort, string> = {
    holder: 'certificates_list_holder',
    expiry: 'certificates_list_expiry',
    issued: 'certificates_list_issued',
    status: 'certificates_list_status',
    ca: 'certificates_list_ca',
  };
  // Column names as SQLite's plan gives them.
  const columns: Record<CertSort, string[]> = { holder: ['holder'], expiry: ['not_after'], issued: ['issued_at'], status: ['status', 'not_after'], ca: ['issuer_dn', 'not_after'] };
  for (const sort of CERT_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      const op = direction === 'asc' ? '>' : '<';
      const key = [...columns[sort].map(() => 'x'), 1];
      // Every seek uses its whole condition: the first the key's columns and the id, each later one the columns before one and that one.
      const wanted = [
        `${columns[sort].map((c) => `${c}=?`).join(' AND ')} AND id${op}?`,
        ...columns[sort].map((_, i, all) => [...all.slice(0, all.length - 1 - i).map((c) => `${c}=?`), `${all[all.length - 1 - i]}${op}?`].join(' AND ')),
      ];
      const seeks = seeksOf(sort, direction);
      assert.equal(seeks.length, wanted.length);
      seeks.forEach((seek, i) => {
        const plan = (vault.db.prepare(`EXPLAIN QUERY PLAN ${pageSql(where, { sort, direction }, undefined, seek.sql)} LIMIT ? OFFSET ?`).all(...seek.args(key), 100, 0) as { detail: string }[]).map((r) => r.detail);
        const certificates = plan.find((d) => / c USING /.test(d) || /^(SCAN|SEARCH) c\b/.test(d));
        assert.equal(certificates, `SEARCH c USING INDEX ${expected[sort]} (${wanted[i]})`, `${sort} ${direction} seek ${i}: ${plan.join(' | ')}`);
        assert.ok(!plan.some((d) => d.includes('TEMP B-TREE')), `${sort} ${direction} sorts in a temporary b-tree: ${plan.join(' | ')}`);
        assert.ok(!plan.some((d) => /^SCAN /.test(d)), `${sort} ${direction} scans a table: ${plan.join(' | ')}`);
      });
    }
  }
});

test('anchors are kept while nothing changes and rebuilt after a write or when an end date passes', async (t) => {
  const { vault, advance } = await duplicateKeyVault(t);
  const req = { sort: 'holder' as const, direction: 'asc' as const, position: 700, limit: 50 };
  assert.equal(certificatePage(vault, { kind: 'end-entity' }, req).work.anchorsBuilt, true, 'first page of a view builds its anchors');
  assert.equal(certificatePage(vault, { kind: 'end-entity' }, { ...req, position: 1200 }).work.anchorsBuilt, false, 'a second page reuses them');

  // A new first row under the holder sort: every later position moves by one.
  const before = certificatePage(vault, { kind: 'end-entity' }, req).rows.map((r) => r.id);
  const template = vault.db.prepare("SELECT * FROM certificates WHERE kind = 'end-entity' LIMIT 1").get() as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  vault.transaction(() => vault.records.insert('certificates', { ...values, serial: 'ffff01', sha256: 'f'.repeat(64), holder: 'Aaron' }));
  const after = certificatePage(vault, { kind: 'end-entity' }, { ...req, position: 701 });
  assert.equal(after.work.anchorsBuilt, true, 'a write through the record layer changes the generation');
  assert.deepEqual(after.rows.map((r) => r.id), before);

  // Expired rows depend on the clock: the view is rebuilt once an end date passes, not before.
  const expired = { kind: 'end-entity' as const, status: 'expired' as const };
  const n0 = certificatePage(vault, expired, { ...req, position: 0 }).total;
  advance(60_000);
  const same = certificatePage(vault, expired, { ...req, position: 0 });
  assert.deepEqual([same.total, same.work.anchorsBuilt], [n0, false], 'no end date passed within the minute');
  advance(DAY);
  const later = certificatePage(vault, expired, { ...req, position: 0 });
  assert.equal(later.work.anchorsBuilt, true);
  assert.equal(later.total, total(vault, expired));
  assert.ok(later.total > n0, `rows ending within the day became expired: ${n0} -> ${later.total}`);
});
