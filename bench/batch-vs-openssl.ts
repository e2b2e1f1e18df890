// Benchmark (not a test): CertDesk's batch issuance beside the per-user openssl recipe that administrators
// run today (genpkey, req, x509 -req, pkcs12 -export: four processes per user), measured on this machine in
// this run. Prints time per certificate, the ratio, and CertDesk's peak memory at two batch sizes.
// Usage: npm run bench -- [ROWS]   (default 100)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rows = Number(process.argv[2] ?? 100);
const runner = fileURLToPath(new URL('./batch-run.js', import.meta.url));

function opensslRecipe(keyType: 'ec-p256' | 'rsa-2048', n: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-openssl-'));
  const o = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const keyArgs = keyType === 'ec-p256' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  try {
    o('genpkey', ...keyArgs, '-out', 'ca.key');
    o('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Bench CA', '-days', '3650', '-out', 'ca.pem');
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      o('genpkey', ...keyArgs, '-out', `u${i}.key`);
      o('req', '-new', '-key', `u${i}.key`, '-subj', `/CN=User ${i}/emailAddress=user${i}@example.com`, '-out', `u${i}.csr`);
      o('x509', '-req', '-in', `u${i}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(1000 + i), '-days', '365', '-out', `u${i}.pem`);
      o('pkcs12', '-export', '-inkey', `u${i}.key`, '-in', `u${i}.pem`, '-certfile', 'ca.pem', '-passout', 'pass:Bench-Password-1', '-out', `u${i}.pfx`);
    }
    return (performance.now() - started) / n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function certdesk(keyType: string, n: number): { msPerCert: number; peakRssMiB: number } {
  return JSON.parse(execFileSync(process.execPath, [runner, String(n), keyType], { encoding: 'utf8' })) as { msPerCert: number; peakRssMiB: number };
}

console.log(`CertDesk batch vs the openssl recipe, ${rows} certificates each, ${availableParallelism()} cores`);
console.log('key       openssl ms/cert  CertDesk ms/cert  speed-up  CertDesk peak RSS');
for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
  const base = opensslRecipe(keyType, rows);
  const ours = certdesk(keyType, rows);
  console.log(
    `${keyType.padEnd(9)} ${base.toFixed(1).padStart(15)}  ${ours.msPerCert.toFixed(1).padStart(16)}  ${(base / ours.msPerCert).toFixed(2).padStart(7)}x  ${ours.peakRssMiB.toFixed(0).padStart(13)} MiB`,
  );
}
const small = certdesk('ec-p256', rows);
const large = certdesk('ec-p256', rows * 4);
console.log(`memory: peak RSS ${small.peakRssMiB.toFixed(0)} MiB for ${rows} rows, ${large.peakRssMiB.toFixed(0)} MiB for ${rows * 4} rows (ec-p256)`);
