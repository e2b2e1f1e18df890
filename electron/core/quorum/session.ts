// The quorum keys a Vault object holds in memory after K officers gave their shares (unlock-quorum.ts), and the
// hook through which Vault.loadKey opens a key sealed as a quorum envelope. Nothing here is written to disk: the
// keys live in a WeakMap keyed by the Vault object, and are zeroed when that vault locks or closes.
// Kept free of issuance imports: vault.ts imports this module.
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';
import { isEnvelope, openEnvelope, parseEnvelope } from './envelope.js';

export interface QuorumSession {
  caId: number;
  splitId: string;
  /** The quorum key Q (32 bytes). */
  q: Buffer;
  /** The holders whose shares recovered Q, in share order. */
  holders: string[];
}

const sessions = new WeakMap<Vault, Map<string, QuorumSession>>();

/** Keeps Q for the key `keyId` in this Vault object only (replacing and zeroing an earlier one). */
export function rememberQuorumKey(vault: Vault, keyId: string, session: QuorumSession): void {
  let map = sessions.get(vault);
  if (!map) sessions.set(vault, (map = new Map()));
  map.get(keyId)?.q.fill(0);
  map.set(keyId, session);
}

/** The session for a key, if its quorum was unlocked on this Vault object. */
export function quorumSessionOf(vault: Vault, keyId: string): QuorumSession | undefined {
  return sessions.get(vault)?.get(keyId);
}

/** Zeroes and drops every quorum key of this Vault object (Vault.lock and close call it). */
export function forgetQuorumKeys(vault: Vault): void {
  const map = sessions.get(vault);
  if (!map) return;
  for (const s of map.values()) s.q.fill(0);
  map.clear();
  sessions.delete(vault);
}

/** "CA "Root" is under 2-of-3 control: give 2 shares with --share FILE". */
export function quorumRequired(caName: string, k: number, n: number, given?: string): CertDeskError {
  const more = given === undefined ? '' : ` (${given})`;
  return new CertDeskError('QUORUM_REQUIRED', `CA "${caName}" is under ${k}-of-${n} control: give ${k} shares with --share FILE${more}`, { ca: caName, k, n });
}

/**
 * Vault.loadKey's hook: `plaintext` as the vault unsealed it. A bare PKCS#8 is returned as it is. A quorum
 * envelope is opened with the Q this Vault object holds, the use audited ("ca.quorum-use": CA, holders, split,
 * never a share) and the PKCS#8 returned (the caller zeroes it); without Q: QUORUM_REQUIRED naming the CA and K.
 */
export function openQuorumKey(vault: Vault, keyId: string, plaintext: Uint8Array): Uint8Array {
  if (!isEnvelope(plaintext)) return plaintext;
  const env = parseEnvelope(plaintext, keyId);
  plaintext.fill(0);
  const caName = (vault.db.prepare('SELECT name FROM cas WHERE id = ?').get(env.header.caId) as { name: string } | undefined)?.name ?? `#${env.header.caId}`;
  const session = quorumSessionOf(vault, keyId);
  if (!session || session.splitId !== env.header.splitId) throw quorumRequired(caName, env.header.k, env.header.n);
  const pkcs8 = openEnvelope(env, session.q);
  if (!pkcs8) throw new CertDeskError('VAULT_CORRUPT', `private key ${keyId} of CA "${caName}" does not open with its quorum key (the record was altered)`, { keyId });
  vault.audit('ca.quorum-use', `ca:${env.header.caId}`, { ca: caName, holders: session.holders, splitId: env.header.splitId, k: env.header.k, n: env.header.n });
  // A view, not a copy: the caller's zeroing clears the only copy.
  return new Uint8Array(pkcs8.buffer, pkcs8.byteOffset, pkcs8.length);
}
