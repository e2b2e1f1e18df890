// Benchmark (not a test): the expiry and list queries on a vault with 100,000 certificates.
// Usage: npm run bench:queries -- [COUNT]   (default 100000)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa } from '../electron/core/issuance/cas.js';
import { issueCertificate } from '../electron/core/issuance/issue.js';
import { listCertificates } from '../electron/core/issuance/records.js';
import { dueForRenewal } from '../electron/core/lifecycle/renew.js';
import { Vault } from '../electron/core/vault/vault.js';

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-q-'));
try {
  const vault = await Vault.create(join(dir, 'v.certdesk'), 'benchmark passphrase');
  const ca = await createCa(vault, { name: 'CA', subject: 'CN=Query CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  // Copies of one real row with their own serials, thumbprints, holders and end dates spread over two years.
  const t0 = performance.now();
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, unknown>;
  const cols = Object.keys(template).filter((c) => c !== 'id');
  const insert = vault.db.prepare(`INSERT INTO certificates (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`);
  const now = Date.now();
  vault.transaction(() => {
    for (let i = 0; i < count; i++) {
      const notAfter = new Date(now + ((i * 7919) % 730) * 86_400_000 - 30 * 86_400_000).toISOString();
      insert.run({ ...template, serial: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex'), holder: `Holder ${i}`, not_after: notAfter, status: i % 50 === 0 ? 'revoked' : 'valid' });
    }
  });
  console.log(`inserted ${count} certificates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const time = (label: string, fn: () => unknown[]) => {
    fn();
    const runs = 5;
    const s = performance.now();
    let n = 0;
    for (let i = 0; i < runs; i++) n = fn().length;
    console.log(`${label.padEnd(44)} ${((performance.now() - s) / runs).toFixed(1).padStart(7)} ms  (${n} rows)`);
  };
  time('expiring within 30 days', () => listCertificates(vault, { expiringWithinDays: 30, limit: 1e6 }));
  time('expired', () => listCertificates(vault, { status: 'expired', limit: 1e6 }));
  time('revoked', () => listCertificates(vault, { status: 'revoked', limit: 1e6 }));
  time('by CA, first page of 100', () => listCertificates(vault, { caId: ca.id, limit: 100 }));
  time('search "Holder 4242", first page of 100', () => listCertificates(vault, { search: 'Holder 4242', limit: 100 }));
  time('due for renewal (every profile)', () => dueForRenewal(vault));
  vault.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
