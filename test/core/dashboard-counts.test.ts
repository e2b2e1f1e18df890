// The dashboard's counts and expiry series (core/query/dashboard-counts.ts): the right numbers, each from
// one query on the partial covering index certificates_live_status (no table row read, no temporary sort).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { deleteCertificates } from '../../electron/core/lifecycle/delete.js';
import { certificateCounts, expiryCounts } from '../../electron/core/query/dashboard-counts.js';
import { DAY, newVault } from '../helpers/engine-vault.js';

test('dashboard counts and expiry series: right values from the covering index', async (t) => {
  const { vault, clock } = await newVault(t);
  const root = await createCa(vault, { name: 'Root', subject: 'CN=Dash Root', keyType: 'ec-p256' });
  const issue = async (name: string, days: number) =>
    (await issueCertificate(vault, { ca: 'Root', profile: 'user', name, sans: [{ type: 'email', value: `${name}@example.com` }], keyType: 'ec-p256', days })).record;
  await issue('a', 10); // expired after the clock moves 20 days
  await issue('b', 40); // valid, ends within 30 days after the move
  await issue('c', 100); // valid
  const d = await issue('d', 100);
  const e = await issue('e', 100);
  revokeCertificate(vault, String(d.id), 'superseded');
  deleteCertificates(vault, [String(e.id)]);
  clock.advance(20 * DAY);
  const now = clock.iso();
  assert.deepEqual({ ...certificateCounts(vault.db, now, clock.iso(30 * DAY)) }, { valid: 2, expired: 1, revoked: 1, expiringSoon: 1 });
  const month = (days: number) => clock.iso(days * DAY).slice(0, 7);
  const series = expiryCounts(vault.db, now, clock.iso(400 * DAY)).map((r) => ({ ...r }));
  const expected = new Map<string, number>();
  for (const days of [20, 80]) expected.set(month(days), (expected.get(month(days)) ?? 0) + 1);
  assert.deepEqual(
    series.sort((x, y) => x.month.localeCompare(y.month)),
    [...expected].map(([m, n]) => ({ ca: root.id, month: m, n })),
  );

  const plans = [
    "SELECT count(*) FROM certificates WHERE kind = 'end-entity' AND deleted_at IS NULL AND status = 'valid' AND not_after > ?",
    "SELECT issuer_ca_id, substr(not_after, 1, 7) AS month, count(*) FROM certificates WHERE kind = 'end-entity' AND deleted_at IS NULL AND status = 'valid' AND not_after > ? AND not_after < ? GROUP BY issuer_ca_id, month",
  ];
  for (const sql of plans) {
    const plan = (vault.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split("?").slice(1).map(() => now)) as { detail: string }[]).map((r) => r.detail);
    assert.match(plan[0]!, /^SEARCH certificates USING COVERING INDEX certificates_live_status \(status=\? AND not_after>\?/, plan.join(' | '));
  }
  // The whole counts query: every count a covering-index search.
  const whole = vault.db.prepare('EXPLAIN QUERY PLAN ' + "SELECT (SELECT count(*) FROM certificates WHERE kind = 'end-entity' AND deleted_at IS NULL AND status = 'revoked') AS r").all() as { detail: string }[];
  assert.ok(whole.some((r) => r.detail.startsWith('SEARCH certificates USING COVERING INDEX certificates_live_status (status=?)')), whole.map((r) => r.detail).join(' | '));
});

test('the expiry chart window: twelve calendar months from the current one (the "12 months" its label says), end at the first instant after them', async () => {
  const { expiryWindow, EXPIRY_MONTHS } = await import('../../electron/core/query/dashboard-counts.js');
  assert.equal(EXPIRY_MONTHS, 12);
  const w = expiryWindow(new Date('2026-12-15T10:00:00Z'));
  assert.deepEqual(w.months, ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10', '2027-11']);
  assert.equal(w.end, '2027-12-01T00:00:00.000Z');
  // The first day of a month at midnight UTC: that month is the first bar.
  assert.deepEqual(expiryWindow(new Date('2027-01-01T00:00:00Z')).months.slice(0, 1), ['2027-01']);
  assert.equal(expiryWindow(new Date('2027-01-01T00:00:00Z')).end, '2028-01-01T00:00:00.000Z');
});
