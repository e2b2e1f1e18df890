// Which kind of Active Directory account a certificate maps to: a user account (Set-ADUser) or a computer
// account (Set-ADComputer, sAMAccountName ending in `$`).
import type { RecipientKind } from '../../../shared/domain.js';

/** Profiles whose certificates name a machine: they map to a computer account (Set-ADComputer). */
const DEVICE_PROFILES = new Set(['device', 'server', 'kdc']);

/** 'device' for the device, server and kdc profiles (a computer account), else 'person' (a user account); null: 'person'. */
export function recipientKindOfProfile(profileId: string | null): RecipientKind {
  return profileId !== null && DEVICE_PROFILES.has(profileId) ? 'device' : 'person';
}

/**
 * The account kind a certificate maps to, from its recipient's kind and its profile: 'device' (a computer account)
 * when the recipient is a device (the wizard's per-device mode: a `vpn` or `user` certificate on a laptop is the
 * laptop's, so Set-ADComputer) or the profile names a machine (device, server, kdc: a server or domain controller
 * is a computer whatever the wizard's mode was); else 'person' (a user account). `recipientKind` null or absent
 * (no recipient): the profile decides. [MS-PKCA] 3.1.5.2.1 (strong mapping maps to the account the
 * certificate is for).
 */
export function accountKindOf(profileId: string | null, recipientKind: RecipientKind | null | undefined): RecipientKind {
  return recipientKind === 'device' ? 'device' : recipientKindOfProfile(profileId);
}
