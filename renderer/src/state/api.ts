// The renderer's one way to the main process: window.certdesk (the preload's functions, or the test
// harness's bridge), unwrapped. A failed call throws ApiError with the code and message from main;
// VAULT_LOCKED anywhere tells the session store, which returns the window to the unlock screen.
import type { CertDeskApi, ChannelName, RequestOf, ResponseOf, Result } from '../../../shared/api.js';
import type { ErrorCode, ErrorResult } from '../../../shared/errors.js';
import { neededText, unlockNeedOf, UNLOCK_CHANNELS, type CaUnlockNeed } from './ca-unlock-needs.js';
import { plainMessage } from './plain-errors.js';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(r: ErrorResult) {
    super(r.message);
    this.code = r.code;
    this.details = r.details;
  }
  /** The request field the error is about, when main named one (e.g. "days", "sans.1"). */
  get field(): string | undefined {
    const f = this.details?.field;
    return typeof f === 'string' ? f : undefined;
  }
}

let bridge: CertDeskApi | null = null;
const lockListeners = new Set<() => void>();

/** Tests put an in-memory API here; the app uses window.certdesk. */
export function setBridge(b: CertDeskApi | null): void {
  bridge = b;
}

export function onVaultLocked(fn: () => void): () => void {
  lockListeners.add(fn);
  return () => lockListeners.delete(fn);
}

/**
 * Asked when a call is refused because a CA needs something from the officers before it signs (its shares, a PIN:
 * state/ca-unlock-needs.ts): resolves true once they gave it (the call is then made again, as it was), false when
 * they did not. Set by the unlock dialog while it is mounted (components/ca-unlock-dialog.tsx); without one, such
 * a refusal is thrown as any other.
 */
export type CaUnlockAsker = (need: CaUnlockNeed) => Promise<boolean>;
let unlockAsker: CaUnlockAsker | null = null;
let afterUnlockedCall: (() => void) | null = null;

/** `afterDone`: told when a call made again after an unlock succeeded (views showing a CA's uses reload). */
export function setCaUnlockAsker(fn: CaUnlockAsker | null, afterDone?: () => void): void {
  unlockAsker = fn;
  afterUnlockedCall = fn ? (afterDone ?? null) : null;
}

export async function call<K extends ChannelName>(channel: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const b = bridge ?? (globalThis as { certdesk?: CertDeskApi }).certdesk;
  if (!b) throw new ApiError({ ok: false, code: 'INTERNAL', message: 'CertDesk is not connected to its main process (no window.certdesk)' });
  for (let unlocked = false; ; unlocked = true) {
    const result = (await b[channel](request)) as Result<ResponseOf<K>>;
    if (result.ok) {
      if (unlocked) afterUnlockedCall?.();
      return result.data;
    }
    if (result.code === 'VAULT_LOCKED') for (const fn of lockListeners) fn();
    // The one place a CA that needs its officers is caught, for every action: ask, and on success do it again.
    // Main refuses such an action before it signs or writes anything, so doing it again is doing it once.
    const need = UNLOCK_CHANNELS.has(channel) ? null : unlockNeedOf(result);
    if (need && unlockAsker && (await unlockAsker(need))) continue;
    throw new ApiError(result);
  }
}

/** The message to show for anything a call threw: main's refusals in the window's words (plain-errors.ts). */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) {
    // A CA the officers did not unlock: in the window's words, not the CLI's ("give 2 shares with --share FILE",
    // "set $CERTDESK_PKCS11_PIN").
    const need = (e.code === 'QUORUM_REQUIRED' && e.details?.given === undefined) || e.code === 'TOKEN_PIN_REQUIRED' ? unlockNeedOf(e) : null;
    return need ? neededText(need) : plainMessage(e.message, e.details);
  }
  return e instanceof Error ? e.message : String(e);
}
