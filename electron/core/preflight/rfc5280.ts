// Every certificate: the RFC 5280 rules preflight checks whatever the profile's targets.
import type { PreflightFinding } from '../../../shared/domain.js';
import { toGeneralNames } from '../pki/sans.js';
import { CN_OID, type CertificatePlan } from './plan.js';
import { daysUntil } from './validity.js';
import { finding, type TargetRule } from './finding.js';
import { SOURCES } from './sources.js';

/** RFC 5280 Appendix A.1 upper bounds (characters) of the subject attributes CertDesk writes or keeps, by OID. */
const UPPER_BOUNDS: Record<string, { name: string; max: number }> = {
  [CN_OID]: { name: 'common name', max: 64 },
  '2.5.4.10': { name: 'organization', max: 64 },
  '2.5.4.11': { name: 'organizational unit', max: 64 },
  '2.5.4.7': { name: 'locality', max: 128 },
  '2.5.4.8': { name: 'state or province', max: 128 },
  '2.5.4.5': { name: 'serial number', max: 64 },
  '2.5.4.12': { name: 'title', max: 64 },
  '1.2.840.113549.1.9.1': { name: 'e-mail address', max: 255 },
};

/**
 * Validity inside the issuer's (RFC 5280 4.1.2.5; path validation checks every certificate's, 6.1.3 (a)(2)): an
 * issuer not valid at plan.now is an error (field 'ca': it can sign nothing anyone accepts); an end the
 * requested days put past the issuer's, cut to it (plan.requestedNotAfter), is a warning naming both ends and
 * the most days; a window still outside the issuer's (a plan not made by validity.ts) is an error.
 */
function validityInsideIssuer(plan: CertificatePlan): PreflightFinding[] {
  const { issuer, now } = plan;
  if (now > issuer.notAfter) {
    return [finding('rfc5280', 'ca', 'error', `the issuing CA ${issuer.name} expired ${issuer.notAfter.toISOString()}: nothing it signs now is valid; renew the CA or choose another`, SOURCES.rfc5280Validity)];
  }
  if (now < issuer.notBefore) {
    return [finding('rfc5280', 'ca', 'error', `the issuing CA ${issuer.name} is not valid before ${issuer.notBefore.toISOString()}: nothing it signs now is valid yet`, SOURCES.rfc5280Validity)];
  }
  const out: PreflightFinding[] = [];
  if (plan.requestedNotAfter && plan.requestedNotAfter > plan.notAfter) {
    out.push(
      finding(
        'rfc5280',
        'days',
        'warning',
        `the certificate would be cut to end ${plan.notAfter.toISOString()} with its issuer ${issuer.name}, not ${plan.requestedNotAfter.toISOString()} as the ${daysUntil(now, plan.requestedNotAfter)} days asked; ` +
          `choose at most ${daysUntil(now, issuer.notAfter)} days, or renew the CA first`,
        SOURCES.rfc5280Validity,
      ),
    );
  }
  if (plan.notBefore < issuer.notBefore) {
    out.push(finding('rfc5280', 'days', 'error', `the certificate would start ${plan.notBefore.toISOString()}, before its issuer ${issuer.name} starts ${issuer.notBefore.toISOString()}`, SOURCES.rfc5280Validity));
  }
  if (plan.notAfter > issuer.notAfter) {
    out.push(finding('rfc5280', 'days', 'error', `the certificate would end ${plan.notAfter.toISOString()}, after its issuer ${issuer.name} ends ${issuer.notAfter.toISOString()}`, SOURCES.rfc5280Validity));
  }
  return out;
}

/**
 * rfc5280 (errors): subject attributes within their upper bounds (country: exactly 2 letters), a
 * subjectAltName when the subject is empty (buildCertificate then marks it critical), a serial the issuer has
 * not used, a validity inside the issuer's (validityInsideIssuer: a cut end is a warning).
 */
export const rfc5280: TargetRule = (plan) => {
  const out: PreflightFinding[] = [];
  for (const a of plan.subject) {
    const length = [...a.value].length;
    const bound = UPPER_BOUNDS[a.oid];
    const field = a.oid === CN_OID ? 'name' : 'subject';
    if (bound && length > bound.max) out.push(finding('rfc5280', field, 'error', `the ${bound.name} is ${length} characters long; at most ${bound.max}`, SOURCES.rfc5280Names));
    if (a.oid === '2.5.4.6' && length !== 2) out.push(finding('rfc5280', field, 'error', `the country "${a.value}" is ${length} characters long; it is a two-letter code`, SOURCES.rfc5280Names));
  }
  if (plan.subject.length === 0 && toGeneralNames(plan.sans).length === 0) {
    out.push(finding('rfc5280', 'sans', 'error', 'the subject is empty and there is no subject alternative name: the certificate would name no one', SOURCES.rfc5280San));
  }
  if (plan.serialInUse) out.push(finding('rfc5280', 'serial', 'error', `the serial is already used by another certificate of ${plan.issuer.name}`, SOURCES.rfc5280Serial));
  out.push(...validityInsideIssuer(plan));
  return out;
};
