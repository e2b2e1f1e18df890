// Benchmark helper (not a test): where a CRL of N revoked entries spends its time. Builds a vault of N copies of
// one certificate (all revoked, as CertDesk revokes), then times each step of generateCrl on the main thread
// (the revoked set read and checked, the entries mapped, the DER built and signed) and writes a V8 CPU profile
// of those steps (summarise it with dist/bench/profile-top.js).
// Usage: node dist/bench/crl-profile.js [--certificates N] [--profile FILE.cpuprofile]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, loadSigner } from '../electron/core/issuance/cas.js';
import { issueCertificate } from '../electron/core/issuance/issue.js';
import { createVault } from '../electron/core/issuance/new-vault.js';
import { getCaRow } from '../electron/core/issuance/records.js';
import { revokeCertificates } from '../electron/core/issuance/revocation.js';
import { checkRevokedSet } from '../electron/core/issuance/signing-chain.js';
import { signCrl } from '../electron/core/pki/crl.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const count = Number(arg('certificates') ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'certdesk-crl-prof-'));
const vault = await createVault(join(dir, 'v.certdesk'), 'crl profile passphrase', { kdf: { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } });
const ca = await createCa(vault, { name: 'Corp CA', subject: 'CN=Corp CA', keyType: 'ec-p256' });
const { record } = await issueCertificate(vault, { ca: 'Corp CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
const { id: _id, mac: _mac, ...values } = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, unknown>;
vault.transaction(() => {
  for (let i = 0; i < count - 1; i++) {
    vault.records.insert('certificates', { ...values, serial: randomBytes(16).toString('hex'), sha1: randomBytes(20).toString('hex'), sha256: randomBytes(32).toString('hex'), holder: `Holder ${i}` });
  }
});
const ids = vault.db.prepare("SELECT id FROM certificates WHERE kind = 'end-entity'").pluck().all() as number[];
for (let i = 0; i < ids.length; i += 10_000) revokeCertificates(vault, ids.slice(i, i + 10_000).map((id) => `id:${id}`), 'superseded');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const steps: Record<string, number> = {};
let t = performance.now();
const step = (name: string) => {
  const now = performance.now();
  steps[name] = now - t;
  t = now;
};
const signer = await loadSigner(vault, ca, 'crl');
step('loadSigner');
const revoked = checkRevokedSet(vault, getCaRow(vault, ca.id)!);
step('checkRevokedSet (read + MAC-check the revoked set)');
const entries = revoked.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revoked_at), reason: r.revocation_reason }));
step('entries mapped');
const der = await signCrl({ issuerDer: new Uint8Array(signer.certificate.rawData), privateKey: signer.privateKey, keyType: signer.keyType, crlNumber: 1, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 86_400_000), entries });
step('signCrl (DER built and signed)');
const { profile } = await session.post('Profiler.stop');
writeFileSync(arg('profile') ?? join(tmpdir(), 'crl.cpuprofile'), JSON.stringify(profile));
for (const [name, ms] of Object.entries(steps)) console.log(`${name.padEnd(52)} ${ms.toFixed(1)} ms`);
console.log(JSON.stringify({ entries: revoked.length, bytes: der.length, steps }));
vault.close();
rmSync(dir, { recursive: true, force: true });
