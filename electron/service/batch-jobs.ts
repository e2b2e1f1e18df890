// A batch running in the background of the service: the renderer starts it, polls its progress and may
// stop it. Stopping lets the rows in flight finish; running the same file again resumes (see run-batch).
import { randomUUID } from 'node:crypto';
import type { BatchJob } from '../../shared/api.js';
import { toErrorResult } from '../../shared/errors.js';
import { runBatch, type BatchRequest } from '../core/batch/run-batch.js';
import type { Vault } from '../core/vault/vault.js';

export class BatchJobRunner {
  readonly job: BatchJob;
  private readonly controller = new AbortController();
  readonly finished: Promise<void>;

  constructor(vault: Vault, req: Omit<BatchRequest, 'onProgress' | 'signal'>) {
    this.job = {
      jobId: randomUUID(),
      state: 'running',
      done: 0,
      total: 0,
      current: null,
      etaSeconds: null,
      issued: 0,
      alreadyDone: 0,
      outDir: req.outDir,
      passwordsFile: req.passwordsFile,
      error: null,
    };
    this.finished = runBatch(vault, {
      ...req,
      signal: this.controller.signal,
      onProgress: (p) => Object.assign(this.job, { done: p.done, total: p.total, current: p.current, etaSeconds: p.etaSeconds }),
    }).then(
      (report) => {
        Object.assign(this.job, { issued: report.issued + report.redelivered, alreadyDone: report.alreadyDone, total: report.total });
        if (report.problems.length) {
          this.job.state = 'failed';
          this.job.error = { ok: false, code: 'INVALID_INPUT', message: `${report.problems.length} row(s) have problems; nothing was issued`, details: { problems: report.problems } };
        } else {
          this.job.state = report.remaining ? 'stopped' : 'done';
        }
        this.job.current = null;
      },
      (e: unknown) => {
        this.job.state = 'failed';
        this.job.current = null;
        this.job.error = toErrorResult(e);
      },
    );
  }

  get running(): boolean {
    return this.job.state === 'running';
  }

  cancel(): void {
    this.controller.abort();
  }

  snapshot(): BatchJob {
    return { ...this.job };
  }
}
