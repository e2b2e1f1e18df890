// Names prefilled from the recipient, so the officer rarely types an address twice: the e-mail and the
// UPN where the profile allows them, a DNS name when a device's name looks like a host name, and otherwise one empty
// row of the type the profile requires.
import type { Profile, San, SanType } from '../../../shared/domain.js';

export interface RecipientDraft {
  name: string;
  email?: string;
  phone?: string;
  description?: string;
  /** The holder's Windows SID and Active Directory account name, kept with the recipient. */
  sid?: string;
  account?: string;
  /** The user principal name (Recipient step), which the certificate carries as its UPN name where the profile allows one. */
  upn?: string;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function prefillSans(profile: Pick<Profile, 'sanAllowed' | 'sanRequireOneOf'>, r: RecipientDraft): San[] {
  const out: San[] = [];
  const allowed = (t: SanType) => profile.sanAllowed.includes(t);
  const email = r.email?.trim();
  if (email && allowed('email')) out.push({ type: 'email', value: email });
  const upn = r.upn?.trim();
  if (upn && allowed('upn')) out.push({ type: 'upn', value: upn });
  const name = r.name.trim();
  if (allowed('dns') && HOSTNAME.test(name) && !profile.sanAllowed.includes('email')) out.push({ type: 'dns', value: name.toLowerCase() });
  const first = profile.sanRequireOneOf[0];
  if (first && !out.some((s) => profile.sanRequireOneOf.includes(s.type))) out.push({ type: first, value: '' });
  return out;
}

/** Labels for SAN types as an administrator knows them. */
export const SAN_LABELS: Record<SanType, string> = {
  email: 'E-mail (RFC 822)',
  upn: 'User principal name (UPN)',
  dns: 'DNS name',
  ip: 'IP address',
  uri: 'URI',
  device: 'Device ID (serial, IMEI, MAC, UUID)',
  krb5: 'Kerberos principal (name/instance@REALM)',
};
