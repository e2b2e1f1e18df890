// RADIUS / EAP-TLS servers for Wi-Fi: what supplicants (Windows, Android's "Domain", wpa_supplicant) match.
import { finding, needEku, type TargetRule } from './finding.js';
import { commonNameOfPlan } from './plan.js';
import { SOURCES } from './sources.js';

const SOURCE = `${SOURCES.eapTls}; ${SOURCES.androidDomain}`;

/**
 * radius-eap-tls: the common name equal to one of the dNSNames, in the same case (supplicants compare
 * the subject's CN and the SAN; the officer types the name once), no wildcard (in the CN or a dNSName), the
 * serverAuth extended key usage. All errors. The Android install sheet names the domain (radiusDomain).
 */
export const radiusEapTls: TargetRule = (plan) => {
  const out = [];
  const cn = commonNameOfPlan(plan);
  const dns = plan.sans.filter((s) => s.type === 'dns').map((s) => s.value);
  if (cn === null) {
    out.push(finding('radius-eap-tls', 'name', 'error', 'no common name: EAP-TLS clients check the server certificate\'s CN against the server name they are given', SOURCE));
  } else if (cn.includes('*')) {
    out.push(finding('radius-eap-tls', 'name', 'error', `the common name "${cn}" is a wildcard: Windows and Android EAP-TLS clients do not match a wildcard server name`, SOURCE));
  } else if (!dns.includes(cn)) {
    const folded = dns.find((d) => d === cn.toLowerCase());
    out.push(
      finding(
        'radius-eap-tls',
        'name',
        'error',
        folded
          ? `the common name "${cn}" matches the dNSName "${folded}" only ignoring case: write it as "${folded}", the same case, so clients that compare exactly accept it`
          : `the common name "${cn}" is not one of the dNSNames (${dns.join(', ') || 'none'}): add it as a DNS name, the name Android's Domain field and Windows' server list match`,
        SOURCE,
      ),
    );
  }
  for (const d of dns.filter((v) => v.startsWith('*.'))) {
    out.push(finding('radius-eap-tls', 'sans', 'error', `the dNSName "${d}" is a wildcard: Windows and Android EAP-TLS clients do not match a wildcard server name`, SOURCE));
  }
  out.push(...needEku(plan, 'radius-eap-tls', 'serverAuth', '1.3.6.1.5.5.7.3.1', 'Windows EAP-TLS clients accept only a server certificate with the Server Authentication purpose', SOURCES.eapTls));
  return out;
};

/**
 * The domain an Android phone's Wi-Fi settings need under "Domain" for this certificate: its common name when
 * that is one of its dNSNames (the radius-eap-tls rule), else its first non-wildcard dNSName, else null.
 */
export function radiusDomain(commonName: string | null, dnsNames: string[]): string | null {
  if (commonName !== null && dnsNames.includes(commonName)) return commonName;
  return dnsNames.find((d) => !d.startsWith('*.')) ?? null;
}
