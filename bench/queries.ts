// Benchmark (not a test): the expiry and list queries on a vault with 100,000 certificates, and
// `vault verify` over all of them.
// Usage: npm run bench:queries -- [COUNT]   (default 100000)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa } from '../electron/core/issuance/cas.js';
import { issueCertificate } from '../electron/core/issuance/issue.js';
import { listCertificates } from '../electron/core/issuance/records.js';
import { revokeCertificates } from '../electron/core/issuance/revocation.js';
import { dueForRenewal } from '../electron/core/lifecycle/renew.js';
import { verifyVault } from '../electron/core/vault/vault-verify.js';
import { createVault } from '../electron/core/issuance/new-vault.js';

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-q-'));
try {
  const vault = await createVault(join(dir, 'v.certdesk'), 'benchmark passphrase');
  const ca = await createCa(vault, { name: 'CA', subject: 'CN=Query CA', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  // Copies of one real row with their own serials, thumbprints, holders and end dates spread over two years,
  // written through the record layer (each with its MAC), one in 50 revoked the way CertDesk revokes.
  const t0 = performance.now();
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  const now = Date.now();
  const ids = vault.transaction(() =>
    Array.from({ length: count }, (_, i) => {
      const notAfter = new Date(now + ((i * 7919) % 730) * 86_400_000 - 30 * 86_400_000).toISOString();
      return vault.records.insert('certificates', { ...values, serial: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex'), holder: `Holder ${i}`, not_after: notAfter }).id as number;
    }),
  );
  revokeCertificates(vault, ids.filter((_, i) => i % 50 === 0).map(String), 'superseded');
  console.log(`inserted ${count} certificates (with their MACs) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
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
  const v0 = performance.now();
  const verified = verifyVault(vault);
  console.log(`${'vault verify (audit chain, every record)'.padEnd(44)} ${(performance.now() - v0).toFixed(1).padStart(7)} ms  (${verified.records.checked} records, ${verified.audit.entries} audit entries, ${verified.ok ? 'ok' : 'NOT ok'})`);
  vault.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
