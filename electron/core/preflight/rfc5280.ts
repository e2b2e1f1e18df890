// Every certificate: the RFC 5280 rules preflight checks whatever the profile's targets.
import type { PreflightFinding } from '../../../shared/domain.js';
import { toGeneralNames } from '../pki/sans.js';
import { CN_OID } from './plan.js';
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
 * rfc5280 (errors): subject attributes within their upper bounds (country: exactly 2 letters), a
 * subjectAltName when the subject is empty (buildCertificate then marks it critical), a serial the issuer has
 * not used, a validity inside the issuer's.
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
  if (plan.notBefore < plan.issuer.notBefore) {
    out.push(finding('rfc5280', 'days', 'error', `the certificate would start ${plan.notBefore.toISOString()}, before its issuer ${plan.issuer.name} starts ${plan.issuer.notBefore.toISOString()}`, SOURCES.rfc5280Validity));
  }
  if (plan.notAfter > plan.issuer.notAfter) {
    out.push(finding('rfc5280', 'days', 'error', `the certificate would end ${plan.notAfter.toISOString()}, after its issuer ${plan.issuer.name} ends ${plan.issuer.notAfter.toISOString()}`, SOURCES.rfc5280Validity));
  }
  return out;
};
