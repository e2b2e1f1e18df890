// Benchmark helper (not a test): what one batch certificate's bundle costs on one core, split into its PFX and the
// bundle's other files, timed with the code a batch runs. A batch's worker runs the job 'bundle.build'
// (workers/engine-handlers.ts): buildPfx, then bundleContent for the other eleven files (PEM, DER, PKCS#7, chain,
// CA certificate, CA thumbprints, Apple profile, IIS and AD mappings, install sheet with its QR code). This times
// that job through buildBundle (export/bundle-make.ts) on this thread, and buildPfx alone with the same inputs; the
// difference is the other files, with the little buildBundle adds around them (two vault look-ups, manifest.json's
// object, the in-thread pool's copies of the job's input and output). The PFX's part includes its floor
// (bench/floor.ts: the KDFs), its encryption, ASN.1 and the read-back check; the other files are work the openssl
// recipe does not do, so they set how close CertDesk's batch can come to the floor at all: (floor + other files) /
// floor, however fast everything else is.
import type { PfxEncryption } from '../shared/domain.js';
import { buildBundle, BundleShared, keptKeyOf } from '../electron/core/export/bundle-make.js';
import { getCertRow } from '../electron/core/issuance/records.js';
import { buildPfx } from '../electron/core/pki/pkcs12.js';
import type { Vault } from '../electron/core/vault/vault.js';
import { InThreadPool } from '../electron/core/workers/in-thread-pool.js';

export interface BundleParts {
  /** CPU ms (process.cpuUsage: user + system, every thread, so the PBKDF2 runs on libuv's threads count) per bundle. */
  bundleCpuMs: number;
  /** The same for buildPfx alone. */
  pfxCpuMs: number;
  /** bundleCpuMs - pfxCpuMs: the bundle's other files. */
  otherFilesCpuMs: number;
  samples: number;
}

const PASSWORD = 'Bench-Password-1-abcdefghijkl';

/**
 * Times the bundle of the vault's certificate `certId` (issued with a kept key, e.g. by a batch) in a PFX of
 * `encryption`: after `warmUp` runs of each (V8 has compiled the hot code by then, as in a batch's workers after
 * their first bundles), `rounds` rounds of `perRound` bundles then `perRound` PFX files, each run of `perRound`
 * timed as one (the collector's background threads, which process.cpuUsage counts, charge a run for garbage an
 * earlier one left; a block of runs of one kind evens that out). Writes nothing to disk. Throws what buildBundle
 * and buildPfx throw (KEY_NOT_KEPT for a certificate whose key the vault does not keep).
 */
export async function measureBundleParts(vault: Vault, certId: number, encryption: PfxEncryption, { warmUp = 60, rounds = 4, perRound = 10 } = {}): Promise<BundleParts> {
  const row = getCertRow(vault, certId);
  if (!row) throw new Error(`bundle-parts: no certificate ${certId}`);
  const key = keptKeyOf(vault, row);
  const pool = new InThreadPool();
  const shared = new BundleShared(); // as a batch: the chain and its files made once
  const chain = shared.of(vault, row)?.chain ?? [];
  // Each run gets its own copy of the key, zeroed once the run is done (buildBundle and buildPfx leave the key
  // they are given to their caller).
  const withKey = async (run: (copy: Uint8Array) => Promise<unknown>): Promise<void> => {
    const copy = key.slice();
    try {
      await run(copy);
    } finally {
      copy.fill(0);
    }
  };
  const bundle = () => withKey((k) => buildBundle(vault, row, { outDir: '', encryption, password: PASSWORD, privateKeyPkcs8: k, deliveryId: 0 }, { pool }, shared));
  const pfx = () => withKey((k) => buildPfx({ privateKeyPkcs8: k, certificate: new Uint8Array(row.der), chain, password: PASSWORD, encryption, friendlyName: row.alias ?? row.holder }));
  try {
    await cpuUsOf(bundle, warmUp);
    await cpuUsOf(pfx, warmUp);
    let bundleUs = 0;
    let pfxUs = 0;
    for (let i = 0; i < rounds; i++) {
      bundleUs += await cpuUsOf(bundle, perRound);
      pfxUs += await cpuUsOf(pfx, perRound);
    }
    const samples = rounds * perRound;
    const bundleCpuMs = bundleUs / 1000 / samples;
    const pfxCpuMs = pfxUs / 1000 / samples;
    return { bundleCpuMs, pfxCpuMs, otherFilesCpuMs: bundleCpuMs - pfxCpuMs, samples };
  } finally {
    key.fill(0);
    await pool.close();
  }
}

/** CPU microseconds of every thread of this process while `run` runs `times` times, one after the other. */
async function cpuUsOf(run: () => Promise<unknown>, times: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) await run();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}
