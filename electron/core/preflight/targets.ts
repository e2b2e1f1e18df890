// Which systems a profile's certificates are checked against: the profile's `targets`, or its built-in default.
import { PREFLIGHT_TARGETS, type PreflightTarget, type Profile } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { appleTls } from './apple-tls.js';
import type { TargetRule } from './finding.js';
import { ikev2Client, ikev2Server } from './ikev2.js';
import { openvpnClient, openvpnServer } from './openvpn.js';
import { radiusEapTls } from './radius.js';
import { smime } from './smime.js';
import { windowsNps } from './windows-nps.js';

/** Each target's rules (one file per target in this folder), by target name. */
export const TARGET_RULES: Record<PreflightTarget, TargetRule> = {
  'apple-tls': appleTls,
  'radius-eap-tls': radiusEapTls,
  'windows-nps': windowsNps,
  'openvpn-server': openvpnServer,
  'openvpn-client': openvpnClient,
  'ikev2-server': ikev2Server,
  'ikev2-client': ikev2Client,
  smime,
};

/**
 * The built-in targets by profile id, used when a profile's definition has no `targets` (every vault written
 * before preflight). Chosen so the built-in profiles' own defaults pass: server 365 days is within Apple's 825,
 * mail carries emailProtection and an e-mail address. The user profile checks nothing by default: it serves
 * both S/MIME (needs an e-mail address) and Windows clients (need a UPN), and a user may have either; the
 * officer turns on what the organisation uses (README "Preflight").
 */
export const DEFAULT_TARGETS: Readonly<Record<string, readonly PreflightTarget[]>> = {
  user: [],
  device: [],
  server: ['apple-tls'],
  mail: ['smime'],
  vpn: ['openvpn-client'],
  // A domain controller's PKINIT certificate: no target here describes what the KDC and its clients check
  // (RFC 4556 3.2.4); the RFC 5280 rules still apply, and the profile fixes the EKUs and the principal name.
  kdc: [],
};

/** The profile's targets: its own list, else the default for its id (none for an unknown id). */
export function profileTargets(profile: Profile): PreflightTarget[] {
  return [...(profile.targets ?? DEFAULT_TARGETS[profile.id] ?? [])];
}

/**
 * A targets list as stored: each a known target (PREFLIGHT_TARGETS), no repeats. Throws CertDeskError
 * INVALID_INPUT naming the bad entry and its position.
 */
export function checkTargets(targets: unknown): PreflightTarget[] {
  if (!Array.isArray(targets)) throw new CertDeskError('INVALID_INPUT', 'targets: a list of target names', { field: 'targets' });
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (typeof t !== 'string' || !(PREFLIGHT_TARGETS as readonly string[]).includes(t)) {
      throw new CertDeskError('INVALID_INPUT', `targets[${i}]: "${String(t)}" is not a target (use ${PREFLIGHT_TARGETS.join(', ')})`, { field: 'targets' });
    }
    if (seen.has(t)) throw new CertDeskError('INVALID_INPUT', `targets[${i}]: "${t}" is listed twice`, { field: 'targets' });
    seen.add(t);
  });
  return targets as PreflightTarget[];
}
