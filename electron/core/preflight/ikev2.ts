// IKEv2 (Windows' built-in client, strongSwan, Apple): what the gateway's and the client's certificates need.
import { finding, needEku, type TargetRule } from './finding.js';
import { SOURCES } from './sources.js';

/**
 * ikev2-server: serverAuth (Windows' IKEv2 client refuses a gateway certificate without it: error); the
 * gateway's host name as a dNSName (warning: Windows fails with error 13801 on a name found only in the CN or
 * only as an iPAddress; strongSwan's Windows certificate requirements).
 */
export const ikev2Server: TargetRule = (plan) => [
  ...needEku(plan, 'ikev2-server', 'serverAuth', '1.3.6.1.5.5.7.3.1', "Windows' IKEv2 client refuses a VPN gateway certificate without it", SOURCES.strongswanWindows),
  ...(plan.sans.some((s) => s.type === 'dns')
    ? []
    : [
        finding(
          'ikev2-server',
          'sans',
          'warning',
          plan.sans.some((s) => s.type === 'ip')
            ? 'no dNSName, only an IP address: Windows IKEv2 clients do not match an iPAddress name (error 13801); give the gateway a DNS name'
            : "no dNSName: Windows, macOS and strongSwan's Android client match the gateway's host name against the subjectAltName",
          SOURCES.strongswanWindows,
        ),
      ]),
];

/** ikev2-client: clientAuth, as Windows RRAS checks a client certificate (KB 814394). Error. */
export const ikev2Client: TargetRule = (plan) =>
  needEku(plan, 'ikev2-client', 'clientAuth', '1.3.6.1.5.5.7.3.2', 'Windows VPN servers accept only a client certificate with the Client Authentication purpose', SOURCES.eapTls);
