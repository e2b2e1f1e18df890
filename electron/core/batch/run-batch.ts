// Batch issuance from a CSV file. Every row is validated before anything is issued; then keys come from
// worker threads on every core, and each row commits on its own (certificate, key, recipient, audit entry,
// the batch's resume marker and the row's pending delivery in one transaction). Its bundle and password line
// follow, and the row is marked delivered (core/delivery). Running the same file again resumes: committed
// rows are never issued twice, and rows that were committed but not delivered get their bundle written again
// with a new password ("certdesk pending resume" does the same without the CSV).
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { KeyType, PfxEncryption } from '../../../shared/domain.js';
import { clearBundleLeftovers, deliverBundle } from '../delivery/deliver-bundle.js';
import { pendingBundleOf, recordBundleDelivery, requirePending } from '../delivery/store.js';
import { availableParallelism } from 'node:os';
import { loadSigner } from '../issuance/cas.js';
import { issueCertificate } from '../issuance/issue.js';
import { getCertRow, getProfile, resolveCa } from '../issuance/records.js';
import { importPkcs8 } from '../pki/keys.js';
import type { Vault } from '../vault/vault.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import type { RowProblem } from './csv.js';
import { CryptoPool } from './crypto-pool.js';
import { PasswordList } from './password-list.js';
import { turnTaker } from './turns.js';
import { batchPreflight } from '../preflight/batch-context.js';
import { checkBatchCsvOffThread } from '../workers/off-thread.js';
import type { BatchRow } from './validate.js';

/**
 * Rows in flight per worker thread. Each row's PFX costs the worker a few milliseconds of CPU, and each row
 * then waits several milliseconds on the disk (its bundle's flush, the vault's commits, the password line):
 * 8 rows per worker keep the workers busy through those waits; a row in flight holds a few kilobytes.
 */
const ROWS_IN_FLIGHT_PER_WORKER = 8;

export interface BatchProgress {
  done: number;
  total: number;
  current: string | null;
  /** Seconds left at the rate so far; null until the first row is done. */
  etaSeconds: number | null;
}

export interface BatchRequest {
  ca: string;
  profile: string;
  csv: Uint8Array;
  /** The CSV's file name, for the record. */
  sourceName: string;
  outDir: string;
  passwordsFile: string;
  keyType?: KeyType;
  encryption?: PfxEncryption;
  dryRun?: boolean;
  /** Worker threads for key generation; default: every core. */
  workers?: number;
  onProgress?: (p: BatchProgress) => void;
  /** Stops after the rows in progress; the batch can be resumed. */
  signal?: AbortSignal;
}

export interface BatchReport {
  batchId: string;
  total: number;
  problems: RowProblem[];
  dryRun: boolean;
  /** Rows issued by this run. */
  issued: number;
  /** Rows a previous run had already finished. */
  alreadyDone: number;
  /** Rows a previous run committed but did not deliver: bundle and password written now. */
  redelivered: number;
  /** Rows not done because the run was stopped. */
  remaining: number;
  outDir: string;
  passwordsFile: string;
}

