// A finding, and the checks several targets share.
import type { KeyUsageName, PreflightFinding } from '../../../shared/domain.js';
import { formatDuration, lifetimeMs, longerThan, maxDaysWithin, type CertificatePlan } from './plan.js';

/** The checks of one target: every finding for the would-be certificate, in a fixed order. */
export type TargetRule = (plan: CertificatePlan) => PreflightFinding[];

/** A finding (shared/domain.ts PreflightFinding) from its parts, in that order. */
export function finding(target: PreflightFinding['target'], field: string, severity: PreflightFinding['severity'], message: string, source: string): PreflightFinding {
  return { target, field, severity, message, source };
}

/**
 * A lifetime limit (Apple TLS, S/MIME: 825 days), counting the back-dating: `--days 825` is 825 days and
 * 5 minutes, over the limit. The finding names the limit, the computed lifetime and the most days to choose.
 */
export function lifetimeLimit(plan: CertificatePlan, target: PreflightFinding['target'], limitDays: number, who: string, source: string): PreflightFinding[] {
  if (!longerThan(plan, limitDays)) return [];
  return [
    finding(
      target,
      'days',
      'error',
      `the certificate would be valid ${formatDuration(lifetimeMs(plan))} (notAfter - notBefore, the clock-skew back-dating included); ${who} at most ${limitDays} days: choose at most ${maxDaysWithin(plan, limitDays)} days`,
      source,
    ),
  ];
}

/** An extended key usage the target needs, missing from the profile. */
export function needEku(plan: CertificatePlan, target: PreflightFinding['target'], eku: 'serverAuth' | 'clientAuth' | 'emailProtection', oid: string, why: string, source: string): PreflightFinding[] {
  if (plan.extendedKeyUsage.includes(eku)) return [];
  return [finding(target, 'profile', 'error', `no ${eku} extended key usage (${oid}): ${why}`, source)];
}

/** Key usages missing from `plan` among `need` (all of them needed), as one finding naming them (or none). */
export function needKeyUsage(plan: CertificatePlan, target: PreflightFinding['target'], need: KeyUsageName[], why: string, source: string): PreflightFinding[] {
  const missing = need.filter((u) => !plan.keyUsage.includes(u));
  if (missing.length === 0) return [];
  return [finding(target, 'profile', 'error', `keyUsage lacks ${missing.join(' and ')} (it has ${plan.keyUsage.join(', ') || 'none'}): ${why}`, source)];
}
