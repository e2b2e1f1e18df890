// Two-officer control in the app (issue 15): ca.presentShares unlocks a CA under K-of-N control for signing in
// this session (the quorum engine keeps its key in memory until the vault locks or closes: quorum/session.ts),
// as the CLI's --share does (quorum-commands.ts unlockGivenShares); ca.quorum shows a CA's K-of-N state.
// Setting and re-issuing shares stay with the CLI (certdesk quorum set / reissue).
import type { Handlers } from '../../../shared/api.js';
import { CertDeskError, isCertDeskError } from '../../../shared/errors.js';
import { quorumHistory } from '../../core/quorum/history.js';
import { parseShare } from '../../core/quorum/share-file.js';
import { quorumStatus } from '../../core/quorum/status.js';
import { unlockQuorum } from '../../core/quorum/unlock.js';
import type { ServiceSession } from '../session.js';

export function quorumHandlers(s: ServiceSession): Handlers<'ca.presentShares' | 'ca.quorum'> {
  return {
    'ca.presentShares': async ({ ca, shares }) => {
      const vault = s.unlocked();
      const seen = new Set<string>();
      for (const sh of shares) {
        if (seen.has(sh.label)) throw new CertDeskError('INVALID_INPUT', `shares: two shares are named "${sh.label}"; give each its own label`, { field: 'shares' });
        seen.add(sh.label);
      }
      const inputs = shares.map((sh) => ({ data: new Uint8Array(Buffer.from(sh.text, 'utf8')), label: sh.label, passphrase: sh.passphrase }));
      try {
        const r = await unlockQuorum(vault, ca ?? null, inputs);
        return { ca: r.ca.name, holders: r.holders, k: r.k, n: r.n };
      } catch (e) {
        // Fewer than K: the engine's words are the CLI's ("give 2 shares with --share FILE"); the window's are these.
        if (isCertDeskError(e) && e.code === 'QUORUM_REQUIRED' && e.details) {
          const { ca: name, k, n } = e.details as { ca: string; k: number; n: number };
          // Every share parsed before the engine counted them (a damaged one is refused first).
          const holders = inputs.map((i) => parseShare(i.data, i.label).holder);
          const missing = k - holders.length;
          throw new CertDeskError(
            'QUORUM_REQUIRED',
            `CA "${name}" needs the shares of ${k} of its ${n} officers; ${holders.length} given (${holders.join(', ')}): add ${missing} more officer${missing === 1 ? '’s share' : 's’ shares'}`,
            { ...e.details, given: holders },
          );
        }
        throw e;
      }
    },
    'ca.quorum': ({ id }) => {
      const vault = s.unlocked();
      const q = quorumStatus(vault, String(id));
      const history = q.underQuorum && q.splitId ? quorumHistory(vault, id, q.splitId) : { setAt: null, lastUses: [] };
      return { ca: q.ca, underQuorum: q.underQuorum, k: q.k, n: q.n, holders: q.holders, unlockedBy: q.unlockedBy, setAt: history.setAt, lastUses: history.lastUses };
    },
  };
}
