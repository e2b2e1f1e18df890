// A profile's preflight targets as the officer sees and edits them: every known target, whether it is on, what it checks.
import { PREFLIGHT_TARGETS, type PreflightTarget, type Profile } from '../../../shared/domain.js';
import { updateProfile } from '../issuance/profiles.js';
import { getProfile } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { checkTargets, profileTargets } from './targets.js';

/** One line per target: what its rules check (the README "Preflight" table, shortened). */
export const TARGET_CHECKS: Readonly<Record<PreflightTarget, string>> = {
  'apple-tls': 'Apple devices and Safari: at most 825 days (back-dating included), a DNS name or IP address in the SAN, serverAuth',
  'radius-eap-tls': 'Wi-Fi RADIUS servers (EAP-TLS): the CN equal to a SAN DNS name in the same case, no wildcard, serverAuth',
  'windows-nps': 'Windows NPS and ActiveSync clients: clientAuth, a UPN or DNS name; without a SID, a warning to map the certificate (KB5014754)',
  'openvpn-server': 'OpenVPN clients with remote-cert-tls server: a keyUsage (digitalSignature, keyEncipherment or keyAgreement), serverAuth',
  'openvpn-client': 'OpenVPN servers with remote-cert-tls client: a keyUsage (digitalSignature or keyAgreement), clientAuth',
  'ikev2-server': 'IKEv2 gateways (Windows, strongSwan, Apple): serverAuth; a DNS name (warning when only an IP address)',
  'ikev2-client': 'IKEv2 clients (Windows, strongSwan, Apple): clientAuth',
  smime: 'S/MIME (CA/B Forum rules as good practice): emailProtection, an e-mail address, at most 825 days, keyUsage by key type, an http:// CRL (warning)',
};

/** A profile's targets for the editor and `certdesk profile targets` (shared/api.ts ProfileTargets has the same shape). */
export interface ProfileTargetsView {
  profile: Profile['id'];
  /** Every known target in PREFLIGHT_TARGETS order: whether the profile checks it, and what it checks. */
  targets: { id: PreflightTarget; on: boolean; checks: string }[];
  /** True while the profile's definition has no list of its own and the built-in default applies (targets.ts DEFAULT_TARGETS). */
  isDefault: boolean;
}

/** The view of `profile`'s targets (its own list, else the default for its id). */
export function targetsView(profile: Profile): ProfileTargetsView {
  const on = new Set(profileTargets(profile));
  return { profile: profile.id, targets: PREFLIGHT_TARGETS.map((id) => ({ id, on: on.has(id), checks: TARGET_CHECKS[id] })), isDefault: profile.targets === undefined };
}

/** The targets of the profile `id`. Throws CertDeskError PROFILE_NOT_FOUND, VAULT_LOCKED, VAULT_TAMPERED (its MAC). */
export function getProfileTargets(vault: Vault, id: string): ProfileTargetsView {
  vault.requireUnlocked();
  return targetsView(getProfile(vault, id));
}

/**
 * Replaces the targets of the profile `id` with `targets` (known ids, no repeats, in any order; [] checks only
 * the RFC 5280 rules). Stored in the profile's MACed definition through vault.records and audited as
 * `profile.update` with the new list (issuance/profiles.ts updateProfile); nothing is written when the list is the
 * one stored. Throws CertDeskError INVALID_INPUT naming the bad entry ("targets[1]: "x" is not a target (use ...)"),
 * PROFILE_NOT_FOUND, VAULT_LOCKED.
 */
export function setProfileTargets(vault: Vault, id: string, targets: readonly string[]): ProfileTargetsView {
  return targetsView(updateProfile(vault, id, { targets: checkTargets([...targets]) }));
}
