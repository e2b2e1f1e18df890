// The batch wizard: check a CSV (every bad row at once), start the run, poll its progress, stop it.
import { resolveDeliveryForm } from '../../../shared/devices.js';
import { resolve } from 'node:path';
import type { BatchCheck, Handlers } from '../../../shared/api.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder } from '../../core/export/bundle-writer.js';
import { isWithin } from '../../core/files.js';
import { getProfile, resolveCa } from '../../core/issuance/records.js';
import type { Vault } from '../../core/vault/vault.js';
import { batchPreflight } from '../../core/preflight/batch-context.js';
import { requireQuorumKeys } from '../../core/quorum/require.js';
import { checkBatchCsvOffThread } from '../../core/workers/off-thread.js';
import { BatchJobRunner } from '../batch-jobs.js';
import { fromBase64 } from '../payload.js';
import type { ServiceSession } from '../session.js';

const PREVIEW_ROWS = 500;

async function checkCsv(vault: Vault, csv: Uint8Array, caId: number, profileId: string): Promise<BatchCheck> {
  const ca = resolveCa(vault, String(caId));
  const profile = getProfile(vault, profileId);
  const checked = await checkBatchCsvOffThread(csv, { profile, caName: ca.name, caNotAfter: new Date(ca.notAfter), now: vault.now(), preflight: batchPreflight(vault, ca, profile, profile.defaultKey) });
  return {
    total: checked.rowCount,
    problems: checked.problems,
    warnings: checked.warnings,
    preview: checked.rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.line, name: r.name, sans: r.sans, alias: r.alias, days: r.days })),
    delimiter: checked.delimiter,
  };
}

function job(s: ServiceSession, jobId: string): BatchJobRunner {
  const runner = s.jobs.get(jobId);
  if (!runner) throw new CertDeskError('INVALID_INPUT', `no batch job ${jobId}`, { field: 'jobId' });
  return runner;
}

export function batchHandlers(s: ServiceSession): Handlers<'batch.check' | 'batch.start' | 'batch.progress' | 'batch.cancel'> {
  return {
    'batch.check': ({ csv, ca, profile }) => checkCsv(s.unlocked(), fromBase64(csv), ca, profile),
    'batch.start': ({ csv, fileName, ca, profile, folder, passwordsFile, encryption, keyType, devices }) => {
      const vault = s.unlocked();
      // Devices that contradict an explicit encryption are refused now, not when the job runs (issue 14).
      resolveDeliveryForm({ devices, encryption }, 'devices');
      s.grants.check(folder, 'folder');
      s.grants.check(passwordsFile, 'passwordsFile', 'exact-file'); // appended to: only the file the save dialog answered
      checkParentFolder(folder);
      if (isWithin(folder, passwordsFile)) {
        throw new CertDeskError('INVALID_INPUT', `the password list must be saved outside ${folder}: it never travels with the bundles`, { field: 'passwordsFile' });
      }
      if (s.runningJobs() > 0) throw new CertDeskError('INVALID_INPUT', 'a batch is already running: wait for it or stop it first', {});
      // A CA under K-of-N control without its shares is refused now (QUORUM_REQUIRED: the window asks for the shares
      // and starts again), not in the job's background where the window would only see a failed run (issue 15).
      requireQuorumKeys(vault, [resolveCa(vault, String(ca))]);
      const runner = new BatchJobRunner(vault, {
        ca: String(ca),
        profile,
        csv: fromBase64(csv),
        sourceName: fileName,
        outDir: resolve(folder),
        passwordsFile: resolve(passwordsFile),
        encryption,
        devices,
        keyType,
      });
      s.jobs.set(runner.job.jobId, runner);
      return runner.snapshot();
    },
    'batch.progress': ({ jobId }) => {
      s.touch();
      return job(s, jobId).snapshot();
    },
    'batch.cancel': ({ jobId }) => {
      const runner = job(s, jobId);
      runner.cancel();
      return runner.snapshot();
    },
  };
}
