// K officers give their shares: each share file is checked (format and checksum, CA, split, given once), opened
// with its holder's passphrase, and K of them recover the quorum key Q, proven by opening the CA's envelope.
import type { CaRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { caKeyOf, keysOfSplit, shareOrigin, type CaKey } from './ca-key.js';
import { openEnvelope } from './envelope.js';
import { quorumRequired, rememberQuorumKey } from './session.js';
import { checkSplitShares, combineShares, type GivenShare, type ShareInput } from './combine.js';
import { isBackupShare, parseShare, type CaShareFile } from './share-file.js';

// ShareInput lives with the code that combines shares (combine.ts); kept importable from here.
export type { ShareInput } from './combine.js';

export interface RecoveredQuorum {
  key: CaKey;
  /** Q: the caller zeroes it. */
  q: Buffer;
  /** The PKCS#8 inside the envelope: the caller zeroes it. */
  pkcs8: Buffer;
  /** Holders whose shares took part, in share order. */
  holders: string[];
}

/**
 * Checks the shares and recovers Q and the CA key. `caRef` names the CA (id or name); null takes the CA all
 * shares name (they must agree). Checks, in order, before any passphrase is used: each file's format and
 * checksum, that it is a share of this CA's key and of its current split, that no share is given twice, that
 * at least K are given; then each share is opened with its passphrase.
 * @throws SHARE_REJECTED (damaged or altered file, another CA, another split, a share given twice),
 *   QUORUM_REQUIRED (fewer than K shares: "CA "Root" is under 2-of-3 control: give 2 shares with --share FILE"),
 *   SHARE_BAD_PASSPHRASE (names the holder and the file), INVALID_INPUT (the CA is not under quorum control),
 *   CA_NOT_FOUND, CA_KEY_MISSING.
 */
export async function recoverQuorum(vault: Vault, caRef: string | null, shares: ShareInput[]): Promise<RecoveredQuorum> {
  vault.requireUnlocked();
  const parsed: GivenShare<CaShareFile>[] = shares.map((s) => ({ input: s, file: parseCaShare(s.data, s.label) }));
  const ca = caOf(vault, caRef, parsed);
  const key = caKeyOf(vault, ca);
  const env = key.envelope;
  if (!env) throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" is not under K-of-N control: it needs no shares`, { ca: ca.name });
  const { k, n } = env.header;
  // A CA renewed with a new key under quorum: its shares are its predecessor's (EnvelopeHeader.sharesOf).
  const origin = shareOrigin(key);
  for (const { input, file } of parsed) {
    if (file.caKeySha256 !== origin.spkiSha256 || file.caId !== origin.caId) {
      const whose = file.ca === ca.name ? `another CA named "${file.ca}" (another key: another vault's CA, or one since renewed with a new key)` : `CA "${file.ca}"`;
      throw new CertDeskError('SHARE_REJECTED', `share file ${input.label} is a share of ${whose}, not of CA "${ca.name}" in this vault: it is not used`, { file: input.label, ca: ca.name });
    }
  }
  checkSplitShares(
    parsed,
    env.header,
    ({ input, file }) =>
      new CertDeskError('SHARE_REJECTED', `share file ${input.label} (${file.holder}) is from another split of CA "${ca.name}": its shares were re-issued since, and it no longer works`, { file: input.label, ca: ca.name }),
    (given) => quorumRequired(ca.name, k, n, given),
  );
  const { q, holders } = await combineShares(parsed);
  const pkcs8 = openEnvelope(env, q);
  if (!pkcs8) {
    q.fill(0);
    throw new CertDeskError('SHARE_REJECTED', `the shares given do not recover the key of CA "${ca.name}" (a share was altered with its checksum recomputed): nothing was unlocked`, { ca: ca.name });
  }
  return { key, q, pkcs8, holders };
}

/**
 * Unlocks a quorum CA for this Vault object only: after it, loadSigner (and every signing command) may use the
 * CA's key until the vault locks or closes, which zero Q. Returns the CA and the holders whose shares took part.
 * Nothing is written to the vault: each signing is audited ("ca.quorum-use", holders named, never shares).
 * @throws what recoverQuorum throws.
 */
export async function unlockQuorum(vault: Vault, caRef: string | null, shares: ShareInput[]): Promise<{ ca: CaRecord; holders: string[]; k: number; n: number }> {
  const r = await recoverQuorum(vault, caRef, shares);
  r.pkcs8.fill(0);
  const { caId, splitId, k, n } = r.key.envelope!.header;
  rememberQuorumKey(vault, r.key.keyId, { caId, splitId, q: r.q, holders: r.holders });
  // The same Q opens the keys this CA was renewed into with a new key (and its predecessor's): each gets its own copy.
  for (const sibling of keysOfSplit(vault, splitId, shareOrigin(r.key))) {
    if (sibling.keyId !== r.key.keyId) rememberQuorumKey(vault, sibling.keyId, { caId: sibling.ca.id, splitId, q: Buffer.from(r.q), holders: r.holders });
  }
  return { ca: r.key.ca, holders: r.holders, k, n };
}

function caOf(vault: Vault, caRef: string | null, parsed: GivenShare<CaShareFile>[]): CaRecord {
  if (caRef !== null) return resolveCa(vault, caRef);
  if (parsed.length === 0) throw new CertDeskError('INVALID_INPUT', 'no share given', {});
  const first = parsed[0]!;
  const other = parsed.find((p) => p.file.caId !== first.file.caId || p.file.caKeySha256 !== first.file.caKeySha256);
  if (other) {
    throw new CertDeskError(
      'SHARE_REJECTED',
      `the shares given belong to different CAs (${first.input.label} to CA "${first.file.ca}", ${other.input.label} to CA "${other.file.ca}"): give the shares of the one CA that signs`,
      { file: other.input.label },
    );
  }
  // The CA whose current split the shares are of: the one they name, or a successor renewed with a new key under the same Q.
  const ofSplit = keysOfSplit(vault, first.file.splitId, { caId: first.file.caId, spkiSha256: first.file.caKeySha256 });
  if (ofSplit.length > 0) return (ofSplit.find((k) => k.ca.id === first.file.caId) ?? ofSplit[0]!).ca;
  const row = vault.db.prepare('SELECT name FROM cas WHERE id = ?').get(first.file.caId) as { name: string } | undefined;
  if (!row) throw new CertDeskError('SHARE_REJECTED', `share file ${first.input.label} is a share of CA "${first.file.ca}", which is not in this vault: it is not used`, { file: first.input.label });
  return resolveCa(vault, String(first.file.caId));
}

/**
 * Unlocks every CA the shares belong to, each group of shares (by the CA and key they name, in the order first
 * given) through unlockQuorum: for a run that signs with several quorum CAs (crl publish). Returns one entry per
 * CA. @throws what unlockQuorum throws, for the first group that fails (CAs unlocked before it stay unlocked
 * in this Vault object, until it locks or closes).
 */
export async function unlockQuorumShares(vault: Vault, shares: ShareInput[]): Promise<{ ca: CaRecord; holders: string[]; k: number; n: number }[]> {
  const groups = new Map<string, ShareInput[]>();
  for (const s of shares) {
    const f = parseCaShare(s.data, s.label);
    const key = `${f.caId}:${f.caKeySha256}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const unlocked = [];
  for (const group of groups.values()) unlocked.push(await unlockQuorum(vault, null, group));
  return unlocked;
}

/**
 * A share file of a CA key (parseShare). SHARE_REJECTED when it is a backup's share: "share file F is a share of
 * the backup of vault V taken T, not of a CA's key: …".
 */
export function parseCaShare(data: Uint8Array, label: string): CaShareFile {
  const f = parseShare(data, label);
  if (isBackupShare(f)) {
    throw new CertDeskError(
      'SHARE_REJECTED',
      `share file ${label} is a share of the backup of vault "${f.vault}" taken ${f.takenAt}, not of a CA's key: it restores that backup (certdesk restore --share), and is not used here`,
      { file: label },
    );
  }
  return f;
}