export async function runBatch(vault: Vault, req: BatchRequest): Promise<BatchReport> {
  vault.requireUnlocked();
  const ca = resolveCa(vault, req.ca);
  const profile = getProfile(vault, req.profile);
  const keyType = req.keyType ?? profile.defaultKey;
  const validated = await checkBatchCsvOffThread(req.csv, { profile, caName: ca.name, caNotAfter: new Date(ca.notAfter), now: vault.now(), preflight: batchPreflight(vault, ca, profile, keyType) });
  const problems = validated.problems;
  const batchId = createHash('sha256').update(req.csv).update(`\0${ca.id}\0${profile.id}\0${keyType}`).digest('hex');
  const report: BatchReport = {
    batchId,
    total: validated.rows.length,
    problems,
    dryRun: req.dryRun === true,
    issued: 0,
    alreadyDone: 0,
    redelivered: 0,
    remaining: 0,
    outDir: req.outDir,
    passwordsFile: req.passwordsFile,
  };
  if (problems.length || req.dryRun) return report;
  checkParentFolder(req.outDir);

  const state = batchState(vault, batchId);
  if (!state.exists) {
    vault.transaction(() => {
      vault.db
        .prepare('INSERT INTO batches (id, ca_id, profile_id, key_type, source_name, total, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(batchId, ca.id, profile.id, keyType, basename(req.sourceName), validated.rows.length, vault.now().toISOString());
      vault.audit('batch.start', `batch:${batchId.slice(0, 16)}`, { ca: ca.name, profile: profile.id, rows: validated.rows.length, source: basename(req.sourceName) });
    });
  }
  const toIssue = validated.rows.filter((r) => !state.items.has(r.key));
  const toDeliver = validated.rows.filter((r) => state.items.get(r.key)?.delivered === false);
  report.alreadyDone = validated.rows.length - toIssue.length - toDeliver.length;
  // Rows an earlier run committed but did not deliver: their pending deliveries, cleared of what that run left
  // (".partial" folders, bundles whose password reached no one and their lines) before the list is opened.
  const redeliveries = new Map(toDeliver.map((r) => [r.key, pendingBatchDelivery(vault, batchId, r.key, state.items.get(r.key)!.certificateId, req)]));
  for (const id of redeliveries.values()) {
    const d = requirePending(vault, id);
    clearBundleLeftovers(d, getCertRow(vault, d.certificate_id!)!, [req.outDir]);
  }

  const signer = toIssue.length ? await loadSigner(vault, ca) : null;
  const list = new PasswordList(req.passwordsFile);
  const started = Date.now();
  let done = report.alreadyDone;
  const progress = (current: string | null) => {
    const finishedHere = done - report.alreadyDone;
    const rate = finishedHere > 0 ? (Date.now() - started) / 1000 / finishedHere : null;
    req.onProgress?.({ done, total: report.total, current, etaSeconds: rate === null ? null : Math.round(rate * (report.total - done)) });
  };
  const pool = new CryptoPool(keyType, toIssue.length, req.workers ?? availableParallelism());
  // The rows' main-thread steps (sign and commit, write a bundle) take one event-loop turn each, so the
  // loop keeps answering while results arrive from the workers.
  const turn = turnTaker();
  // The bundle, its password line and the row's delivered mark (deliverBundle marks batch_items and the delivery together).
  const deliver = async (deliveryId: number, pkcs8?: Uint8Array) => {
    await turn();
    await deliverBundle(vault, deliveryId, { privateKeyPkcs8: pkcs8, list, outDir: req.outDir, leftoversCleared: true, resumed: pkcs8 === undefined, io: { pool: pool.engine, turn } });
  };

  // Rows run several at a time: while some rows' PFX files are built on the workers, others are signed and
  // committed here and others wait for the disk (bundle flushes, vault commits). Enough rows are in flight
  // that the workers always have a PFX to build while the disk works: ROWS_IN_FLIGHT_PER_WORKER per worker.
  const concurrency = pool.size * ROWS_IN_FLIGHT_PER_WORKER;
  const issueRow = async (row: BatchRow) => {
    const generated = await pool.nextKey();
    await turn();
    const key = await importPkcs8(generated.pkcs8);
    generated.pkcs8.fill(0);
    let delivery = 0;
    const { privateKeyPkcs8 } = await issueCertificate(
      vault,
      {
        ca: String(ca.id),
        profile: profile.id,
        name: row.name,
        sans: row.sans,
        keyType,
        days: row.days,
        alias: row.alias,
        recipient: { email: row.email, phone: row.phone, description: row.description, account: row.account },
        sid: row.sid,
      },
      {
        key,
        signer: signer!,
        inTransaction: (certId, pkcs8) => {
          vault.records.insert('batch_items', { batch_id: batchId, row_key: row.key, line: row.line, certificate_id: certId });
          delivery = recordBundleDelivery(vault, batchDeliverySpec(req, batchId, row.key, certId, pkcs8));
        },
      },
    );
    try {
      await deliver(delivery, privateKeyPkcs8);
    } finally {
      privateKeyPkcs8.fill(0);
    }
    report.issued++;
  };
  const jobs: (() => Promise<void>)[] = [
    ...toDeliver.map((row) => async () => {
      await deliver(redeliveries.get(row.key)!);
      report.redelivered++;
    }),
    ...toIssue.map((row) => () => issueRow(row)),
  ];
  const rowsOf = [...toDeliver, ...toIssue];
  try {
    progress(null);
    await runConcurrently(jobs, concurrency, req.signal, (i) => progress(rowsOf[i]!.name), () => {
      done++;
      progress(null);
    });
  } finally {
    list.close();
    await pool.close();
  }
  report.remaining = report.total - done;
  progress(null);
  vault.transaction(() => {
    if (report.remaining === 0) vault.db.prepare('UPDATE batches SET finished_at = ? WHERE id = ? AND finished_at IS NULL').run(vault.now().toISOString(), batchId);
    vault.audit(report.remaining === 0 ? 'batch.finish' : 'batch.stop', `batch:${batchId.slice(0, 16)}`, {
      issued: report.issued,
      redelivered: report.redelivered,
      alreadyDone: report.alreadyDone,
      remaining: report.remaining,
    });
  });
  return report;
}

/** Runs jobs with at most `limit` in flight; stops starting new ones when aborted or after the first failure, which it rethrows once the rest settle. */
async function runConcurrently(jobs: (() => Promise<void>)[], limit: number, signal: AbortSignal | undefined, onStart: (i: number) => void, onDone: () => void): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (next < jobs.length && failure === null && !signal?.aborted) {
      const i = next++;
      onStart(i);
      try {
        await jobs[i]!();
        onDone();
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, lane));
  if (failure !== null) throw failure;
}

