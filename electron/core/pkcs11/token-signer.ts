// Signing with a CA key on a token: the logged-in session this Vault object holds for the key (session.ts), or
// one opened now with the PIN the vault's PIN provider gives; TOKEN_PIN_REQUIRED when neither is there.
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { ExternalPrivateKey } from '../pki/external-key.js';
import type { Vault } from '../vault/vault.js';
import { dropTokenSession, rememberTokenSession, tokenPinProviderOf, tokenSessionOf, type TokenKeySession } from './session.js';
import { TokenConnection } from './token.js';
import { findPrivateKey } from './token-keys.js';
import { tokenPrivateKey } from './token-key.js';
import type { TokenReference } from './token-ref.js';

/** TOKEN_PIN_REQUIRED for CA `ca` whose key is on token `token`. */
export function pinRequired(ca: string, token: string, how = 'log in to the token first (the PIN dialog, or $CERTDESK_PKCS11_PIN for the command line)'): CertDeskError {
  return new CertDeskError('TOKEN_PIN_REQUIRED', `CA "${ca}" signs with a key on token "${token}": ${how}`, { ca, token });
}

/**
 * Logs in to the token `ref` names with `pin` and finds the key (by its CKA_ID): a session for signing with it.
 * Throws PKCS11_MODULE_FAILED, TOKEN_NOT_PRESENT, TOKEN_PIN_LOCKED, TOKEN_PIN_INCORRECT, TOKEN_KEY_NOT_FOUND.
 */
export async function openKeySession(ref: TokenReference, pin: string, caName: string): Promise<TokenKeySession> {
  const conn = await TokenConnection.open({ module: ref.module, token: ref.token, serial: ref.serial }, pin, { ca: caName });
  try {
    const key = findPrivateKey(conn, { idHex: ref.id }, caName);
    return { token: ref.token, sign: (mechanism, data) => conn.sign(mechanism, key.handle, data), close: () => conn.close() };
  } catch (e) {
    conn.close();
    throw e;
  }
}

/**
 * The CryptoKey look-alike loadSigner hands to the certificate and CRL builders for CA `caName`'s token key
 * `keyId`. Logs in first (before anything is built) when this Vault object has no session for the key: with the
 * PIN `ref` carries (sealed under a quorum), else the PIN from the vault's PIN provider, else TOKEN_PIN_REQUIRED
 * { ca, token }. A signature made after the vault
 * locked fails with TOKEN_PIN_REQUIRED; a token that went away drops the session (TOKEN_NOT_PRESENT).
 */
export async function tokenSigningKey(vault: Vault, keyId: string, ref: TokenReference, caName: string, keyType: KeyType): Promise<ExternalPrivateKey> {
  if (!tokenSessionOf(vault, keyId)) {
    // A PIN the officers' shares sealed (quorum): the shares were given, nobody types it.
    let pin = ref.pin;
    if (pin === undefined) {
      const provider = tokenPinProviderOf(vault);
      if (!provider) throw pinRequired(caName, ref.token);
      pin = await provider({ ca: caName, token: ref.token });
    }
    rememberTokenSession(vault, keyId, await openKeySession(ref, pin, caName));
  }
  const l = await import('./library.js').then((m) => m.pkcs11Lib());
  return tokenPrivateKey(keyType, { rsaPkcs: l.CKM_RSA_PKCS, ecdsa: l.CKM_ECDSA }, (mechanism, input) => {
    const session = tokenSessionOf(vault, keyId);
    if (!session) throw pinRequired(caName, ref.token);
    try {
      return session.sign(mechanism, input);
    } catch (e) {
      if (e instanceof CertDeskError && e.code === 'TOKEN_NOT_PRESENT') dropTokenSession(vault, keyId);
      throw e;
    }
  });
}
