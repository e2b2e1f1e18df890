// What preflight looks at: the certificate as it would be signed, as plain data (no key, no signature).
import type { ExtendedKeyUsageName, KeyType, KeyUsageName, San } from '../../../shared/domain.js';
import { DAY_MS } from '../pki/certificates.js';

/**
 * A would-be certificate. `keyUsage` is what will be signed (certificates.ts keyUsageFor already applied),
 * `sans` are normalised (pki/sans.ts), `subject` the subject's attributes in order (OID and value; empty
 * for an empty subject). Times are the certificate's notBefore/notAfter (validityWindow: notBefore is
 * back-dated by CLOCK_SKEW_MS) and `now`, the time they were computed from.
 */
export interface CertificatePlan {
  subject: { oid: string; value: string }[];
  sans: San[];
  keyType: KeyType;
  keyUsage: KeyUsageName[];
  extendedKeyUsage: ExtendedKeyUsageName[];
  notBefore: Date;
  notAfter: Date;
  /** The end the requested days asked for, when notAfter was cut to the issuer's end (validity.ts plannedValidity); absent otherwise. */
  requestedNotAfter?: Date;
  now: Date;
  issuer: { name: string; notBefore: Date; notAfter: Date };
  /** The issuing CA's CRL URL (the certificate's CRL distribution point), null when it has none. */
  crlUrl: string | null;
  /** Whether the issuer already used the serial; null when not known yet. */
  serialInUse: boolean | null;
  /** The holder's Windows SID (task G's strong mapping), null when none is given. */
  sid: string | null;
}

export const CN_OID = '2.5.4.3';

/** The subject's (last, most specific) common name, or null. */
export function commonNameOfPlan(plan: CertificatePlan): string | null {
  const cns = plan.subject.filter((a) => a.oid === CN_OID);
  return cns.length ? cns[cns.length - 1]!.value : null;
}

/** The certificate's lifetime in milliseconds: notAfter - notBefore, the back-dating included. */
export function lifetimeMs(plan: CertificatePlan): number {
  return plan.notAfter.getTime() - plan.notBefore.getTime();
}

/** A duration as "1095 days 5 minutes" (whole days, then hours, minutes and seconds that are not zero). */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [DAY_MS, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  let rest = Math.floor(ms / 1000) * 1000;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (name === 'day' && parts.length === 0 && rest === 0)) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}

/**
 * The most whole days (the `--days` value) that keep the lifetime within `limitDays` days, given that the
 * certificate starts at plan.notBefore and ends `days` days after plan.now.
 */
export function maxDaysWithin(plan: CertificatePlan, limitDays: number): number {
  const backdated = plan.now.getTime() - plan.notBefore.getTime();
  return Math.floor((limitDays * DAY_MS - backdated) / DAY_MS);
}

/** Whether the lifetime exceeds `limitDays` days. */
export function longerThan(plan: CertificatePlan, limitDays: number): boolean {
  return lifetimeMs(plan) > limitDays * DAY_MS;
}
