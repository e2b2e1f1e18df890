// Two-officer control of a CA whose key is on a PKCS#11 token (issue 15): the key cannot leave the token, so what
// the K-of-N split seals is the token's user PIN, inside the token reference (pkcs11/token-ref.ts) in the quorum
// envelope. Signing then needs K officers' shares and no one types the PIN. The PIN is proven before it is sealed.
import { CertDeskError } from '../../../shared/errors.js';
import { tokenPinProviderOf } from '../pkcs11/session.js';
import { encodeTokenReference, type TokenReference } from '../pkcs11/token-ref.js';
import type { Vault } from '../vault/vault.js';

/**
 * The bytes to seal in the quorum envelope for CA `caName`'s token key `ref`: its token reference with the user
 * PIN in it. The PIN is `pin` when given (the app's quorum dialog), else the vault's PIN provider's (the CLI:
 * $CERTDESK_PKCS11_PIN or a hidden prompt). It is proven first by logging in and finding the key, so a split
 * never seals a PIN that does not sign; that session is closed again (the shares, not it, open the key).
 * The caller zeroes the result.
 * @throws TOKEN_PIN_REQUIRED (no PIN and no provider), TOKEN_PIN_INCORRECT, TOKEN_PIN_LOCKED, TOKEN_NOT_PRESENT,
 *   TOKEN_KEY_NOT_FOUND, PKCS11_MODULE_FAILED; INVALID_INPUT for an empty PIN
 */
export async function referenceWithPin(vault: Vault, caName: string, ref: TokenReference, pin?: string): Promise<Uint8Array> {
  const { openKeySession, pinRequired } = await import('../pkcs11/token-signer.js');
  let given = pin;
  if (given === undefined) {
    const provider = tokenPinProviderOf(vault);
    if (!provider) throw pinRequired(caName, ref.token, 'give the token PIN to seal it under the officers\' shares');
    given = await provider({ ca: caName, token: ref.token });
  }
  if (given === '') throw new CertDeskError('INVALID_INPUT', `the PIN of token "${ref.token}" is empty`, { field: 'tokenPin' });
  const session = await openKeySession(ref, given, caName);
  session.close();
  return encodeTokenReference({ ...ref, pin: given });
}

