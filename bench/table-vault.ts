// A vault of N certificates for the table benchmark (bench/table.ts), quickly: one real issued
// certificate and N-1 copies of its row with their own serials, thumbprints, holders and end dates
// (spread over two years, a few already expired), written through the record layer in transactions
// of 10,000 (each row with its MAC), one in 50 revoked the way CertDesk revokes.
import { randomBytes } from 'node:crypto';
import { createCa } from '../electron/core/issuance/cas.js';
import { issueCertificate } from '../electron/core/issuance/issue.js';
import { createVault } from '../electron/core/issuance/new-vault.js';
import { revokeCertificates } from '../electron/core/issuance/revocation.js';

const CHUNK = 10_000;
const DAY = 86_400_000;

/**
 * Creates the vault file `path` (passphrase `passphrase`, the production KDF) holding `count`
 * end-entity certificates (count >= 1) under one P-256 CA, and closes it. Returns the seconds taken.
 */
export async function makeTableVault(path: string, passphrase: string, count: number): Promise<number> {
  const t0 = performance.now();
  const vault = await createVault(path, passphrase);
  try {
    await createCa(vault, { name: 'CA', subject: 'CN=Table Bench CA', keyType: 'ec-p256' });
    const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Holder 0', sans: [{ type: 'email', value: 'h0@example.com' }], keyType: 'ec-p256' });
    const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, string | number | Buffer | null>;
    const { id: _id, mac: _mac, ...values } = template;
    const now = Date.now();
    for (let from = 1; from < count; from += CHUNK) {
      const ids = vault.transaction(() =>
        Array.from({ length: Math.min(CHUNK, count - from) }, (_, k) => {
          const i = from + k;
          const notAfter = new Date(now + ((i * 7919) % 730) * DAY - 30 * DAY).toISOString();
          return vault.records.insert('certificates', { ...values, serial: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex'), key_id: null, holder: `Holder ${i}`, not_after: notAfter }).id as number;
        }),
      );
      revokeCertificates(vault, ids.filter((_, k) => (from + k) % 50 === 0).map(String), 'superseded');
    }
  } finally {
    vault.close();
  }
  return (performance.now() - t0) / 1000;
}
