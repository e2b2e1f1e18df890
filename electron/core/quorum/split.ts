// Putting a CA under K-of-N control, and re-issuing its shares: a fresh quorum key Q seals the CA's PKCS#8 in a
// quorum envelope (envelope.ts), which the vault seals in place of the bare key; Q is split with Shamir's secret
// sharing (shamir-secret-sharing, audited) into N shares, each sealed under its holder's passphrase.
import { randomBytes } from 'node:crypto';
import { split, combine } from 'shamir-secret-sharing';
import { CertDeskError } from '../../../shared/errors.js';
import { resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { checkNewPassphrase } from '../vault/passphrase-rule.js';
import type { KdfParams } from '../vault/vault-crypto.js';
import { caKeyOf, resealKey, sealedKeyBytes, type CaKey } from './ca-key.js';
import { makeEnvelope, openEnvelope, parseEnvelope, type EnvelopeHeader } from './envelope.js';
import { dropTokenSession } from '../pkcs11/session.js';
import { isTokenReference, parseTokenReference } from '../pkcs11/token-ref.js';
import { forgetQuorumKeys } from './session.js';
import { referenceWithPin } from './token-pin.js';
import { sealShare } from './share-file.js';
import { removeShareFiles, shareFilePaths, writeShareFiles, type WrittenShare } from './share-output.js';
import { recoverQuorum, type ShareInput } from './unlock.js';

/** At most 16 shares per split. */
export const MAX_SHARES = 16;

export interface QuorumSplitRequest {
  /** The N officers' names, share 1 first: unique, 1 to 64 characters. */
  holders: string[];
  /** K: shares needed, 2 to N. */
  threshold: number;
  /** Each holder's own passphrase, in the order of `holders`; the vault passphrase rule applies to each. */
  passphrases: string[];
  /** The folder the share files and sheets are written to (created files only, never replaced). */
  out: string;
  /**
   * For a CA whose key is on a PKCS#11 token: the token's user PIN, sealed under the split (token-pin.ts). Absent:
   * the vault's PIN provider is asked (the CLI); ignored for a key in the vault.
   */
  tokenPin?: string;
}

export interface QuorumSplitResult {
  ca: string;
  k: number;
  n: number;
  splitId: string;
  holders: string[];
  files: WrittenShare[];
  /** The CA's key is on a token and the split seals its PIN: signing needs the shares, and nobody types the PIN. */
  tokenPinSealed: boolean;
}

/**
 * Puts CA `caRef` under K-of-N control. Share files and sheets are written first, the vault changed after
 * (so a failed write leaves the CA as it was, and a failed commit removes the files). Audited "ca.quorum-set"
 * (holders, K, N, split id; never a share). For a key on a PKCS#11 token the split seals the token's PIN
 * (req.tokenPin or the vault's PIN provider), proven by a login first.
 * @throws INVALID_INPUT (K, N, holder names, a weak or repeated passphrase, the CA already under control),
 *   CA_NOT_FOUND, CA_KEY_MISSING, IO_ERROR (a share file exists or cannot be written); for a token key what
 *   referenceWithPin throws (TOKEN_PIN_REQUIRED, TOKEN_PIN_INCORRECT, TOKEN_NOT_PRESENT, …), before anything is written
 */
export async function setQuorum(vault: Vault, caRef: string, req: QuorumSplitRequest): Promise<QuorumSplitResult> {
  vault.requireUnlocked();
  const ca = resolveCa(vault, caRef);
  const key = caKeyOf(vault, ca);
  if (key.envelope) {
    const h = key.envelope.header;
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" is already under ${h.k}-of-${h.n} control (${h.holders.join(', ')}): re-issue its shares with "certdesk quorum reissue"`, { ca: ca.name });
  }
  await checkSplitRequest(req);
  const sealed = sealedKeyBytes(vault, key.keyId);
  let plain = sealed;
  try {
    // A key on a token stays there: the split seals its reference with the PIN (token-pin.ts).
    if (isTokenReference(sealed)) plain = await referenceWithPin(vault, ca.name, parseTokenReference(sealed, key.keyId), req.tokenPin);
    const result = await writeSplit(vault, key, plain, req, 'ca.quorum-set', {});
    dropTokenSession(vault, key.keyId); // a PIN login made before: from now on only the shares open the key
    return result;
  } finally {
    sealed.fill(0);
    plain.fill(0);
  }
}

/**
 * A new split of a quorum CA, by K officers together: their shares recover the key (see recoverQuorum), which
 * is sealed under a new Q with a new split id; every share of the old split stops working. For a token CA,
 * req.tokenPin (when given) replaces the sealed PIN, after a login proves it. Audited
 * "ca.quorum-reissue" (the new holders, K, N, split id, and the holders whose shares authorised it).
 * @throws what recoverQuorum and setQuorum throw
 */
export async function reissueQuorum(vault: Vault, caRef: string, shares: ShareInput[], req: QuorumSplitRequest): Promise<QuorumSplitResult> {
  vault.requireUnlocked();
  await checkSplitRequest(req);
  const r = await recoverQuorum(vault, caRef, shares);
  r.q.fill(0);
  let plain: Uint8Array = r.pkcs8;
  try {
    // A token CA whose PIN was changed on the token: the new PIN (proven by a login) replaces the sealed one.
    if (req.tokenPin !== undefined && isTokenReference(plain)) plain = await referenceWithPin(vault, r.key.ca.name, parseTokenReference(plain, r.key.keyId), req.tokenPin);
    return await writeSplit(vault, r.key, plain, req, 'ca.quorum-reissue', { previousSplitId: r.key.envelope!.header.splitId, authorisedBy: r.holders });
  } finally {
    r.pkcs8.fill(0);
    plain.fill(0);
  }
}

async function writeSplit(vault: Vault, key: CaKey, pkcs8: Uint8Array, req: QuorumSplitRequest, action: string, extra: Record<string, unknown>): Promise<QuorumSplitResult> {
  const holders = req.holders.map((h) => h.trim());
  const k = req.threshold;
  const n = holders.length;
  const paths = shareFilePaths(req.out, key.ca.name, holders);
  const splitId = randomBytes(16).toString('hex');
  const header: EnvelopeHeader = { caId: key.ca.id, splitId, k, n, holders, spkiSha256: key.spkiSha256 };
  const q = randomBytes(32);
  let raw: Uint8Array[] = [];
  try {
    raw = await splitKey(q, n, k);
    const envelope = makeEnvelope(header, q, pkcs8);
    const back = openEnvelope(parseEnvelope(envelope, key.keyId), q);
    const same = back !== null && back.equals(Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength));
    back?.fill(0);
    if (!same) throw new CertDeskError('INTERNAL', 'the new quorum envelope does not open', {});
    const tokenPinSealed = isTokenReference(pkcs8) && parseTokenReference(pkcs8, key.keyId).pin !== undefined;
    const cost = vaultKdfCost(vault);
    const texts: string[] = [];
    for (let i = 0; i < n; i++) {
      texts.push(await sealShare({ ca: key.ca.name, caId: key.ca.id, caKeySha256: key.spkiSha256, splitId, holder: holders[i]!, index: i + 1, k, n }, raw[i]!, req.passphrases[i]!, cost));
    }
    const files = await writeShareFiles(paths, texts, { ca: key.ca.name, holders, k, n });
    try {
      vault.transaction(() => {
        resealKey(vault, key.keyId, envelope);
        vault.audit(action, `ca:${key.ca.id}`, { ca: key.ca.name, holders, k, n, splitId, ...(tokenPinSealed ? { tokenPinSealed } : {}), ...extra });
      });
    } catch (e) {
      removeShareFiles(files);
      throw e;
    }
    // Q of an earlier split held by this Vault object no longer opens anything: dropped.
    forgetQuorumKeys(vault);
    return { ca: key.ca.name, k, n, splitId, holders, files, tokenPinSealed };
  } finally {
    q.fill(0);
    for (const s of raw) s.fill(0);
  }
}

