// Changing a profile's issuance rules (the settings screen): validity, renewal, key retention, PFX
// defaults, the password rule and the preflight targets. Every change is checked, stored and audited in one transaction.
import type { Profile } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkRule } from '../export/passwords.js';
import { checkTargets } from '../preflight/targets.js';
import type { Vault } from '../vault/vault.js';
import { getProfile } from './records.js';
import { SID_PROFILES } from './windows-rules.js';

export type ProfileChanges = Partial<Pick<Profile, 'validityDays' | 'renewBeforeDays' | 'autoRenew' | 'defaultKey' | 'pfxEncryption' | 'keepKey' | 'passwordRule' | 'targets' | 'sidUri' | 'smartCardLogon'>>;

export function updateProfile(vault: Vault, id: string, changes: ProfileChanges): Profile {
  vault.requireUnlocked();
  const current = getProfile(vault, id);
  const next: Profile = { ...current, ...changes };
  if (!Number.isInteger(next.validityDays) || next.validityDays < 1 || next.validityDays > 36_500) {
    throw new CertDeskError('INVALID_INPUT', `validityDays: 1 to 36500 days, got ${next.validityDays}`, { field: 'validityDays' });
  }
  if (!Number.isInteger(next.renewBeforeDays) || next.renewBeforeDays < 0 || next.renewBeforeDays >= next.validityDays) {
    throw new CertDeskError('INVALID_INPUT', `renewBeforeDays: 0 to ${next.validityDays - 1} (less than the validity), got ${next.renewBeforeDays}`, { field: 'renewBeforeDays' });
  }
  if (next.sidUri && !SID_PROFILES.includes(next.id)) {
    throw new CertDeskError('PROFILE_VIOLATION', `sidUri: the ${next.id} profile does not carry a SID (the ${SID_PROFILES.join(' and ')} profiles do)`, { field: 'sidUri' });
  }
  // checkRule names the field that is wrong (length, groups, ...).
  next.passwordRule = checkRule(next.passwordRule);
  // Absent (an old definition, no change asked): stays absent, so the built-in default keeps applying.
  if (changes.targets !== undefined) next.targets = checkTargets(changes.targets);
  const changed = Object.keys(changes).filter((k) => JSON.stringify(current[k as keyof Profile]) !== JSON.stringify(next[k as keyof Profile]));
  if (changed.length === 0) return current;
  vault.transaction(() => {
    vault.records.update('profiles', { id }, { definition: JSON.stringify(next), updated_at: vault.now().toISOString() });
    vault.audit('profile.update', `profile:${id}`, Object.fromEntries(changed.map((k) => [k, next[k as keyof Profile]])));
  });
  return next;
}

/** Profiles whose certificates name a person: the issuing CA's organisation vouches for the holder. */
const PERSON_PROFILES = new Set(['user', 'mail']);

/**
 * Whether the profile, not a signed request, decides the subject of a certificate signed from a CSR. For the
 * person profiles (user, mail) it does: the subject is built as `issue` builds it (issuance/issue.ts
 * endEntitySubject: the issuing CA's C and O, the request's CN as holder), so a request cannot claim an
 * organisation or unit; every other attribute of the request's subject is left out and reported. Other profiles
 * keep the request's subject once it has passed the name rules (names.ts readSubject).
 */
export function profileDecidesSubject(profile: Profile): boolean {
  return PERSON_PROFILES.has(profile.id);
}
