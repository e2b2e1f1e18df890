// "Unlock a CA to sign" (issue 15): which refusals from main mean "this CA's key needs something from the officers
// before it signs", and in which form. One switch on the error code, so a second kind of CA unlock is one more case:
//   QUORUM_REQUIRED (details { ca, k, n })      → K officers' shares, answered by ca.presentShares (done)
//   TOKEN_PIN_REQUIRED (details { ca, token })  → the token's PIN, answered by ca.tokenLogin { ca, pin } (done)
// Pure: no calls, so api.ts can use it for its messages without an import cycle.
import type { ErrorCode } from '../../../shared/errors.js';

/** What the officers must give before the CA named `ca` signs. */
export type CaUnlockNeed = { kind: 'quorum'; ca: string; k: number; n: number } | { kind: 'token'; ca: string; token: string };

/** Channels that answer an unlock: their own refusals are shown in the unlock dialog, never asked about again. */
export const UNLOCK_CHANNELS: ReadonlySet<string> = new Set(['ca.presentShares', 'ca.tokenLogin']);

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The need a refusal stands for, or null for every other refusal (shown as it is). */
export function unlockNeedOf(failure: { code: ErrorCode; details?: Readonly<Record<string, unknown>> | undefined }): CaUnlockNeed | null {
  const d = failure.details ?? {};
  switch (failure.code) {
    case 'QUORUM_REQUIRED':
      return typeof d.ca === 'string' && isCount(d.k) && isCount(d.n) ? { kind: 'quorum', ca: d.ca, k: d.k, n: d.n } : null;
    case 'TOKEN_PIN_REQUIRED':
      return typeof d.ca === 'string' && typeof d.token === 'string' ? { kind: 'token', ca: d.ca, token: d.token } : null;
    default:
      return null;
  }
}

/** Two refusals with the same key are answered by one unlock (two calls waiting on the same CA). */
export function needKey(need: CaUnlockNeed): string {
  return `${need.kind}:${need.ca}`;
}

/** The unlock dialog's title: CA “Root” needs 2 of 3 officers; Log in to token “Root Token” for CA “Root”. */
export function needTitle(need: CaUnlockNeed): string {
  return need.kind === 'quorum' ? `CA “${need.ca}” needs ${need.k} of ${need.n} officers` : `Log in to token “${need.token}” for CA “${need.ca}”`;
}

/** What the window says when the officers did not unlock the CA (the dialog was cancelled): nothing was signed. */
export function neededText(need: CaUnlockNeed): string {
  return need.kind === 'quorum'
    ? `Not signed: CA “${need.ca}” signs only with the shares of ${need.k} of its ${need.n} officers, and they were not given.`
    : `Not signed: CA “${need.ca}” signs with its key on token “${need.token}”, and the token’s PIN was not given.`;
}
