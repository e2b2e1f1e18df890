// The handler table: every service channel of the typed API, implemented once. The Electron main process
// registers it with ipcMain.handle; the test harness serves it over HTTP; tests call it in memory.
import type { HandlerTable } from '../../shared/api.js';
import { authorityHandlers } from './handlers/authorities.js';
import { backupHandlers } from './handlers/backup.js';
import { batchHandlers } from './handlers/batch.js';
import { certificateHandlers } from './handlers/certificates.js';
import { issuingHandlers } from './handlers/issuing.js';
import { overviewHandlers } from './handlers/overview.js';
import { pendingHandlers } from './handlers/pending.js';
import { quorumHandlers } from './handlers/quorum.js';
import { recipientHandlers } from './handlers/recipients.js';
import { restoreHandlers } from './handlers/restore.js';
import { vaultHandlers } from './handlers/vault.js';
import { tokenHandlers } from './handlers/tokens.js';
import type { ServiceSession } from './session.js';

export function createHandlerTable(session: ServiceSession): HandlerTable {
  return {
    ...vaultHandlers(session),
    ...authorityHandlers(session),
    ...issuingHandlers(session),
    ...recipientHandlers(session),
    ...certificateHandlers(session),
    ...batchHandlers(session),
    ...overviewHandlers(session),
    ...pendingHandlers(session),
    ...backupHandlers(session),
    ...tokenHandlers(session),
    ...quorumHandlers(session),
    ...restoreHandlers(session),
  };
}
