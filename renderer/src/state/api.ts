// The renderer's one way to the main process: window.certdesk (the preload's functions, or the test
// harness's bridge), unwrapped. A failed call throws ApiError with the code and message from main;
// VAULT_LOCKED anywhere tells the session store, which returns the window to the unlock screen.
import type { CertDeskApi, ChannelName, RequestOf, ResponseOf, Result } from '../../../shared/api.js';
import type { ErrorCode, ErrorResult } from '../../../shared/errors.js';
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

export async function call<K extends ChannelName>(channel: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const b = bridge ?? (globalThis as { certdesk?: CertDeskApi }).certdesk;
  if (!b) throw new ApiError({ ok: false, code: 'INTERNAL', message: 'CertDesk is not connected to its main process (no window.certdesk)' });
  const result = (await b[channel](request)) as Result<ResponseOf<K>>;
  if (!result.ok) {
    if (result.code === 'VAULT_LOCKED') for (const fn of lockListeners) fn();
    throw new ApiError(result);
  }
  return result.data;
}

/** The message to show for anything a call threw: main's refusals in the window's words (plain-errors.ts). */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return plainMessage(e.message, e.details);
  return e instanceof Error ? e.message : String(e);
}
