// A new K-of-N split as the officers fill it in the window (issue 15): "Put under two-officer control…" and its
// re-issue in the CA panel, and "Also allow restore with K of N officers’ shares" in Settings → Backups. Each
// holder types their own passphrase twice; the strength rule is the vault's (the same estimator main applies to
// each holder's passphrase: electron/core/quorum/split.ts checkSplitRequest). What is missing is said in words
// for the disabled button; the request is what ca.quorumSet, ca.quorumReissue and vault.backup's `shares` take.
import type { RequestOf } from '../../../shared/api.js';
import type { PassphraseEstimator } from '../../../shared/passphrase-strength.js';
import { passphraseStrength } from './passphrase.js';

/** At most 16 shares per split (electron/core/quorum/split.ts MAX_SHARES). */
export const MAX_HOLDERS = 16;

export interface HolderRow {
  /** Stable key for the list. */
  id: number;
  name: string;
  passphrase: string;
  /** The passphrase typed again. */
  again: string;
}

export interface SplitDraft {
  holders: HolderRow[];
  /** K as typed. */
  threshold: string;
  /** The folder dialog.chooseFolder answered (or typed). */
  folder: string;
}

export type SplitRequest = NonNullable<RequestOf<'vault.backup'>['shares']>;

let nextId = 1;
const holderRow = (): HolderRow => ({ id: nextId++, name: '', passphrase: '', again: '' });

/** An empty draft: three holders, K = 2 (the usual two-of-three). */
export function newSplitDraft(): SplitDraft {
  return { holders: [holderRow(), holderRow(), holderRow()], threshold: '2', folder: '' };
}

/** One more holder row (up to MAX_HOLDERS). */
export function addHolder(d: SplitDraft): SplitDraft {
  return d.holders.length >= MAX_HOLDERS ? d : { ...d, holders: [...d.holders, holderRow()] };
}

/** Without holder `id` (never below two). */
export function removeHolder(d: SplitDraft, id: number): SplitDraft {
  return d.holders.length <= 2 ? d : { ...d, holders: d.holders.filter((h) => h.id !== id) };
}

/** Holder `id` changed. */
export function setHolder(d: SplitDraft, id: number, change: Partial<Omit<HolderRow, 'id'>>): SplitDraft {
  return { ...d, holders: d.holders.map((h) => (h.id === id ? { ...h, ...change } : h)) };
}

/** The draft with every passphrase cleared (after each attempt, whatever main answered). */
export function clearPassphrases(d: SplitDraft): SplitDraft {
  return { ...d, holders: d.holders.map((h) => ({ ...h, passphrase: '', again: '' })) };
}

/** How a holder is named in messages: their name, or "Holder 2" before it is typed. */
export const holderLabel = (h: HolderRow, i: number) => h.name.trim() || `Holder ${i + 1}`;

/**
 * Why holder `i`'s passphrase would be refused (the vault's rule: at least `minLength` characters and zxcvbn's
 * score; another holder's passphrase), or null. `estimate` null: the estimator is still loading.
 */
export function passphraseProblem(d: SplitDraft, i: number, minLength: number, estimate: PassphraseEstimator | null): string | null {
  const h = d.holders[i]!;
  if (h.passphrase === '') return null;
  const verdict = estimate ? passphraseStrength(h.passphrase, minLength, estimate) : null;
  if (verdict?.problem) return verdict.problem;
  const j = d.holders.findIndex((o) => o.passphrase === h.passphrase);
  if (j !== i) return `The same as ${holderLabel(d.holders[j]!, j)}’s: each officer chooses their own.`;
  return null;
}

/** What is still missing or wrong before the split can be sent, in words (empty: it can be sent). */
export function splitMissing(d: SplitDraft, minLength: number, estimate: PassphraseEstimator | null): string[] {
  const out: string[] = [];
  const n = d.holders.length;
  const seen = new Set<string>();
  d.holders.forEach((h, i) => {
    const label = holderLabel(h, i);
    const name = h.name.trim();
    if (!name) out.push(`Holder ${i + 1} needs a name.`);
    else if ([...name].length > 64) out.push(`${label}: a name is at most 64 characters.`);
    else if (seen.has(name.normalize('NFC').toLowerCase())) out.push(`${label} is named twice: each share goes to a different officer.`);
    seen.add(name.normalize('NFC').toLowerCase());
    if (h.passphrase === '') out.push(`${label} needs to type their passphrase.`);
    else {
      const problem = passphraseProblem(d, i, minLength, estimate);
      if (problem) out.push(`${label}’s passphrase: ${problem}`);
      else if (h.again !== h.passphrase) out.push(`${label}’s two passphrase entries differ.`);
    }
  });
  if (!estimate) out.push('Checking the passphrases’ strength…');
  const k = Number(d.threshold);
  if (!/^\d+$/.test(d.threshold.trim()) || k < 2 || k > n) out.push(`Shares needed: a whole number from 2 to ${n}.`);
  if (!d.folder) out.push('Choose the folder for the share files.');
  return out;
}

/** The request main takes (names trimmed; K as a number). */
export function splitRequest(d: SplitDraft): SplitRequest {
  return { holders: d.holders.map((h) => ({ name: h.name.trim(), passphrase: h.passphrase })), threshold: Number(d.threshold), folder: d.folder };
}

