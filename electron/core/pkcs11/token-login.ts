// Logging in to a CA's token for this vault session: the app's PIN dialog calls it (channel ca.tokenLogin). It
// logs in at once, so a wrong PIN fails here and not halfway through a signature. The PIN is kept nowhere.
import { CertDeskError } from '../../../shared/errors.js';
import { checkedCertRow, getCaRow, resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { rememberTokenSession } from './session.js';
import { openKeySession } from './token-signer.js';
import { isTokenReference, parseTokenReference } from './token-ref.js';

/**
 * Logs in to the token holding CA `caRef`'s key with `pin` and keeps the session in this Vault object until it
 * locks or closes. Returns the CA's name and the token's label.
 * Throws CA_NOT_FOUND, CA_KEY_MISSING, INVALID_INPUT (the CA's key is in the vault, not on a token),
 * PKCS11_MODULE_FAILED, TOKEN_NOT_PRESENT, TOKEN_PIN_LOCKED, TOKEN_PIN_INCORRECT, TOKEN_KEY_NOT_FOUND.
 */
export async function tokenLogin(vault: Vault, caRef: string, pin: string): Promise<{ ca: string; token: string }> {
  vault.requireUnlocked();
  const ca = resolveCa(vault, caRef);
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  if (!cert.key_id) throw new CertDeskError('CA_KEY_MISSING', `CA "${ca.name}" has no private key in this vault`, { ca: ca.name });
  const sealed = vault.loadKey(cert.key_id);
  if (!isTokenReference(sealed)) {
    sealed.fill(0);
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" keeps its key in the vault, not on a token: it needs no PIN`, { ca: ca.name });
  }
  const ref = parseTokenReference(sealed, cert.key_id);
  rememberTokenSession(vault, cert.key_id, await openKeySession(ref, pin, ca.name));
  return { ca: ca.name, token: ref.token };
}
