// Preflight for batch rows (pure: validateBatch runs on a worker thread): the context as plain data, and the check of one row.
import type { KeyType, PreflightFinding, PreflightTarget, Profile, San } from '../../../shared/domain.js';
import { keyUsageFor, validityWindow } from '../pki/certificates.js';
import { profileEkus, windowsSans } from '../issuance/windows-rules.js';
import { runPreflight } from './run.js';

/** What a batch's rows are checked with: structured-clone safe, so it crosses to the CSV worker. */
export interface BatchPreflight {
  targets: PreflightTarget[];
  keyType: KeyType;
  crlUrl: string | null;
  issuer: { name: string; notBefore: Date; notAfter: Date };
  /** The issuing CA's C and O, which issue.ts endEntitySubject puts before the holder. */
  subjectPrefix: { oid: string; value: string }[];
}

/**
 * Preflight's findings for one valid batch row (holder `name`, normalised `sans`, `days`) issued at `now`:
 * the subject as issue.ts endEntitySubject builds it (CA's C and O, the device id as serialNumber, the CN),
 * the validity as validityWindow computes it. The serial is not drawn yet (checked at issuance).
 */
export function preflightRow(pf: BatchPreflight, profile: Profile, row: { name: string; sans: San[]; days: number; sid: string | null }, now: Date): PreflightFinding[] {
  const device = row.sans.find((s) => s.type === 'device');
  const subject = [...pf.subjectPrefix, ...(device ? [{ oid: '2.5.4.5', value: device.value }] : []), { oid: '2.5.4.3', value: row.name }];
  const window = validityWindow(row.days, now);
  const notBefore = window.notBefore < pf.issuer.notBefore ? pf.issuer.notBefore : window.notBefore;
  return runPreflight(
    {
      subject,
      // What issuing will put in: the Windows SANs (SID URI, krbtgt) and the profile's EKUs with its options.
      sans: issuedSans(profile, row.sans, row.sid),
      keyType: pf.keyType,
      keyUsage: keyUsageFor(profile.keyUsage, pf.keyType),
      extendedKeyUsage: profileEkus(profile),
      notBefore,
      notAfter: window.notAfter,
      now,
      issuer: pf.issuer,
      crlUrl: pf.crlUrl,
      serialInUse: null,
      sid: row.sid,
    },
    pf.targets,
  );
}

/** The SANs issuing adds to a row (windowsSans); a row it refuses (a kdc row without a DNS name) is checked as given, and refused at issuance. */
function issuedSans(profile: Profile, sans: San[], sid: string | null): San[] {
  try {
    return windowsSans(profile, sans, sid);
  } catch {
    return sans;
  }
}