/**
 * Splits the 32-byte key `q` into `n` Shamir shares, any `k` of which recover it (shamir-secret-sharing), and
 * proves it: the first K and the last K shares are combined and compared with q, so a split is never handed out
 * that could not be used. The caller zeroes the shares. @throws CertDeskError INTERNAL when they do not recover q
 */
export async function splitKey(q: Buffer, n: number, k: number): Promise<Uint8Array[]> {
  const raw = await split(new Uint8Array(q.buffer, q.byteOffset, q.length), n, k);
  for (const pick of [raw.slice(0, k), raw.slice(n - k)]) {
    const got = await combine(pick);
    const back = Buffer.from(got.buffer, got.byteOffset, got.byteLength); // a view: zeroed below
    const ok = back.equals(q);
    back.fill(0);
    if (!ok) {
      for (const s of raw) s.fill(0);
      throw new CertDeskError('INTERNAL', 'the new shares do not recover the quorum key', {});
    }
  }
  return raw;
}

/** K, N, holder names and passphrases: INVALID_INPUT naming what is wrong (never a passphrase). */
export async function checkSplitRequest(req: QuorumSplitRequest): Promise<void> {
  const holders = req.holders.map((h) => h.trim());
  const n = holders.length;
  const k = req.threshold;
  if (n < 2 || n > MAX_SHARES) throw new CertDeskError('INVALID_INPUT', `holders: give 2 to ${MAX_SHARES} holder names (one share each), got ${n}`, { field: 'holders' });
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new CertDeskError('INVALID_INPUT', `threshold: must be a whole number from 2 to the number of shares (${n}), got ${k}`, { field: 'threshold' });
  }
  const seen = new Map<string, string>();
  for (const h of holders) {
    if (!h || [...h].length > 64 || /[\p{Cc}]/u.test(h)) {
      throw new CertDeskError('INVALID_INPUT', `holders: a holder name is 1 to 64 characters without control characters, got "${h.replace(/[\p{Cc}]/gu, '?')}"`, { field: 'holders' });
    }
    const fold = h.normalize('NFC').toLowerCase();
    if (seen.has(fold)) throw new CertDeskError('INVALID_INPUT', `holders: "${h}" is named twice; each share goes to a different officer`, { field: 'holders' });
    seen.set(fold, h);
  }
  if (req.passphrases.length !== n) {
    throw new CertDeskError('INVALID_INPUT', `passphrases: one per holder is needed (${n} holders), got ${req.passphrases.length}`, { field: 'passphrases' });
  }
  for (let i = 0; i < n; i++) {
    try {
      await checkNewPassphrase(req.passphrases[i]!);
    } catch (e) {
      if (e instanceof CertDeskError) throw new CertDeskError(e.code, `the passphrase of holder "${holders[i]}": ${e.message.replace(/^passphrase: /, '')}`, { field: 'passphrases', holder: holders[i] });
      throw e;
    }
    const j = req.passphrases.indexOf(req.passphrases[i]!);
    if (j !== i) {
      throw new CertDeskError('INVALID_INPUT', `holders "${holders[j]}" and "${holders[i]}" were given the same passphrase: each officer chooses their own`, { field: 'passphrases' });
    }
  }
}

/** The vault's own scrypt cost (N, r, p), for the holders' passphrases. */
export function vaultKdfCost(vault: Vault): Omit<KdfParams, 'salt'> {
  const row = vault.db.prepare("SELECT value FROM meta WHERE key = 'vault_key'").get() as { value: string };
  const { N, r, p } = (JSON.parse(row.value) as { kdf: KdfParams }).kdf;
  return { alg: 'scrypt', N, r, p };
}
