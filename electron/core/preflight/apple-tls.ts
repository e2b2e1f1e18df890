// Apple devices and Safari as TLS clients: what iOS 13 / macOS 10.15 and later require of a TLS server certificate.
import { finding, lifetimeLimit, needEku, type TargetRule } from './finding.js';
import { SOURCES } from './sources.js';

/**
 * apple-tls (support.apple.com/en-us/103769): at most 825 days (notAfter - notBefore, the back-dating
 * included), the server's name in the subjectAltName (a dNSName; an iPAddress for a server reached by address:
 * the common name is not trusted), the serverAuth extended key usage. All errors.
 */
export const appleTls: TargetRule = (plan) => [
  ...lifetimeLimit(plan, 'apple-tls', 825, 'Apple devices and Safari accept TLS server certificates valid', SOURCES.appleTls),
  ...(plan.sans.some((s) => s.type === 'dns' || s.type === 'ip')
    ? []
    : [finding('apple-tls', 'sans', 'error', 'no dNSName in the subject alternative names: Apple devices and Safari ignore the common name and match the server name only against the subjectAltName', SOURCES.appleTls)]),
  ...needEku(plan, 'apple-tls', 'serverAuth', '1.3.6.1.5.5.7.3.1', 'Apple devices and Safari refuse a TLS server certificate without it', SOURCES.appleTls),
];
