// A backup's "shares" key slot (certdesk backup --shares N --threshold K, restore --share FILE): the backup's
// content key and the vault key sealed under a random key Q, Q split K-of-N with Shamir's secret sharing into
// backup shares (the quorum share format, quorum/share-file.ts, purpose "backup"), each sealed under its holder's
// passphrase. K holders restore the backup without the vault passphrase: the vault key opens the records, and is
// wrapped under a new vault passphrase in the restored vault (rekeyImage), as "passphrase change" rewraps it.
import { randomBytes } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import { checkSplitShares, combineShares, type GivenShare, type ShareInput, type SplitOf } from '../quorum/combine.js';
import { isBackupShare, parseShare, sealShare, type BackupShareFile } from '../quorum/share-file.js';
import { removeShareFiles, shareFilePaths, writeShareFiles, type WrittenShare } from '../quorum/share-output.js';
import { splitKey, type QuorumSplitRequest } from '../quorum/split.js';
import { openSqlite } from '../vault/sqlite.js';
import { newKdfParams, open, seal, type KdfParams } from '../vault/vault-crypto.js';
import { unwrapVaultKey, wrapVaultKey } from '../vault/vault.js';
import { sharesWrapAad, type SharesWrap } from './format.js';

/** A new backup split: Q (32 random bytes) and its N shares, any K of which recover it. The caller zeroes both. */
export interface NewBackupSplit {
  q: Buffer;
  raw: Uint8Array[];
  split: SplitOf;
}

/** Q made and split (quorum/split.ts splitKey: proven to recover Q). `req` is checked by checkSplitRequest first. */
export async function newBackupSplit(req: Pick<QuorumSplitRequest, 'holders' | 'threshold'>): Promise<NewBackupSplit> {
  const holders = req.holders.map((h) => h.trim());
  const q = randomBytes(32);
  const raw = await splitKey(q, holders.length, req.threshold);
  return { q, raw, split: { splitId: randomBytes(16).toString('hex'), k: req.threshold, n: holders.length, holders } };
}

/** The shares wrap: `contentKey` then `vaultKey` (32 bytes each) sealed under Q with the split as AAD. */
export function makeSharesWrap(q: Buffer, split: SplitOf, contentKey: Buffer, vaultKey: Buffer): SharesWrap {
  const both = Buffer.concat([contentKey, vaultKey]);
  try {
    const sealed = seal(q, both, sharesWrapAad(split));
    return { method: 'shares', ...split, nonce: sealed.nonce.toString('hex'), ciphertext: sealed.ciphertext.toString('hex') };
  } finally {
    both.fill(0);
  }
}

/** The content key and the vault key inside the wrap, or null when Q is not its key. The caller zeroes both. */
export function openSharesWrap(wrap: SharesWrap, q: Buffer): { contentKey: Buffer; vaultKey: Buffer } | null {
  const both = open(q, { nonce: Buffer.from(wrap.nonce, 'hex'), ciphertext: Buffer.from(wrap.ciphertext, 'hex') }, sharesWrapAad(wrap));
  if (!both || both.length !== 64) return null;
  const keys = { contentKey: Buffer.from(both.subarray(0, 32)), vaultKey: Buffer.from(both.subarray(32)) };
  both.fill(0);
  return keys;
}

/**
 * K holders' shares of the backup `label` recover its content key and vault key. Checked before any passphrase
 * is used: each file's format and checksum, that it is a backup share (not a CA key's), of this backup's split,
 * given once, and at least K of them; then each is opened with its holder's passphrase and Q proven by the wrap.
 * @returns the keys (the caller zeroes them) and the holders whose shares took part, in share order
 * @throws CertDeskError SHARE_REJECTED (damaged or altered share; a CA key's share; another backup's share; a
 *   share given twice; shares that do not recover the key), QUORUM_REQUIRED (fewer than K shares),
 *   SHARE_BAD_PASSPHRASE (names the holder and the file)
 */
