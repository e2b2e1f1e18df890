// Interrupted work: the window's banner lists what an earlier run committed but did not deliver, and its
// "Finish now" button finishes it (a bundle's new password comes back in a hand-over, shown once).
import type { Handlers } from '../../../shared/api.js';
import { CertDeskError } from '../../../shared/errors.js';
import { abandonDelivery, requireAbandonable } from '../../core/delivery/abandon.js';
import { listPending } from '../../core/delivery/pending.js';
import { resumeDeliveries } from '../../core/delivery/resume.js';
import { handoverOf } from '../handover.js';
import type { ServiceSession } from '../session.js';

/** A running batch's rows are pending between their commit and their bundle: they are its work, not interrupted work. */
function noBatchRunning(s: ServiceSession): void {
  if (s.runningJobs() > 0) throw new CertDeskError('INVALID_INPUT', 'a batch is running: wait for it to end, then finish what is pending', {});
}

export function pendingHandlers(s: ServiceSession): Handlers<'pending.list' | 'pending.resume' | 'pending.abandon'> {
  return {
    'pending.list': () => {
      const vault = s.unlocked();
      return s.runningJobs() > 0 ? [] : listPending(vault);
    },
    'pending.resume': async ({ ids }) => {
      const vault = s.unlocked();
      noBatchRunning(s);
      const report = await resumeDeliveries(vault, { ids });
      const finished = [];
      for (const f of report.finished) finished.push({ delivery: f.delivery, files: f.files, handover: f.bundle ? await handoverOf(f.bundle) : null });
      return { finished, failed: report.failed };
    },
    'pending.abandon': ({ ids }) => {
      const vault = s.unlocked();
      noBatchRunning(s);
      for (const id of ids) requireAbandonable(vault, id);
      for (const id of ids) abandonDelivery(vault, id, 'abandoned in the window');
      return listPending(vault);
    },
  };
}
