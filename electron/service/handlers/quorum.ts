// Two-officer control in the app (issue 15): ca.presentShares unlocks a CA under K-of-N control for signing in
// this session (the quorum engine keeps its key in memory until the vault locks or closes: quorum/session.ts),
// as the CLI's --share does (quorum-commands.ts unlockGivenShares); ca.quorum shows a CA's K-of-N state;
// ca.quorumSet and ca.quorumReissue put a CA under K-of-N control and re-issue its shares, with the engine
// functions certdesk quorum set / reissue call (split.ts: checked, share files written, audited).
import type { Handlers } from '../../../shared/api.js';
import { quorumHistory } from '../../core/quorum/history.js';
import { quorumStatus } from '../../core/quorum/status.js';
import { reissueQuorum, setQuorum } from '../../core/quorum/split.js';
import { unlockQuorum } from '../../core/quorum/unlock.js';
import type { ServiceSession } from '../session.js';
import { inWindowWords, shareInputsOf, sharesWritten, splitRequestOf } from '../split-request.js';

export function quorumHandlers(s: ServiceSession): Handlers<'ca.presentShares' | 'ca.quorum' | 'ca.quorumSet' | 'ca.quorumReissue'> {
  return {
    'ca.presentShares': async ({ ca, shares }) => {
      const vault = s.unlocked();
      const inputs = shareInputsOf(shares);
      const r = await inWindowWords((d) => `CA "${String(d.ca)}"`, inputs, () => unlockQuorum(vault, ca ?? null, inputs));
      return { ca: r.ca.name, holders: r.holders, k: r.k, n: r.n };
    },
    'ca.quorum': ({ id }) => {
      const vault = s.unlocked();
      const q = quorumStatus(vault, String(id));
      const history = q.underQuorum && q.splitId ? quorumHistory(vault, id, q.splitId) : { setAt: null, lastUses: [] };
      return { ca: q.ca, underQuorum: q.underQuorum, k: q.k, n: q.n, holders: q.holders, unlockedBy: q.unlockedBy, setAt: history.setAt, lastUses: history.lastUses };
    },
    'ca.quorumSet': async ({ id, ...split }) => {
      const vault = s.unlocked();
      const r = await setQuorum(vault, String(id), splitRequestOf(split, s.grants));
      return { ca: r.ca, ...sharesWritten(r) };
    },
    'ca.quorumReissue': async ({ id, shares, ...split }) => {
      const vault = s.unlocked();
      const req = splitRequestOf(split, s.grants);
      const inputs = shareInputsOf(shares);
      const r = await inWindowWords((d) => `CA "${String(d.ca)}"`, inputs, () => reissueQuorum(vault, String(id), inputs, req));
      return { ca: r.ca, ...sharesWritten(r) };
    },
  };
}
