// OpenVPN's remote-cert-tls: the key usage and extended key usage a peer's certificate must carry.
import type { KeyUsageName, PreflightFinding } from '../../../shared/domain.js';
import { finding, needEku, type TargetRule } from './finding.js';
import type { CertificatePlan } from './plan.js';
import { SOURCES } from './sources.js';

/** Key usages missing from `plan` among `need`, as one finding naming them (or none). */
export function needKeyUsage(plan: CertificatePlan, target: PreflightFinding['target'], need: KeyUsageName[], why: string, source: string): PreflightFinding[] {
  const missing = need.filter((u) => !plan.keyUsage.includes(u));
  if (missing.length === 0) return [];
  return [finding(target, 'profile', 'error', `keyUsage lacks ${missing.join(' and ')} (it has ${plan.keyUsage.join(', ') || 'none'}): ${why}`, source)];
}

/** What a server key's TLS key exchange needs: RSA keyEncipherment, EC keyAgreement (RFC 5246 7.4.2), both with digitalSignature. */
export function serverKeyUsage(plan: CertificatePlan): KeyUsageName[] {
  return plan.keyType.startsWith('ec-') ? ['digitalSignature', 'keyAgreement'] : ['digitalSignature', 'keyEncipherment'];
}

/**
 * openvpn-server: what a client with `remote-cert-tls server` checks: a keyUsage with digitalSignature and
 * keyEncipherment (RSA) or keyAgreement (EC), and serverAuth ("TLS Web Server Authentication"). Errors.
 */
export const openvpnServer: TargetRule = (plan) => [
  ...needKeyUsage(plan, 'openvpn-server', serverKeyUsage(plan), `OpenVPN clients with remote-cert-tls server require a keyUsage fitting the ${plan.keyType} key`, SOURCES.openvpn),
  ...needEku(plan, 'openvpn-server', 'serverAuth', '1.3.6.1.5.5.7.3.1', 'OpenVPN clients with remote-cert-tls server refuse a server certificate without TLS Web Server Authentication', SOURCES.openvpn),
];

/** openvpn-client: what a server with `remote-cert-tls client` checks: a keyUsage with digitalSignature, and clientAuth. Errors. */
export const openvpnClient: TargetRule = (plan) => [
  ...needKeyUsage(plan, 'openvpn-client', ['digitalSignature'], 'an OpenVPN server with remote-cert-tls client requires a keyUsage extension with digitalSignature', SOURCES.openvpn),
  ...needEku(plan, 'openvpn-client', 'clientAuth', '1.3.6.1.5.5.7.3.2', 'an OpenVPN server with remote-cert-tls client refuses a client certificate without TLS Web Client Authentication', SOURCES.openvpn),
];
