// The window's forms for a new K-of-N split (ca.quorumSet, ca.quorumReissue, vault.backup's shares) and for K
// shares given (ca.presentShares, ca.quorumReissue), turned into what the quorum engine takes: the same requests
// the CLI builds from --holders, --threshold, --out and --share (electron/cli/quorum-commands.ts).
import type { ParsedRequestOf, SharesWritten } from '../../shared/api.js';
import { CertDeskError } from '../../shared/errors.js';
import type { ShareInput } from '../core/quorum/combine.js';
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