export async function recoverBackupKeys(wrap: SharesWrap, label: string, shares: ShareInput[]): Promise<{ contentKey: Buffer; vaultKey: Buffer; holders: string[] }> {
  const given: GivenShare<BackupShareFile>[] = shares.map((input) => {
    const file = parseShare(input.data, input.label);
    if (!isBackupShare(file)) {
      throw new CertDeskError('SHARE_REJECTED', `share file ${input.label} is a share of CA "${file.ca}"'s key (two-officer control), not of a backup: it is not used`, { file: input.label });
    }
    return { input, file };
  });
  checkSplitShares(
    given,
    wrap,
    ({ input, file }) =>
      file.splitId !== wrap.splitId
        ? new CertDeskError('SHARE_REJECTED', `share file ${input.label} (${file.holder}) is a share of another backup (of vault "${file.vault}" taken ${file.takenAt}), not of ${label}: it is not used`, { file: input.label })
        : new CertDeskError('SHARE_REJECTED', `share file ${input.label} (${file.holder}) does not match the split of ${label} (its holder, K or N differ): it is not used`, { file: input.label }),
    (said) =>
      new CertDeskError('QUORUM_REQUIRED', `${label} restores with ${wrap.k} of its ${wrap.n} backup shares (${wrap.holders.join(', ')}): give ${wrap.k} shares with --share FILE (${said})`, {
        path: label,
        k: wrap.k,
        n: wrap.n,
      }),
  );
  const { q, holders } = await combineShares(given);
  try {
    const keys = openSharesWrap(wrap, q);
    if (!keys) {
      throw new CertDeskError('SHARE_REJECTED', `the shares given do not recover the key of backup ${label} (a share was altered with its checksum recomputed): the backup was not opened`, { path: label });
    }
    return { ...keys, holders };
  } finally {
    q.fill(0);
  }
}

/** The vault key of a vault image, unwrapped with its passphrase (meta vault_key). The caller zeroes it. @throws VAULT_WRONG_PASSPHRASE */
export async function vaultKeyOfImage(image: Buffer, passphrase: string, label: string): Promise<Buffer> {
  const db = openSqlite(image, { readonly: true });
  let stored: string | undefined;
  try {
    stored = (db.prepare("SELECT value FROM meta WHERE key = 'vault_key'").get() as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
  const unwrapped = stored === undefined ? null : await unwrapVaultKey(stored, passphrase);
  if (!unwrapped) throw new CertDeskError('VAULT_WRONG_PASSPHRASE', `wrong passphrase: it does not open ${label}`, { path: label });
  unwrapped.kek.fill(0);
  return unwrapped.vaultKey;
}

/**
 * A copy of the vault image whose vault key is wrapped under `passphrase` (a new salt; scrypt at `cost`, else the
 * image's own cost), as "certdesk passphrase change" rewraps it: the records are not touched. The image was
 * authenticated by the backup's MAC; the new wrap carries the "records authenticated" label every vault a backup
 * is taken of has (checkImage refuses an image without it).
 * @throws CertDeskError VAULT_CORRUPT when the image has no readable vault key entry
 */
export async function rekeyImage(image: Buffer, vaultKey: Buffer, passphrase: string, label: string, cost?: Omit<KdfParams, 'salt'>): Promise<Buffer> {
  const db = openSqlite(image);
  try {
    let own: Omit<KdfParams, 'salt'>;
    try {
      const stored = (db.prepare("SELECT value FROM meta WHERE key = 'vault_key'").get() as { value: string }).value;
      const { N, r, p } = (JSON.parse(stored) as { kdf: KdfParams }).kdf;
      own = { alg: 'scrypt', N, r, p };
    } catch {
      throw new CertDeskError('VAULT_CORRUPT', `${label} has no readable vault key entry`, { path: label });
    }
    const wrapped = await wrapVaultKey(vaultKey, passphrase, newKdfParams(cost ?? own));
    db.prepare("UPDATE meta SET value = ? WHERE key = 'vault_key'").run(wrapped);
    return db.serialize();
  } finally {
    db.close();
  }
}

/**
 * Seals each holder's backup share under their passphrase and writes the share files and printable sheets into
 * `req.out` (all or none; never over a file): "NAME-backup-share-1-of-3-alice.certdesk-share" and ".html".
 * @param about the backup's file name (shown), the vault's file name and when the backup was taken
 * @param cost the vault's scrypt cost, for the holders' passphrases
 * @throws CertDeskError IO_ERROR naming the file (the folder is missing, a file exists, a write fails)
 */
export async function writeBackupShares(
  made: NewBackupSplit,
  req: QuorumSplitRequest,
  about: { file: string; stem: string; vault: string; takenAt: string },
  cost: Omit<KdfParams, 'salt'>,
): Promise<WrittenShare[]> {
  const { splitId, k, n, holders } = made.split;
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    texts.push(await sealShare({ purpose: 'backup', vault: about.vault, takenAt: about.takenAt, splitId, holder: holders[i]!, index: i + 1, k, n }, made.raw[i]!, req.passphrases[i]!, cost));
  }
  return writeShareFiles(shareFilePaths(req.out, `${about.stem}-backup`, holders), texts, { backup: { file: about.file, vault: about.vault, takenAt: about.takenAt }, holders, k, n });
}

export { removeShareFiles };
