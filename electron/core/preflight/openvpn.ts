// OpenVPN 2.6's remote-cert-tls: what a peer's certificate must carry, exactly as OpenVPN and its TLS library check it.
import type { KeyUsageName, PreflightFinding } from '../../../shared/domain.js';
import { finding, needEku, type TargetRule } from './finding.js';
import type { CertificatePlan } from './plan.js';
import { SOURCES } from './sources.js';

/**
 * The key usage checks `remote-cert-tls` makes, for either side. OpenVPN 2.6 (src/openvpn/options.c,
 * "remote-cert-tls") sets `remote_cert_ku[0] = OPENVPN_KU_REQUIRED` with the EKU; x509_verify_cert_ku
 * (ssl_verify_openssl.c) then only requires the keyUsage extension to be present ("Extension required, value
 * checked by TLS library"), whatever the key type. The value is OpenSSL's X.509 purpose check of the leaf
 * (crypto/x509/v3_purp.c): a server certificate (purpose sslserver, as the client verifies it) is refused when
 * its keyUsage has none of digitalSignature, keyEncipherment, keyAgreement (KU_TLS); a client certificate
 * (sslclient) when it has neither digitalSignature nor keyAgreement. One of them is enough: OpenVPN 2.6 is
 * neither stricter (no bit is required with another) nor looser (an absent keyUsage fails).
 */
function keyUsageChecks(plan: CertificatePlan, target: 'openvpn-server' | 'openvpn-client', anyOf: KeyUsageName[], peer: string): PreflightFinding[] {
  const option = target === 'openvpn-server' ? 'remote-cert-tls server' : 'remote-cert-tls client';
  if (plan.keyUsage.length === 0) {
    return [finding(target, 'profile', 'error', `no keyUsage extension: ${peer} with ${option} requires one ("Certificate does not have key usage extension")`, SOURCES.openvpn)];
  }
  if (anyOf.some((u) => plan.keyUsage.includes(u))) return [];
  return [
    finding(
      target,
      'profile',
      'error',
      `keyUsage has none of ${anyOf.join(', ')} (it has ${plan.keyUsage.join(', ')}): ${peer} with ${option} verifies it with OpenSSL's ${target === 'openvpn-server' ? 'sslserver' : 'sslclient'} purpose, which needs one of them`,
      SOURCES.openvpnTls,
    ),
  ];
}

/**
 * openvpn-server: what an OpenVPN 2.6 client with `remote-cert-tls server` checks of the server's certificate
 * (errors): a keyUsage extension, with digitalSignature, keyEncipherment or keyAgreement (any key type); the
 * serverAuth EKU ("TLS Web Server Authentication", x509_verify_cert_eku). Sources: OpenVPN 2.6 manual
 * (--remote-cert-tls, --remote-cert-ku) and options.c; OpenSSL v3_purp.c check_purpose_ssl_server.
 */
export const openvpnServer: TargetRule = (plan) => [
  ...keyUsageChecks(plan, 'openvpn-server', ['digitalSignature', 'keyEncipherment', 'keyAgreement'], 'an OpenVPN client'),
  ...needEku(plan, 'openvpn-server', 'serverAuth', '1.3.6.1.5.5.7.3.1', 'OpenVPN clients with remote-cert-tls server refuse a server certificate without TLS Web Server Authentication', SOURCES.openvpn),
];

/**
 * openvpn-client: what an OpenVPN 2.6 server with `remote-cert-tls client` checks of a client's certificate
 * (errors): a keyUsage extension, with digitalSignature or keyAgreement (any key type); the clientAuth EKU
 * ("TLS Web Client Authentication"). Sources: as openvpnServer; OpenSSL v3_purp.c check_purpose_ssl_client.
 */
export const openvpnClient: TargetRule = (plan) => [
  ...keyUsageChecks(plan, 'openvpn-client', ['digitalSignature', 'keyAgreement'], 'an OpenVPN server'),
  ...needEku(plan, 'openvpn-client', 'clientAuth', '1.3.6.1.5.5.7.3.2', 'an OpenVPN server with remote-cert-tls client refuses a client certificate without TLS Web Client Authentication', SOURCES.openvpn),
];
