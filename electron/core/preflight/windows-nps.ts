// Windows NPS (EAP-TLS: Wi-Fi, VPN) and ActiveSync clients: what the server maps to an Active Directory account.
import { finding, needEku, type TargetRule } from './finding.js';
import { SOURCES } from './sources.js';

/**
 * windows-nps: the clientAuth extended key usage and a UPN (a user) or a dNSName (a computer) in the subjectAltName
 * (errors; KB 814394), and a
 * strong mapping (KB5014754): without the holder's SID in the certificate, a warning that the administrator
 * must add the certificate's altSecurityIdentities mapping to the account.
 */
export const windowsNps: TargetRule = (plan) => [
  ...needEku(plan, 'windows-nps', 'clientAuth', '1.3.6.1.5.5.7.3.2', 'NPS and ActiveSync accept only a client certificate with the Client Authentication purpose', SOURCES.eapTls),
  // A user's certificate names its account by the UPN; a computer's (machine authentication) by its DNS name,
  // the computer's FQDN (KB 814394): either one will do.
  ...(plan.sans.some((s) => s.type === 'upn' || s.type === 'dns')
    ? []
    : [
        finding(
          'windows-nps',
          'sans',
          'error',
          "no UPN (user principal name) or DNS name in the subject alternative names: NPS and ActiveSync find a user's account by the UPN and a computer's by its DNS name",
          SOURCES.eapTls,
        ),
      ]),
  ...(plan.sid
    ? []
    : [
        finding(
          'windows-nps',
          'sid',
          'warning',
          "no SID: domain controllers enforcing strong mapping (KB5014754) refuse a certificate mapped only by its UPN; add the certificate's altSecurityIdentities mapping (X509:<I>issuer<SR>serial or X509:<SKI>) to the account, or issue it with the account's SID",
          SOURCES.strongMapping,
        ),
      ]),
];
