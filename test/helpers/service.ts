// A service session and its handler table on a fresh vault path, with a cheap KDF and a test clock.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { CertDeskApi } from '../../shared/api.js';
import { ServiceSession } from '../../electron/service/session.js';
import { createHandlerTable } from '../../electron/service/table.js';
import { TestClock, vaultOptions } from './engine-vault.js';
import { inMemoryApi } from './in-memory-api.js';
import { tempDir } from './tmp.js';

export interface TestService {
  api: CertDeskApi;
  session: ServiceSession;
  dir: string;
  clock: TestClock;
}

export function newService(t: TestContext, opts: { clock?: TestClock } = {}): TestService {
  const dir = tempDir(t);
  const clock = opts.clock ?? new TestClock(new Date().toISOString().slice(0, 19) + '.000Z');
  const session = new ServiceSession({ vaultPath: join(dir, 'vault.certdesk'), vault: vaultOptions(clock) });
  t.after(() => session.close());
  return { api: inMemoryApi(createHandlerTable(session)), session, dir, clock };
}
