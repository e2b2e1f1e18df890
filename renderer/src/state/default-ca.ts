// Which CA a form preselects: the one that can sign, or, of several, the most recent, so a helpdesk officer with
// one issuing CA never has to pick it (the issue wizard, batch and Sign a CSR agree on it).
import type { CaRecord } from '../../../shared/domain.js';
import { canSign } from './cas.js';

/**
 * The id of the CA to preselect among `cas` (ca.list): of those that can sign (key in the vault, valid), the one
 * with the latest notBefore (then the highest id: created last); null when none can sign.
 */
export function defaultCa(cas: readonly CaRecord[]): number | null {
  let best: CaRecord | null = null;
  for (const c of cas) {
    if (!canSign(c)) continue;
    if (!best || c.notBefore > best.notBefore || (c.notBefore === best.notBefore && c.id > best.id)) best = c;
  }
  return best?.id ?? null;
}
