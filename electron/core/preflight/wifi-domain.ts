// The Wi-Fi domain a certificate's install sheet names for Android (radius-eap-tls target on).
import type { San } from '../../../shared/domain.js';
import { getProfile, type CertRow } from '../issuance/records.js';
import { commonNameOf } from '../pki/names.js';
import { x509 } from '../pki/provider.js';
import type { Vault } from '../vault/vault.js';
import { radiusDomain } from './radius.js';
import { profileTargets } from './targets.js';

/**
 * For a certificate whose profile has the radius-eap-tls target: the domain Android's Wi-Fi settings need
 * under "Domain" (radius.ts radiusDomain: the CN when it is a dNSName, else the first non-wildcard dNSName).
 * Null for other profiles, certificates without a profile, or without a DNS name. Throws VAULT_TAMPERED as getProfile.
 */
export function wifiDomainOf(vault: Vault, row: CertRow): string | null {
  if (!row.profile_id || !profileTargets(getProfile(vault, row.profile_id)).includes('radius-eap-tls')) return null;
  const dns = (JSON.parse(row.sans) as San[]).filter((s) => s.type === 'dns').map((s) => s.value);
  return radiusDomain(commonNameOf(new x509.X509Certificate(row.der).subjectName), dns);
}
