// Benchmark (not a test): CertDesk's batch issuance beside the per-user openssl recipe that administrators
// run today (genpkey, req, x509 -req, pkcs12 -export -iter 10000: four processes per user) and beside the
// cryptographic floor (bench/floor.ts), all measured on this machine in this run, for P-256 modern, P-256
// legacy and RSA-2048 modern PFX files. Then CertDesk's peak memory at two batch sizes (P-256 modern).
// Each comparison is printed twice: as wall time, and as CPU time (CertDesk: every thread of the batch's process;
// the floor: the CPU of its parts), whose ratio holds on a machine busy with other work. Then one bundle of each
// case timed on one core, its PFX and its other files apart (bench/bundle-parts.ts): the other files are work the
// recipe does not do, so (floor + other files) / floor is as close to the floor as a batch of such bundles can come.
// Usage: npm run bench -- [ROWS] [RECIPE_ROWS] [MEMORY_ROWS]
//   ROWS         rows of each CertDesk batch (default 300)
//   RECIPE_ROWS  users run through the openssl recipe (default 20: it is 10 to 100 times slower)
//   MEMORY_ROWS  the two batch sizes whose peak RSS is printed, comma-separated (default 1000,5000)
// Prints a table, then one line "JSON {...}" with every figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyType, PfxEncryption } from '../shared/domain.js';
import type { BundleParts } from './bundle-parts.js';
import { PFX_ITERATIONS, measureFloor, type Floor, type FloorParts } from './floor.js';

const rows = Number(process.argv[2] ?? 300);
const recipeRows = Number(process.argv[3] ?? 20);
const memoryRows = (process.argv[4] ?? '1000,5000').split(',').map(Number);
const runner = fileURLToPath(new URL('./batch-run.js', import.meta.url));
const cores = availableParallelism();

interface Case {
  keyType: KeyType;
  encryption: PfxEncryption;
}
const CASES: Case[] = [
  { keyType: 'ec-p256', encryption: 'modern' },
  { keyType: 'ec-p256', encryption: 'legacy' },
  { keyType: 'rsa-2048', encryption: 'modern' },
];

/** The recipe's pkcs12 options for the same PFX CertDesk writes: AES-256/PBKDF2-SHA256 + SHA-256 MAC, or 3DES + SHA-1 MAC. */
function recipePkcs12Args(encryption: PfxEncryption): string[] {
  const iter = ['-iter', String(PFX_ITERATIONS)];
  return encryption === 'modern' ? iter : [...iter, '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'];
}

function opensslRecipe({ keyType, encryption }: Case, n: number): number {
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
      o('pkcs12', '-export', ...recipePkcs12Args(encryption), '-inkey', `u${i}.key`, '-in', `u${i}.pem`, '-certfile', 'ca.pem', '-passout', 'pass:Bench-Password-1', '-out', `u${i}.pfx`);
    }
    return (performance.now() - started) / n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Run {
  msPerCert: number;
  /** CPU time of every thread of the batch's process per certificate: unlike msPerCert, the same on a busy machine. */
  cpuMsPerCert: number;
  seconds: number;
  peakRssMiB: number;
  /** Whose peak: the batch's alone ("batch": the high-water mark reset after the unlock, Linux) or the whole process's. */
  peakRssOf: 'batch' | 'process';
  /** Peaks of the main thread's memory (MiB): heapUsed, heapTotal, external, arrayBuffers, rss. */
  mainPeaksMiB: Record<string, number>;
  /** The kernel's share of cpuMsPerCert (process.cpuUsage system time): files made, flushed and renamed, SQLite's writes. */
  systemCpuMsPerCert: number;
  /** With --parts: one bundle on one core, its PFX and its other files apart (bench/bundle-parts.ts). */
  parts?: BundleParts;
}

