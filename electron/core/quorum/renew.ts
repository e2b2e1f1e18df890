// Two-officer control across a CA renewal with a new key (ca-renew.ts): the renewed CA's new key is sealed in a
// quorum envelope under the same Q, in the same split, so the same K of N officers' shares keep controlling it
// (EnvelopeHeader.sharesOf names the predecessor whose shares those are). The renewal needs the shares: Q must
// be in memory (unlock.ts) for the old key, which also makes the renewal itself a K-officer act.
import { createHash } from 'node:crypto';
import type { CaRecord } from '../../../shared/domain.js';
import type { Vault } from '../vault/vault.js';
import { caKeyOf, resealKey } from './ca-key.js';
import { makeEnvelope, type EnvelopeHeader } from './envelope.js';
import { quorumRequired, quorumSessionOf, rememberQuorumKey, type QuorumSession } from './session.js';

/** The quorum a CA being renewed with a new key is under, with Q from this session. */
export interface RenewalQuorum {
  header: EnvelopeHeader;
  session: QuorumSession;
}

/**
 * Null for a CA whose key is sealed by the vault alone; for a CA under K-of-N control, its envelope header and
 * this Vault object's session (Q). Reads only.
 * @throws CertDeskError QUORUM_REQUIRED ("CA "Root" is under 2-of-3 control: give 2 shares with --share FILE")
 *   when the CA is under control and its shares were not given in this session; CA_KEY_MISSING, VAULT_TAMPERED
 */
export function renewalQuorum(vault: Vault, ca: CaRecord): RenewalQuorum | null {
  const key = caKeyOf(vault, ca);
  const h = key.envelope?.header;
  if (!h) return null;
  const session = quorumSessionOf(vault, key.keyId);
  if (!session || session.splitId !== h.splitId) throw quorumRequired(ca.name, h.k, h.n);
  return { header: h, session };
}

/**
 * Seals the renewed CA's new key (`pkcs8`, already stored as key row `keyId`) in a quorum envelope under the same
 * Q and split, in place of the bare key, and keeps Q for it in this session. Call inside the renewal's
 * transaction, after the new CA row exists. Returns the new envelope's header (for the audit entry).
 * @param spki the new key's SubjectPublicKeyInfo (DER), as stored in the key row
 */
export function sealRenewedKey(vault: Vault, rq: RenewalQuorum, renewed: { keyId: string; caId: number; spki: Uint8Array; pkcs8: Uint8Array }): EnvelopeHeader {
  const h = rq.header;
  const header: EnvelopeHeader = {
    caId: renewed.caId,
    splitId: h.splitId,
    k: h.k,
    n: h.n,
    holders: h.holders,
    spkiSha256: createHash('sha256').update(renewed.spki).digest('hex'),
    sharesOf: h.sharesOf ?? { caId: h.caId, spkiSha256: h.spkiSha256 },
  };
  resealKey(vault, renewed.keyId, makeEnvelope(header, rq.session.q, renewed.pkcs8));
  rememberQuorumKey(vault, renewed.keyId, { caId: renewed.caId, splitId: h.splitId, q: Buffer.from(rq.session.q), holders: rq.session.holders });
  return header;
}