function batchState(vault: Vault, batchId: string): { exists: boolean; items: Map<string, { certificateId: number; delivered: boolean }> } {
  const exists = vault.db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId) !== undefined;
  const items = new Map<string, { certificateId: number; delivered: boolean }>();
  // Each marker decides whose bundle a re-run hands out, or that a row is done: one whose MAC does not hold refuses the run (VAULT_TAMPERED naming it),
  for (const r of vault.db.prepare('SELECT * FROM batch_items WHERE batch_id = ?').all(batchId) as {
    row_key: string;
    certificate_id: number;
    delivered_at: string | null;
  }[]) {
    vault.records.check('batch_items', r);
    items.set(r.row_key, { certificateId: r.certificate_id, delivered: r.delivered_at !== null });
  }
  // So does a marker deleted or put back from an older copy (the markers' record set): a row would be issued twice.
  vault.records.checkSet('batch_items');
  return { exists, items };
}

function batchDeliverySpec(req: BatchRequest, batchId: string, rowKey: string, certificateId: number, pkcs8?: Uint8Array) {
  return {
    operation: 'batch',
    certificateId,
    outDir: req.outDir,
    encryption: req.encryption,
    passwordSet: false,
    sinks: { passwordsFile: req.passwordsFile },
    batch: { batchId, rowKey },
    privateKeyPkcs8: pkcs8,
  } as const;
}

/** The pending delivery of a committed row; a row committed before deliveries were recorded (or whose delivery was abandoned) gets one now. */
function pendingBatchDelivery(vault: Vault, batchId: string, rowKey: string, certificateId: number, req: BatchRequest): number {
  const pending = pendingBundleOf(vault, certificateId);
  if (pending) return pending.id;
  return vault.transaction(() => recordBundleDelivery(vault, batchDeliverySpec(req, batchId, rowKey, certificateId)));
}
