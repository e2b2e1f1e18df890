// Where a CA's key lives when it is on a PKCS#11 token, for the CA's details (ca.get, `certdesk ca show`): read
// from the vault's sealed token reference without loading the module or touching the token. Never a PIN.
import type { CaTokenKey } from '../../../shared/domain.js';
import { sealedKeyBytes } from '../quorum/ca-key.js';
import type { Vault } from '../vault/vault.js';
import { isTokenReference, parseTokenReference } from './token-ref.js';

/**
 * The token, module and key label of key `keyId` when the vault holds a token reference for it, else null (a
 * PKCS#8 or a quorum envelope: its bytes are zeroed here). Throws VAULT_TAMPERED (key row missing or changed),
 * VAULT_CORRUPT (a sealed reference that does not parse).
 */
export function caTokenKeyOf(vault: Vault, keyId: string): CaTokenKey | null {
  const sealed = sealedKeyBytes(vault, keyId);
  if (!isTokenReference(sealed)) {
    sealed.fill(0);
    return null;
  }
  const ref = parseTokenReference(sealed, keyId);
  return { module: ref.module, token: ref.token, serial: ref.serial, keyLabel: ref.label };
}
