// A CA key on a PKCS#11 token in the CA wizards (issue 15): what the officer picked (module, token, key label,
// PIN), what is still missing in words, and the `pkcs11` field ca.create and ca.import take (shared/api.ts
// tokenKey). Pure, so it is tested without a browser. The PIN is only ever sent, never shown back.
import type { TokenListing } from '../../../shared/api.js';

/** Where a new or imported CA's key lives. */
export type KeyPlace = 'vault' | 'token';
/** A new key generated on the token (ca.create), or one already there (ca.import). */
export type TokenKeyMode = 'new' | 'existing';
export type TokenEntry = TokenListing['tokens'][number];

export interface TokenChoice {
  /** The PKCS#11 module's path (a token.modules entry, or the file dialog.openModule answered). */
  module: string;
  /** The token's label. */
  token: string;
  /** CKA_LABEL: of the key to make (empty: the CA's name), or of the key to use. */
  keyLabel: string;
  pin: string;
}

export const NO_TOKEN_CHOICE: TokenChoice = { module: '', token: '', keyLabel: '', pin: '' };

/** The labels of the keys a token shows without its PIN (public and private key objects), each once, sorted. */
export function keyLabelsOf(token: TokenEntry | undefined): string[] {
  const labels = (token?.objects ?? []).filter((o) => o.kind !== 'certificate' && o.label !== '').map((o) => o.label);
  return [...new Set(labels)].sort((a, b) => a.localeCompare(b));
}

/** A token as the token list names it: its label, its model and serial, and whether its PIN is locked. */
export function tokenOptionLabel(t: TokenEntry): string {
  return `${t.label} (${[t.model, t.serial && `serial ${t.serial}`].filter(Boolean).join(', ')})${t.pinLocked ? ', PIN locked' : ''}`;
}

/** What is still missing before the token key can be sent, in words (empty: ready). */
export function missingForToken(c: TokenChoice, mode: TokenKeyMode): string[] {
  const out: string[] = [];
  if (c.module === '') out.push('Choose the PKCS#11 module.');
  else if (c.token === '') out.push('Choose the token.');
  if (mode === 'existing' && c.keyLabel.trim() === '') out.push('Choose the key on the token.');
  if (c.pin === '') out.push('Type the token’s PIN.');
  return out;
}

/** The `pkcs11` field of ca.create (a new key: an empty label means the CA's name) and ca.import. */
export function tokenKeyRequest(c: TokenChoice): { module: string; token: string; keyLabel?: string; pin: string } {
  const keyLabel = c.keyLabel.trim();
  return { module: c.module, token: c.token, ...(keyLabel ? { keyLabel } : {}), pin: c.pin };
}
