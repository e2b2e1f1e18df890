// K holders' shares of one split recovering its key Q, for a CA key (unlock.ts) and for a backup
// (backup/share-slot.ts) alike: each share checked against the split (same split id, K and N, its holder at its
// index, given once), at least K of them, then each opened with its holder's passphrase (share-file.ts) and
// combined with Shamir's secret sharing (shamir-secret-sharing's combine).
import { combine } from 'shamir-secret-sharing';
import { CertDeskError } from '../../../shared/errors.js';
import { openShare, type ShareFile, type ShareHeader } from './share-file.js';

export interface ShareInput {
  /** The share file's bytes. */
  data: Uint8Array;
  /** How messages name it (its path). */
  label: string;
  /** The holder's passphrase, or a function asked once the file's header is checked (the CLI's prompt). */
  passphrase: string | ((header: ShareHeader, label: string) => Promise<string>);
}

/** A share file given, parsed (share-file.ts parseShare). */
export interface GivenShare<F extends ShareFile = ShareFile> {
  input: ShareInput;
  file: F;
}

/** A split as its key's owner records it: share index i + 1 belongs to holders[i]. */
export interface SplitOf {
  splitId: string;
  k: number;
  n: number;
  holders: string[];
}

/**
 * Checks, before any passphrase is used, that every share is of `split` and given once, and that at least K are
 * given. `otherSplit` makes the error for a share of another split (it names what the shares are for);
 * `tooFew` the error for fewer than K shares (`given`: "1 given: Alice" or "none given").
 * @throws what otherSplit and tooFew return; SHARE_REJECTED "the share of "Alice" is given twice (F and G) …"
 */
export function checkSplitShares<F extends ShareFile>(given: GivenShare<F>[], split: SplitOf, otherSplit: (g: GivenShare<F>) => Error, tooFew: (given: string) => Error): void {
  const byIndex = new Map<number, string>();
  for (const g of given) {
    const { input, file } = g;
    if (file.splitId !== split.splitId || file.k !== split.k || file.n !== split.n || split.holders[file.index - 1] !== file.holder) throw otherSplit(g);
    const first = byIndex.get(file.index);
    if (first !== undefined) {
      throw new CertDeskError('SHARE_REJECTED', `the share of "${file.holder}" is given twice (${first} and ${input.label}): give ${split.k} different officers' shares`, { file: input.label, holder: file.holder });
    }
    byIndex.set(file.index, input.label);
  }
  if (given.length < split.k) throw tooFew(given.length === 0 ? 'none given' : `${given.length} given: ${given.map((g) => g.file.holder).join(', ')}`);
}

/**
 * Opens each checked share with its holder's passphrase (asked in the order given) and combines them into Q.
 * Q is a new buffer the caller zeroes; the opened shares are zeroed here. Whether Q is the right key is for the
 * caller to prove (by opening what Q seals): a share altered with its checksum recomputed combines to another Q.
 * @returns Q and the holders whose shares took part, in share order
 * @throws CertDeskError SHARE_BAD_PASSPHRASE naming the holder and the file
 */
export async function combineShares(given: GivenShare[]): Promise<{ q: Buffer; holders: string[] }> {
  const opened: { file: ShareFile; share: Buffer }[] = [];
  try {
    for (const { input, file } of given) {
      const passphrase = typeof input.passphrase === 'string' ? input.passphrase : await input.passphrase(file, input.label);
      opened.push({ file, share: await openShare(file, passphrase, input.label) });
    }
    opened.sort((a, b) => a.file.index - b.file.index);
    // Views, not copies: zeroing the shares and Q zeroes every byte the combination used.
    const combined = await combine(opened.map((o) => new Uint8Array(o.share.buffer, o.share.byteOffset, o.share.length)));
    return { q: Buffer.from(combined.buffer, combined.byteOffset, combined.byteLength), holders: opened.map((o) => o.file.holder) };
  } finally {
    for (const o of opened) o.share.fill(0);
  }
}
