// Preflight inside the vault: what the pure rules need from it (serial in use, the holder's SID), then the gate.
import type { PreflightFinding, Profile } from '../../../shared/domain.js';
import { dnFromName, type Rdn } from '../pki/names.js';
import type { x509 } from '../pki/provider.js';
import type { Vault } from '../vault/vault.js';
import type { CertificatePlan } from './plan.js';
import { gatePreflight, runPreflight, type PreflightOutcome } from './run.js';
import { profileTargets } from './targets.js';

/** What issue, sign-csr and renew know before signing; preflightGate adds what the vault knows. */
export interface SigningPlan extends Omit<CertificatePlan, 'subject' | 'issuer' | 'serialInUse'> {
  subject: Rdn[];
  issuer: x509.X509Certificate;
  /** The serial (hex) the certificate will carry. */
  serial: string;
}

/** Whether a certificate from `issuer` in the vault already has `serial` (hex, any case): RFC 5280 4.1.2.2. */
export function serialInUse(vault: Vault, issuer: x509.X509Certificate, serial: string): boolean {
  return vault.db.prepare('SELECT 1 FROM certificates WHERE issuer_dn = ? AND serial = ?').get(dnFromName(issuer.subjectName), serial.toLowerCase()) !== undefined;
}

/**
 * The SID a request carries (`sid`, checked by windows-rules.ts sidFor when issuing), if any; null without one.
 * Renewal reads it from the old certificate's SID extension instead (lifecycle/renew.ts).
 */
export function sidOf(source: object | null | undefined): string | null {
  const sid = (source as { sid?: unknown } | null | undefined)?.sid;
  return typeof sid === 'string' && sid.trim() !== '' ? sid.trim() : null;
}

/** The plan as the pure rules see it: subject attributes flattened, the issuer's name and validity, the serial looked up. */
export function toCertificatePlan(vault: Vault, plan: SigningPlan): CertificatePlan {
  const { serial, subject, issuer, ...rest } = plan;
  return {
    ...rest,
    subject: subject.flat().map((a) => ({ oid: a.oid, value: a.value })),
    issuer: { name: dnFromName(issuer.subjectName), notBefore: issuer.notBefore, notAfter: issuer.notAfter },
    serialInUse: serialInUse(vault, issuer, serial),
  };
}

/**
 * Preflight before signing (issue, sign-csr, renew): runs the profile's targets (targets.ts profileTargets) and
 * the RFC 5280 rules over the would-be certificate and gates on them (run.ts gatePreflight: PROFILE_VIOLATION
 * listing the errors unless `overrideReason` is given; INVALID_INPUT for a bad reason).
 */
export function preflightGate(vault: Vault, profile: Profile, plan: SigningPlan, overrideReason: string | null | undefined): PreflightOutcome {
  return gatePreflight(runPreflight(toCertificatePlan(vault, plan), profileTargets(profile)), overrideReason);
}

/**
 * The findings a form shows before signing (the CSR screen, the renew dialog): the profile's targets and the RFC
 * 5280 rules over the would-be certificate, with no serial drawn yet (its uniqueness is checked at signing) and
 * no gate: errors are shown beside the fields, and signing stops on them unless given an override reason.
 */
export function previewFindings(vault: Vault, profile: Profile, plan: Omit<SigningPlan, 'serial'>): PreflightFinding[] {
  const { subject, issuer, ...rest } = plan;
  return runPreflight(
    {
      ...rest,
      subject: subject.flat().map((a) => ({ oid: a.oid, value: a.value })),
      issuer: { name: dnFromName(issuer.subjectName), notBefore: issuer.notBefore, notAfter: issuer.notAfter },
      serialInUse: null,
    },
    profileTargets(profile),
  );
}
