// The window's forms for a new K-of-N split (ca.quorumSet, ca.quorumReissue, vault.backup's shares) and for K
// shares given (ca.presentShares, ca.quorumReissue), turned into what the quorum engine takes: the same requests
// the CLI builds from --holders, --threshold, --out and --share (electron/cli/quorum-commands.ts).
import type { ParsedRequestOf, SharesWritten } from '../../shared/api.js';
import { CertDeskError, isCertDeskError } from '../../shared/errors.js';
import type { ShareInput } from '../core/quorum/combine.js';
import { parseShare } from '../core/quorum/share-file.js';
import type { QuorumSplitRequest } from '../core/quorum/split.js';
import type { WrittenShare } from '../core/quorum/share-output.js';
import type { WriteGrants } from './write-grants.js';

type NewSplit = NonNullable<ParsedRequestOf<'vault.backup'>['shares']>;
type GivenShares = ParsedRequestOf<'ca.presentShares'>['shares'];

/**
 * A split request for the engine (split.ts checkSplitRequest checks names, K and the passphrases). The share
 * folder must be one a folder dialog answered this session.
 * @throws CertDeskError INVALID_INPUT (field "folder") when it was not chosen in a dialog
 */
export function splitRequestOf(split: NewSplit, grants: WriteGrants): QuorumSplitRequest {
  grants.check(split.folder, 'folder');
  return { holders: split.holders.map((h) => h.name), threshold: split.threshold, passphrases: split.holders.map((h) => h.passphrase), out: split.folder };
}

/**
 * K shares as the engine reads them, each named by its label in messages.
 * @throws CertDeskError INVALID_INPUT when two shares carry one label (a refusal could not say which it is about)
 */
export function shareInputsOf(shares: GivenShares): ShareInput[] {
  const seen = new Set<string>();
  for (const sh of shares) {
    if (seen.has(sh.label)) throw new CertDeskError('INVALID_INPUT', `shares: two shares are named "${sh.label}"; give each its own label`, { field: 'shares' });
    seen.add(sh.label);
  }
  return shares.map((sh) => ({ data: new Uint8Array(Buffer.from(sh.text, 'utf8')), label: sh.label, passphrase: sh.passphrase }));
}

/** What the window is told of a split written: paths and names, never a share or a passphrase. */
export function sharesWritten(r: { splitId: string; k: number; n: number; holders: string[]; files: WrittenShare[] }): SharesWritten {
  return { splitId: r.splitId, k: r.k, n: r.n, holders: [...r.holders], files: r.files.map((f) => ({ holder: f.holder, index: f.index, share: f.share, sheet: f.sheet })) };
}

/**
 * Runs `fn` with shares given; its QUORUM_REQUIRED (fewer than K, in the CLI's words: "give 2 shares with --share
 * FILE") is said in the window's: "<subject> needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more
 * officer’s share", with the holders given in details.given. Every share was parsed before the engine counted
 * them (a damaged one is refused first), so their holders can be named.
 * @param subject what the shares open, e.g. 'CA "Root"', "the backup /media/ca.certdesk-backup"
 */
export async function inWindowWords<T>(subject: (details: Record<string, unknown>) => string, inputs: ShareInput[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isCertDeskError(e) || e.code !== 'QUORUM_REQUIRED' || !e.details) throw e;
    const { k, n } = e.details as { k: number; n: number };
    const holders = inputs.map((i) => parseShare(i.data, i.label).holder);
    const missing = k - holders.length;
    throw new CertDeskError(
      'QUORUM_REQUIRED',
      `${subject(e.details)} needs the shares of ${k} of its ${n} officers; ${holders.length} given (${holders.join(', ')}): add ${missing} more officer${missing === 1 ? '’s share' : 's’ shares'}`,
      { ...e.details, given: holders },
    );
  }
}
