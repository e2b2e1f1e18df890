// Batch issuance from a CSV file. Every row is validated before anything is issued; then keys come from
// worker threads on every core, and the rows go in steps of up to STEP_ROWS: one transaction commits the
// step's certificates (for each row: certificate, key, recipient, audit entry, the batch's resume marker and
// its pending delivery), then the step's bundles are written with one flush, their password lines appended
// with one fsync, and one transaction marks them delivered (delivery/deliver-step.ts). While a step waits for
// the disk, the next one is signed and committed and the workers build its bundles and the keys after it.
// Running the same file again resumes: committed rows are never issued twice, and rows that were committed but
// not delivered get their bundle written again with a new password ("certdesk pending resume" does the same
// without the CSV). The password list follows the CSV: each step appends its lines after the step before it.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { resolveDeliveryForm, type DeviceId } from '../../../shared/devices.js';
import type { KeyType, PfxEncryption } from '../../../shared/domain.js';
import type { FileSink } from '../files.js';
import { clearBundleLeftovers } from '../delivery/clear.js';
import { deliverBundleStep, type StepDelivery } from '../delivery/deliver-step.js';
import { BundleShared } from '../export/bundle-make.js';
import { pendingBundleOf, recordBundleDelivery, requirePending } from '../delivery/store.js';
import { availableParallelism } from 'node:os';
import { loadSigner } from '../issuance/cas.js';
import { prepareIssue, type PreparedIssue } from '../issuance/issue.js';
import { getCertRow, getProfile, resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import type { RowProblem } from './csv.js';
import { CryptoPool } from './crypto-pool.js';
import { PasswordList } from './password-list.js';
import { turnTaker } from './turns.js';
import { batchPreflight } from '../preflight/batch-context.js';
import { syncSearchIndex } from '../search/search-index.js';
import { checkBatchCsvOffThread } from '../workers/off-thread.js';
import type { BatchRow } from './validate.js';

/**
 * Rows per step at most: one vault commit for the step's certificates, one flush for its bundles, one fsync for
 * its password lines and one commit for its deliveries, instead of one each per row. Steps start at two rows and
 * double (2, 4, 8, ...), so a small batch, and the start of any batch, still shows rows done a few at a time
 * and a stick that cannot be written is found after two rows, not STEP_ROWS. A step holds STEP_ROWS bundles (tens of
 * kilobytes each) in memory, up to three steps at once.
 */
export const STEP_ROWS = 32;

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
  /** The devices that will install the bundles (shared/devices.ts): they decide the encryption (an explicit one must agree) and are remembered with each delivery. */
  devices?: readonly DeviceId[] | null;
  dryRun?: boolean;
  /** Worker threads for key generation and bundles; default: defaultWorkers (one per ROWS_PER_WORKER rows, at most one per core). */
  workers?: number;
  onProgress?: (p: BatchProgress) => void;
  /** Stops after the rows in progress; the batch can be resumed. */
  signal?: AbortSignal;
  /**
   * Observes each step as its deliveries start: its rows and the items handed to deliverBundleStep (keys
   * included, zeroed once the step ends). For tests that the batch keeps no step's objects once it is done.
   */
  onStep?: (rows: readonly BatchRow[], items: readonly StepDelivery[]) => void;
  /** Where the bundles are written; default the disk. For tests that hold one step's disk work back. */
  sink?: FileSink;
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

/**
 * Rows per worker thread when the request names no count: a worker costs about 0.5 s of CPU to start (loading the
 * engine's code), more than eight bundles' work, so a small batch gets fewer workers than there are cores.
 */
export const ROWS_PER_WORKER = 8;

/** The batch's worker count when the request gives none: one per ROWS_PER_WORKER rows to issue, at most one per core, at least one. */
export function defaultWorkers(rows: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(rows / ROWS_PER_WORKER)));
}

