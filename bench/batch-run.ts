// One CertDesk batch in its own process, so its peak memory is its own: prints one JSON line with the wall time
// and the CPU time (all threads) per certificate.
// Usage: node dist/bench/batch-run.js ROWS KEY [ENCRYPTION] [--parts]   (KEY ec-p256 | rsa-2048, ENCRYPTION modern | legacy)
// --parts: after the batch (its figures untouched), one of its certificates' bundles timed on one core, its PFX
// and its other files apart (bench/bundle-parts.ts), as "parts" in the JSON.
// The CA's key is of the same family as the users' (P-256 or RSA-2048). Workers: every core.
// The vault and its CA are made by a process of their own (this script with --prepare), and this one opens and
// unlocks the vault as `certdesk issue-batch` does: making a vault loads the passphrase estimator's dictionaries
// (about 20 MiB of RSS here), which a batch never needs and which the peak RSS would otherwise count.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyType, PfxEncryption } from '../shared/domain.js';
import { writeHeapSnapshot } from 'node:v8';
import { runBatch } from '../electron/core/batch/run-batch.js';
import { measureBundleParts } from './bundle-parts.js';
import { createCa } from '../electron/core/issuance/cas.js';
import { createVault } from '../electron/core/issuance/new-vault.js';
import { Vault } from '../electron/core/vault/vault.js';

const PASSPHRASE = 'benchmark passphrase';

if (process.argv[2] === '--prepare') {
  // node batch-run.js --prepare VAULT KEY: the vault (production KDF) and its CA, then exit.
  const keyType = process.argv[4] as KeyType;
  const vault = await createVault(process.argv[3]!, PASSPHRASE);
  await createCa(vault, { name: 'CA', subject: 'CN=Bench CA', keyType: keyType.startsWith('rsa') ? 'rsa-2048' : 'ec-p256' });
  vault.close();
  process.exit(0);
}

const partsAt = process.argv.indexOf('--parts');
const withParts = partsAt > 0;
if (withParts) process.argv.splice(partsAt, 1);
const rows = Number(process.argv[2] ?? 100);
const keyType = (process.argv[3] ?? 'ec-p256') as KeyType;
const encryption = (process.argv[4] ?? 'modern') as PfxEncryption;
const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
try {
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--prepare', join(dir, 'v.certdesk'), keyType], { stdio: 'inherit' });
  const vault = Vault.open(join(dir, 'v.certdesk'));
  await vault.unlock(PASSPHRASE);
  // The unlock's scrypt (N = 2^17: 128 MiB, freed at once) sets the process's high-water mark; start the batch's own.
  const batchPeak = peakRssFromHere();
  const csv = 'name,email\n' + Array.from({ length: rows }, (_, i) => `User ${i},user${i}@example.com\n`).join('');
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'rows.csv'), csv);
  const rssBefore = process.memoryUsage().rss;
  const sampler = memorySampler();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await runBatch(vault, { ca: 'CA', profile: 'user', csv: Buffer.from(csv), sourceName: 'rows.csv', outDir: join(dir, 'out'), passwordsFile: join(dir, 'pw.csv'), keyType, encryption });
  const ms = performance.now() - started;
  const mainPeaks = sampler.stop();
  if (process.env.CERTDESK_BENCH_HEAPSNAPSHOT) console.error('heap snapshot: ' + writeHeapSnapshot(join(process.env.CERTDESK_BENCH_HEAPSNAPSHOT, `batch-${rows}.heapsnapshot`)));
  // Every thread's CPU time (main and workers): what the batch cost whatever else the machine was running.
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMiB = batchPeak.mib();
  if (report.issued !== rows) throw new Error(`issued ${report.issued} of ${rows}`);
  // The batch's last certificate: its bundle timed alone, after the batch's own figures were taken.
  const lastIssued = "SELECT max(id) FROM certificates WHERE kind = 'end-entity'";
  const parts = withParts ? await measureBundleParts(vault, vault.db.prepare(lastIssued).pluck().get() as number, encryption) : undefined;
  vault.close();
  console.log(
    JSON.stringify({
      rows,
      keyType,
      encryption,
      cores: availableParallelism(),
      msPerCert: ms / rows,
      cpuMsPerCert: (cpu.user + cpu.system) / 1000 / rows,
      // The kernel's share (files made, written, flushed and renamed, SQLite's writes, and page faults, threads and
      // the collector's memory calls): process.cpuUsage's system time.
      systemCpuMsPerCert: cpu.system / 1000 / rows,
      seconds: ms / 1000,
      rssBeforeMiB: rssBefore / 2 ** 20,
      peakRssMiB,
      peakRssOf: batchPeak.of,
      mainPeaksMiB: mainPeaks,
      ...(parts ? { parts } : {}),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The process's peak RSS from now on, in MiB: Linux resets its high-water mark (VmHWM) when "5" is written to
 * /proc/self/clear_refs (proc(5)), so `of` is "batch"; elsewhere it is the whole process's (getrusage maxRSS),
 * unlock included, and `of` says "process".
 */
function peakRssFromHere(): { of: 'batch' | 'process'; mib: () => number } {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return {
      of: 'batch',
      mib: () => Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
    };
  } catch {
    return { of: 'process', mib: () => process.resourceUsage().maxRSS / 1024 };
  }
}

/** Samples the main thread's memory every 100 ms; stop() gives each figure's peak in MiB (heap, external and ArrayBuffers, RSS). */
function memorySampler(): { stop: () => Record<string, number> } {
  const peaks: Record<string, number> = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sample = () => {
    const m = process.memoryUsage() as unknown as Record<string, number>;
    for (const k of Object.keys(peaks)) peaks[k] = Math.max(peaks[k]!, m[k]! / 2 ** 20);
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
