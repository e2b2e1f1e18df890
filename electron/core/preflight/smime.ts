// S/MIME: the CA/Browser Forum S/MIME Baseline Requirements, applied as good practice to a private CA.
import { finding, lifetimeLimit, needEku, needKeyUsage, type TargetRule } from './finding.js';
import { SOURCES } from './sources.js';

/**
 * smime: emailProtection, an rfc822Name, at most 825 days (back-dating included), keyUsage by key type (RSA:
 * digitalSignature and keyEncipherment; EC: digitalSignature and keyAgreement): errors. An HTTP CRL
 * distribution point: a warning, since the CRL URL is the issuing CA's setting, not this certificate's.
 */
export const smime: TargetRule = (plan) => [
  ...needEku(plan, 'smime', 'emailProtection', '1.3.6.1.5.5.7.3.4', 'mail clients do not use a certificate for S/MIME without it', SOURCES.smimeEku),
  ...(plan.sans.some((s) => s.type === 'email')
    ? []
    : [finding('smime', 'sans', 'error', 'no e-mail address (rfc822Name) in the subject alternative names: mail clients match the sender against it', SOURCES.smimeSan)]),
  ...lifetimeLimit(plan, 'smime', 825, 'the S/MIME Baseline Requirements allow certificates valid', SOURCES.smimeValidity),
  ...needKeyUsage(
    plan,
    'smime',
    plan.keyType.startsWith('ec-') ? ['digitalSignature', 'keyAgreement'] : ['digitalSignature', 'keyEncipherment'],
    `S/MIME signs with the ${plan.keyType} key and encrypts to it (${plan.keyType.startsWith('ec-') ? 'ECDH: keyAgreement' : 'RSA: keyEncipherment'})`,
    SOURCES.smimeKeyUsage,
  ),
  ...(plan.crlUrl !== null && /^http:\/\//i.test(plan.crlUrl)
    ? []
    : [
        finding(
          'smime',
          'ca',
          'warning',
          plan.crlUrl === null
            ? `no CRL distribution point: the CA "${plan.issuer.name}" has no CRL URL, so mail clients cannot check revocation; give the CA an http:// CRL URL`
            : `the CRL distribution point "${plan.crlUrl}" is not an http:// URL: the S/MIME rules ask for plain HTTP (an https:// CRL needs a revocation check of its own)`,
          SOURCES.smimeCrl,
        ),
      ]),
];