export async function runBatch(vault: Vault, req: BatchRequest): Promise<BatchReport> {
  vault.requireUnlocked();
  // Devices that contradict an explicit encryption are refused before anything is read or issued.
  resolveDeliveryForm(req, 'devices');
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
  // Keys for the next two steps are generated while a step waits on the disk: the workers never run dry.
  // Without a worker count in the request, a batch small enough for one worker runs in the CLI's own thread.
  const pool = new CryptoPool(keyType, toIssue.length, req.workers ?? defaultWorkers(toIssue.length), req.workers === undefined, 2 * STEP_ROWS);
  // The main-thread parts (signing a row, a step's commit, writing a step's bundles) take event-loop turns of
  // their own, so the loop keeps answering while results arrive from the workers.
  const turn = turnTaker();
  const shared = new BundleShared();
  // The password list in the CSV's order: a step appends its lines only after the step before it has appended
  // (or failed), even when its own bundles reach the disk first. Within a step the lines are in the rows' order.
  let appended: Promise<void> = Promise.resolve();
  const deliverStep = async (items: StepDelivery[]) => {
    const appendAfter = appended;
    let release!: () => void;
    appended = new Promise<void>((resolve) => (release = resolve));
    try {
      await deliverBundleStep(vault, items, { list, outDir: req.outDir, shared, io: { pool: pool.engine, turn, sink: req.sink }, appendAfter });
    } finally {
      release();
    }
  };

  // Signs a step's rows (each after its key arrives from the workers), then commits them in one transaction.
  const issueStep = async (rows: BatchRow[]): Promise<StepDelivery[]> => {
    const deliveries: number[] = [];
    const settled = await Promise.allSettled(
      rows.map(async (row, i): Promise<PreparedIssue> => {
        const generated = await pool.nextKey();
        try {
          await turn();
          // prepareIssue keeps a copy of the key's bytes: the worker's are zeroed here, signed or not.
          return await prepareIssue(
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
              key: generated,
              signer: signer!,
              inTransaction: (certId, pkcs8) => {
                vault.records.insert('batch_items', { batch_id: batchId, row_key: row.key, line: row.line, certificate_id: certId });
                deliveries[i] = recordBundleDelivery(vault, batchDeliverySpec(req, batchId, row.key, certId, pkcs8));
              },
            },
          );
        } finally {
          generated.pkcs8.fill(0);
        }
      }),
    );
    const prepared = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      for (const p of prepared) p.privateKeyPkcs8.fill(0);
      throw failed.reason;
    }
    await turn();
    try {
      vault.transaction(() => prepared.forEach((p) => p.commit()));
    } catch (e) {
      for (const p of prepared) p.privateKeyPkcs8.fill(0);
      throw e;
    }
    return prepared.map((p, i) => ({ id: deliveries[i]!, privateKeyPkcs8: p.privateKeyPkcs8 }));
  };

  // Steps: first the rows an earlier run left undelivered, then the new ones, each list in steps of 2, 4, 8, ...
  // STEP_ROWS. A step's deliveries run while the next step is signed and committed; at most two steps deliver at
  // once (one writing, one building). The first failure stops new steps and is thrown once the others settle.
  const delivering: Promise<void>[] = [];
  let failure: unknown = null;
  const fail = (e: unknown) => {
    failure ??= e;
  };
  const launch = (count: number, items: StepDelivery[], counter: 'issued' | 'redelivered') => {
    const running = deliverStep(items)
      .then(
        () => {
          report[counter] += count;
          done += count;
          progress(null);
        },
        fail,
      )
      .finally(() => {
        for (const item of items) item.privateKeyPkcs8?.fill(0);
      });
    delivering.push(running);
  };
  const stopped = () => failure !== null || req.signal?.aborted === true;
  try {
    progress(null);
    for (const rows of steps(toDeliver)) {
      if (stopped()) break;
      progress(rows[0]!.name);
      const items = rows.map((r): StepDelivery => ({ id: redeliveries.get(r.key)! }));
      req.onStep?.(rows, items);
      launch(rows.length, items, 'redelivered');
      if (delivering.length >= 2) await delivering.shift();
    }
    for (const rows of steps(toIssue)) {
      if (stopped()) break;
      progress(rows[0]!.name);
      let items: StepDelivery[];
      try {
        items = await issueStep(rows);
      } catch (e) {
        fail(e);
        break;
      }
      req.onStep?.(rows, items);
      launch(rows.length, items, 'issued');
      if (delivering.length >= 2) await delivering.shift();
    }
    await Promise.all(delivering);
  } finally {
    list.close();
    await pool.close();
  }
  if (failure !== null) throw failure;
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
  // Index the batch's certificates and recipients now, while the report is read, not at the first search.
  syncSearchIndex(vault.db);
  return report;
}

/** The rows in steps of 2, 4, 8, ... up to STEP_ROWS rows. */
function* steps<T>(rows: T[]): Generator<T[]> {
  let size = 2;
  for (let at = 0; at < rows.length; at += size, size = Math.min(size * 2, STEP_ROWS)) yield rows.slice(at, at + size);
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
    ...resolveDeliveryForm(req, 'devices'),
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