function certdesk({ keyType, encryption }: Case, n: number, parts = false): Run {
  return JSON.parse(execFileSync(process.execPath, [runner, String(n), keyType, encryption, ...(parts ? ['--parts'] : [])], { encoding: 'utf8' })) as Run;
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);
console.log(`CertDesk batch (${rows} rows) vs the openssl recipe (${recipeRows} users) vs the floor; ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('case              recipe ms/cert  CertDesk ms/cert  floor ms/cert  CertDesk/floor  recipe/CertDesk   (wall time)');
console.log('                                  CertDesk CPU      floor CPU      CertDesk/floor                   (CPU ms/cert, all threads)');
const results: {
  keyType: KeyType;
  encryption: PfxEncryption;
  recipeMsPerCert: number;
  certdesk: Run;
  floor: Floor;
  certdeskOverFloor: number;
  /** CertDesk's CPU ms/cert (all threads) over the floor's one-core CPU sum: the ratio a busy machine does not move. */
  certdeskCpuOverFloorCpu: number;
  /** The same against the floor with every appendix B KDF at OpenSSL's own speed (Floor.cpuOpensslKdf). */
  certdeskCpuOverOpensslKdfFloor: number | null;
  /**
   * (floor CPU + the bundle's other files' CPU) / floor CPU: the lowest CertDesk CPU / floor CPU can be while each
   * certificate gets the bundle's other files (measured alone, bench/bundle-parts.ts), were all else free.
   */
  lowestCpuOverFloorWithBundle: number;
  recipeOverCertdesk: number;
}[] = [];
for (const c of CASES) {
  const recipe = opensslRecipe(c, recipeRows);
  const floor = await measureFloor(c.keyType, c.encryption, c.keyType.startsWith('rsa') ? 'rsa-2048' : 'ec-p256', cores);
  const ours = certdesk(c, rows, true);
  const parts = ours.parts!;
  const r = {
    ...c,
    recipeMsPerCert: recipe,
    certdesk: ours,
    floor,
    certdeskOverFloor: ours.msPerCert / floor.floorMs,
    certdeskCpuOverFloorCpu: ours.cpuMsPerCert / floor.cpu.oneCoreMs,
    certdeskCpuOverOpensslKdfFloor: floor.cpuOpensslKdf ? ours.cpuMsPerCert / floor.cpuOpensslKdf.oneCoreMs : null,
    lowestCpuOverFloorWithBundle: (floor.cpu.oneCoreMs + parts.otherFilesCpuMs) / floor.cpu.oneCoreMs,
    recipeOverCertdesk: recipe / ours.msPerCert,
  };
  results.push(r);
  console.log(
    `${`${c.keyType} ${c.encryption}`.padEnd(16)} ${fixed(recipe).padStart(15)}  ${fixed(ours.msPerCert).padStart(16)}  ${fixed(floor.floorMs, 2).padStart(13)}  ${fixed(r.certdeskOverFloor, 2).padStart(13)}x  ${fixed(r.recipeOverCertdesk, 2).padStart(14)}x`,
  );
  // CPU: CertDesk's CPU ms/cert of every thread against the floor's one-core CPU sum (the same work on any number of cores).
  console.log(`${''.padEnd(33)} ${fixed(ours.cpuMsPerCert).padStart(12)}  ${fixed(floor.cpu.oneCoreMs, 2).padStart(13)}  ${fixed(r.certdeskCpuOverFloorCpu, 2).padStart(13)}x`);
  const kdfRounds = Object.entries(floor.opensslKdfRoundUs).map(([hash, us]) => `${hash} ${fixed(us, 3)} us/round`).join(', ');
  const floorLines: [string, FloorParts][] = [['wall', floor], ['CPU', floor.cpu]];
  if (floor.cpuOpensslKdf) floorLines.push([`CPU with OpenSSL's PKCS12KDF (${kdfRounds})`, floor.cpuOpensslKdf]);
  for (const [label, parts] of floorLines) {
    const steps = [`key ${fixed(parts.keygenMs, 2)}`, `signature ${fixed(parts.signMs, 2)}`, ...Object.entries(parts.kdfMs).map(([what, ms]) => `${what} ${fixed(ms, 2)}`)];
    console.log(`  floor, one core, ${label} ms: ${steps.join(', ')}; sum ${fixed(parts.oneCoreMs, 2)}, / ${cores} cores = ${fixed(parts.floorMs, 2)}`);
  }
  if (r.certdeskCpuOverOpensslKdfFloor !== null) console.log(`  CertDesk CPU / that floor: ${fixed(r.certdeskCpuOverOpensslKdfFloor, 2)}x`);
  console.log(
    `  one bundle on one core, CPU ms: the PFX ${fixed(parts.pfxCpuMs, 2)}, the other files ${fixed(parts.otherFilesCpuMs, 2)}; the batch's kernel time ${fixed(ours.systemCpuMsPerCert, 2)} of its ${fixed(ours.cpuMsPerCert, 2)} ms/cert` +
      `; (floor + other files) / floor = ${fixed(r.lowestCpuOverFloorWithBundle, 2)}x, the lowest CertDesk CPU / floor with these files`,
  );
}
const memory = memoryRows.map((n) => ({ rows: n, ...certdesk({ keyType: 'ec-p256', encryption: 'modern' }, n) }));
console.log(`memory (ec-p256 modern): ${memory.map((m) => `peak RSS ${fixed(m.peakRssMiB, 0)} MiB (${m.peakRssOf === 'batch' ? 'the batch' : 'the process, unlock included'}) for ${m.rows} rows (${fixed(m.msPerCert, 2)} ms/cert, CPU ${fixed(m.cpuMsPerCert, 2)})`).join(', ')}`);
console.log('JSON ' + JSON.stringify({ cores, cpu: cpus()[0]?.model, loadavg: loadavg(), rows, recipeRows, iterations: PFX_ITERATIONS, results, memory }));
