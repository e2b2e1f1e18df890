// Where each preflight rule comes from: the document a finding cites (PreflightFinding.source).

export const SOURCES = {
  appleTls: 'https://support.apple.com/en-us/103769 (Requirements for trusted certificates in iOS 13 and macOS 10.15)',
  eapTls: 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/certificate-requirements-eap-tls-peap (KB 814394)',
  androidDomain: 'https://developer.android.com/reference/android/net/wifi/WifiEnterpriseConfig#setDomainSuffixMatch(java.lang.String)',
  strongMapping: 'https://support.microsoft.com/help/5014754 (KB5014754: certificate-based authentication changes on Windows domain controllers)',
  openvpn:
    'https://openvpn.net/community-resources/reference-manual-for-openvpn-2-6/ (--remote-cert-tls, --remote-cert-ku, --remote-cert-eku); OpenVPN 2.6 src/openvpn/options.c (remote-cert-tls: OPENVPN_KU_REQUIRED and the EKU) and ssl_verify_openssl.c x509_verify_cert_ku',
  openvpnTls: 'OpenSSL crypto/x509/v3_purp.c check_purpose_ssl_server (KU_TLS) and check_purpose_ssl_client, which OpenVPN 2.6 leaves the keyUsage value to (ssl_verify_openssl.c x509_verify_cert_ku)',
  strongswanWindows: 'https://docs.strongswan.org/docs/5.9/interop/windowsCertRequirements.html (Windows certificate requirements)',
  smimeValidity: 'https://cabforum.org/working-groups/smime/requirements/ (S/MIME Baseline Requirements 6.3.2)',
  smimeCrl: 'https://cabforum.org/working-groups/smime/requirements/ (S/MIME Baseline Requirements 7.1.2.3 b, cRLDistributionPoints)',
  smimeKeyUsage: 'https://cabforum.org/working-groups/smime/requirements/ (S/MIME Baseline Requirements 7.1.2.3 e, keyUsage)',
  smimeEku: 'https://cabforum.org/working-groups/smime/requirements/ (S/MIME Baseline Requirements 7.1.2.3 f, extKeyUsage)',
  smimeSan: 'https://cabforum.org/working-groups/smime/requirements/ (S/MIME Baseline Requirements 7.1.2.3 h, subjectAltName)',
  rfc5280Names: 'RFC 5280 Appendix A.1 (upper bounds of the name attributes)',
  rfc5280Serial: 'RFC 5280 4.1.2.2 (serial unique per issuer)',
  rfc5280San: 'RFC 5280 4.1.2.6 and 4.2.1.6 (empty subject: the names are in a critical subjectAltName)',
  rfc5280Validity: 'RFC 5280 4.1.2.5 and 6.1.3 (a)(2) (validity; every certificate of the path is checked)',
} as const;
