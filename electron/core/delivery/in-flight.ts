// Deliveries this process is writing right now. A pending delivery that is in flight is neither listed as
// undelivered nor resumed, so the window's banner does not offer, and "resume" does not race, work that is
// still running (a batch row between its commit and its bundle). Another process's work shows as pending:
// there is no way to tell it from a run that was killed.
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';

const inFlight = new WeakMap<Vault, Set<number>>();

function setOf(vault: Vault): Set<number> {
  let set = inFlight.get(vault);
  if (!set) inFlight.set(vault, (set = new Set()));
  return set;
}

/** True while this process is writing the delivery. */
export function isInFlight(vault: Vault, id: number): boolean {
  return inFlight.get(vault)?.has(id) ?? false;
}

/** Marks the delivery as being written and returns the function that ends it. Throws INVALID_INPUT if it is already being written. */
export function claimDelivery(vault: Vault, id: number): () => void {
  const set = setOf(vault);
  if (set.has(id)) throw new CertDeskError('INVALID_INPUT', `delivery ${id} is being written right now`, { id });
  set.add(id);
  return () => set.delete(id);
}

/** Runs fn with the delivery claimed (see claimDelivery), releasing it however fn ends. */
export async function whileClaimed<T>(vault: Vault, id: number, fn: () => Promise<T>): Promise<T> {
  const release = claimDelivery(vault, id);
  try {
    return await fn();
  } finally {
    release();
  }
}
