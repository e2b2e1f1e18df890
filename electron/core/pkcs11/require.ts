// A check before a run that signs with several CAs (crl publish): every CA whose key is on a PKCS#11 token is
// logged in first (through the vault's PIN provider), so a missing PIN, a wrong one, a locked or absent token
// refuses the run before it signs anything rather than part-way through. Like quorum/require.ts.
import type { CaRecord } from '../../../shared/domain.js';
import { caKeyOf, sealedKeyBytes } from '../quorum/ca-key.js';
import type { Vault } from '../vault/vault.js';
import { isTokenReference, parseTokenReference } from './token-ref.js';

/**
 * Logs in to the token of each of `cas` whose key is on one and has no session in this Vault object. Throws what
 * tokenSigningKey throws (TOKEN_PIN_REQUIRED, TOKEN_PIN_INCORRECT, TOKEN_PIN_LOCKED, TOKEN_NOT_PRESENT, ...).
 */
export async function requireTokenSessions(vault: Vault, cas: CaRecord[]): Promise<void> {
  for (const ca of cas) {
    const key = caKeyOf(vault, ca);
    if (key.envelope) continue; // under K-of-N control: quorum/require.ts
    const sealed = sealedKeyBytes(vault, key.keyId);
    if (!isTokenReference(sealed)) {
      sealed.fill(0);
      continue;
    }
    const ref = parseTokenReference(sealed, key.keyId);
    const { tokenSigningKey } = await import('./token-signer.js');
    await tokenSigningKey(vault, key.keyId, ref, ca.name, ca.keyType);
  }
}
