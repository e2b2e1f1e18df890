// A service session and its handler table on a fresh vault path, with a cheap KDF and a test clock.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { BatchJob, CertDeskApi } from '../../shared/api.js';
import { ServiceSession } from '../../electron/service/session.js';
import { createHandlerTable } from '../../electron/service/table.js';
import { TestClock, vaultOptions } from './engine-vault.js';
import { call, inMemoryApi } from './in-memory-api.js';
import { tempDir } from './tmp.js';

export interface TestService {
  api: CertDeskApi;
  session: ServiceSession;
  dir: string;
  clock: TestClock;
}

/**
 * A service on a fresh vault in a temporary folder. These tests call the handler table without the host's
 * dialogs, so the temporary folder is granted explicitly, as if the officer had chosen it in a folder dialog
 * (electron/service/write-grants.ts); `grantDir: false` leaves the grants empty.
 */
export function newService(t: TestContext, opts: { clock?: TestClock; grantDir?: boolean } = {}): TestService {
  const dir = tempDir(t);
  const clock = opts.clock ?? new TestClock(new Date().toISOString().slice(0, 19) + '.000Z');
  const session = new ServiceSession({ vaultPath: join(dir, 'vault.certdesk'), vault: vaultOptions(clock) });
  if (opts.grantDir !== false) session.grants.grantFolder(dir);
  t.after(() => session.close());
  return { api: inMemoryApi(createHandlerTable(session)), session, dir, clock };
}

/**
 * Polls a batch until it ends, as the window does. The pause between polls lets the worker threads'
 * messages in: a loop of in-memory calls alone never yields to them.
 */
export async function finishBatch(api: CertDeskApi, job: BatchJob): Promise<BatchJob> {
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    job = await call(api, 'batch.progress', { jobId: job.jobId });
  }
  return job;
}
