// What a profile's Windows options add to a certificate at issuance: the SID (extension, and the SAN URI when
// the profile asks for it), the KDC's krbtgt principal, and the smart-card logon EKU. Used by issue, sign-csr
// and renew so that the three build the same certificate for the same inputs.
import type { ExtendedKeyUsageName, Profile, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { kdcPrincipal, realmFromDnsName } from '../windows/kerberos.js';
import { checkSid } from '../windows/sid.js';
import { sidUri } from '../windows/sid-extension.js';

/** The profiles whose certificates may carry a SID: they name an Active Directory user or computer account. */
export const SID_PROFILES: readonly string[] = ['user', 'device'];

/** The profile's EKUs, with smart-card logon added when the profile's `smartCardLogon` option is on. */
export function profileEkus(profile: Profile): ExtendedKeyUsageName[] {
  return profile.smartCardLogon && !profile.extendedKeyUsage.includes('smartCardLogon') ? [...profile.extendedKeyUsage, 'smartCardLogon'] : profile.extendedKeyUsage;
}

/**
 * The SID for a certificate of `profile`, canonical (windows/sid.ts checkSid), or null when none is given.
 * Throws CertDeskError INVALID_INPUT for a malformed SID, PROFILE_VIOLATION when the profile is not a user or
 * device profile (a SID names an account; servers, mail and KDC certificates do not map to one).
 */
export function sidFor(profile: Profile, sid: string | null | undefined): string | null {
  if (sid === undefined || sid === null || sid.trim() === '') return null;
  const canonical = checkSid(sid);
  if (!SID_PROFILES.includes(profile.id)) {
    throw new CertDeskError('PROFILE_VIOLATION', `sid: the ${profile.id} profile does not carry a Windows SID (the ${SID_PROFILES.join(' and ')} profiles do)`, { field: 'sid', profile: profile.id });
  }
  return canonical;
}

/**
 * The SANs a certificate gets beyond those the profile checked: the SID URI ([MS-PKCA] 3.1.5.2.1.6) when there is
 * a SID and the profile's `sidUri` option is on; for a KDC profile (one with the kdcAuth EKU) without a krb5 SAN,
 * krbtgt/REALM@REALM with the realm taken from its longest DNS name, the DC's host name (windows/kerberos.ts realmFromDnsName).
 * Throws CertDeskError INVALID_INPUT when a KDC certificate's realm cannot be derived.
 */
export function windowsSans(profile: Profile, sans: San[], sid: string | null): San[] {
  const out = [...sans];
  if (sid && profile.sidUri) {
    const uri = sidUri(sid);
    if (!out.some((s) => s.type === 'uri' && s.value === uri)) out.push({ type: 'uri', value: uri });
  }
  if (profile.extendedKeyUsage.includes('kdcAuth') && !out.some((s) => s.type === 'krb5')) {
    // The DC's own host name is the DNS name with the most labels (a certificate may list the domain name
    // first: corp.example.com, dc1.corp.example.com); its realm is that name without the host label.
    const dns = out.filter((s) => s.type === 'dns').sort((a, b) => b.value.split('.').length - a.value.split('.').length)[0];
    if (!dns) throw new CertDeskError('PROFILE_VIOLATION', `the ${profile.id} profile needs the domain controller's DNS name (dns) to name its realm`, { field: 'dns', profile: profile.id });
    out.push({ type: 'krb5', value: kdcPrincipal(realmFromDnsName(dns.value)) });
  }
  return out;
}
