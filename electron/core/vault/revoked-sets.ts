// A CA's revoked set: the count of the certificates it revoked and a keyed digest of their revocations
// (certificate id, serial, time, reason), kept in the CA's record (cas.revoked_count, cas.revoked_digest)
// and updated in the transaction of each revocation. A CRL is signed only when the revocations read from
// the certificate rows give the same set, so a revocation set back to "valid", deleted, or altered outside
// CertDesk stops the CRL instead of silently dropping out of it.
import type { RevocationReason } from '../../../shared/domain.js';
import type { RecordStore } from './record-store.js';
import { changeSet, sameSet, SetAccumulator, type SetDigest } from './set-digest.js';
import { prepared } from './statements.js';

export interface Revocation {
  id: number;
  serial: string;
  revoked_at: string;
  revocation_reason: RevocationReason;
}

/** The keyed element one revocation contributes to its CA's set. */
export function revocationElement(store: RecordStore, r: Revocation): Buffer {
  return store.element(['revocation', r.id, r.serial, r.revoked_at, r.revocation_reason]);
}

/** The revocations of a CA as the certificate rows have them, oldest first (index certificates_issuer). */
export function revocationsOf(store: RecordStore, caId: number): Revocation[] {
  return prepared(store.db, `SELECT id, serial, revoked_at, revocation_reason FROM certificates WHERE issuer_ca_id = ? AND status = 'revoked' ORDER BY revoked_at, id`).all(caId) as Revocation[];
}

export function revokedSetOf(store: RecordStore, revocations: readonly Revocation[]): SetDigest {
  const sum = new SetAccumulator();
  for (const r of revocations) sum.add(revocationElement(store, r));
  return sum.value;
}

/** The set the CA's record holds (its MAC covers both columns). */
export function recordedRevokedSet(ca: { revoked_count: number; revoked_digest: string }): SetDigest {
  return { count: ca.revoked_count, digest: ca.revoked_digest };
}

/** The CA record's columns after adding one revocation to its set. */
export function withRevocation(store: RecordStore, ca: { revoked_count: number; revoked_digest: string }, r: Revocation): { revoked_count: number; revoked_digest: string } {
  const next = changeSet(recordedRevokedSet(ca), revocationElement(store, r), 1);
  return { revoked_count: next.count, revoked_digest: next.digest };
}

/**
 * A CA's revocations as its certificate rows have them (oldest first), and what is wrong when they are not
 * the set its record holds (null when they are).
 */
export function compareRevokedSet(store: RecordStore, ca: { id: number; revoked_count: number; revoked_digest: string }): { revocations: Revocation[]; problem: string | null } {
  const revocations = revocationsOf(store, ca.id);
  const actual = revokedSetOf(store, revocations);
  const recorded = recordedRevokedSet(ca);
  if (sameSet(actual, recorded)) return { revocations, problem: null };
  const counts = actual.count === recorded.count ? `${actual.count} revocations as recorded, but not the same ones` : `${actual.count} revocations where CertDesk recorded ${recorded.count}`;
  return { revocations, problem: `its certificates show ${counts}: a revocation was removed, changed, or set back to valid` };
}
