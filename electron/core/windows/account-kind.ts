// Which kind of Active Directory account a certificate of a profile maps to.
import type { RecipientKind } from '../../../shared/domain.js';

/** Profiles whose certificates name a machine: they map to a computer account (Set-ADComputer). */
const DEVICE_PROFILES = new Set(['device', 'server', 'kdc']);

/** 'device' for the device, server and kdc profiles (a computer account), else 'person' (a user account); null: 'person'. */
export function recipientKindOfProfile(profileId: string | null): RecipientKind {
  return profileId !== null && DEVICE_PROFILES.has(profileId) ? 'device' : 'person';
}
