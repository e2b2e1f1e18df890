// The logged-in token sessions a Vault object holds (one per CA key on a token), and the PIN provider a host
// gives it (the CLI: $CERTDESK_PKCS11_PIN or a hidden prompt). Like quorum/session.ts, nothing here is written
// anywhere: a WeakMap keyed by the Vault object. Vault.lock and close call closeTokenSessions, which logs out,
// closes the sessions and lets the module finalize when none is left. Kept free of native imports (vault.ts
// imports this module; the PKCS#11 library is loaded only when a token is used).
import type { Vault } from '../vault/vault.js';

/** A logged-in session with one key on a token (pkcs11/token.ts makes it). */
export interface TokenKeySession {
  /** The token's label, for messages. */
  readonly token: string;
  /** Signs `data` with the key through `mechanism` (C_SignInit + C_Sign). Throws CertDeskError (token-errors.ts). */
  sign(mechanism: number, data: Buffer): Buffer;
  /** C_Logout (the token's last session of ours), C_CloseSession, and C_Finalize when no session of the module is left. Never throws. */
  close(): void;
}

/** What a host answers when signing needs a token PIN: the PIN (never stored), or a rejection (TOKEN_PIN_REQUIRED). */
export type TokenPinProvider = (request: { ca: string; token: string }) => Promise<string>;

const sessions = new WeakMap<Vault, Map<string, TokenKeySession>>();
const pinProviders = new WeakMap<Vault, TokenPinProvider>();

/** Keeps the session for key `keyId` in this Vault object (closing an earlier one). */
export function rememberTokenSession(vault: Vault, keyId: string, session: TokenKeySession): void {
  let map = sessions.get(vault);
  if (!map) sessions.set(vault, (map = new Map()));
  const before = map.get(keyId);
  map.set(keyId, session);
  if (before && before !== session) before.close();
}

/** The session for a key, if one was logged in on this Vault object. */
export function tokenSessionOf(vault: Vault, keyId: string): TokenKeySession | undefined {
  return sessions.get(vault)?.get(keyId);
}

/** Closes and drops the session of one key (a token that went away). */
export function dropTokenSession(vault: Vault, keyId: string): void {
  const map = sessions.get(vault);
  const s = map?.get(keyId);
  map?.delete(keyId);
  s?.close();
}

/** Logs out and closes every token session of this Vault object (Vault.lock and close call it). */
export function closeTokenSessions(vault: Vault): void {
  const map = sessions.get(vault);
  if (!map) return;
  sessions.delete(vault);
  for (const s of map.values()) s.close();
  map.clear();
}

/** Sets (or with null removes) the PIN provider signing asks when a token CA has no session. */
export function setTokenPinProvider(vault: Vault, provider: TokenPinProvider | null): void {
  if (provider) pinProviders.set(vault, provider);
  else pinProviders.delete(vault);
}

export function tokenPinProviderOf(vault: Vault): TokenPinProvider | undefined {
  return pinProviders.get(vault);
}
