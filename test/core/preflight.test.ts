// Preflight's rules on would-be certificates: each target's exact findings, the RFC 5280 rules, the gate and the targets list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExtendedKeyUsageName, KeyUsageName, PreflightFinding } from '../../shared/domain.js';
import { CLOCK_SKEW_MS, DAY_MS, keyUsageFor } from '../../electron/core/pki/certificates.js';
import { formatDuration, maxDaysWithin, type CertificatePlan } from '../../electron/core/preflight/plan.js';
import { radiusDomain } from '../../electron/core/preflight/radius.js';
import { checkOverrideReason, gatePreflight, preflightAudit, runPreflight } from '../../electron/core/preflight/run.js';
import { SOURCES } from '../../electron/core/preflight/sources.js';
import { checkTargets, DEFAULT_TARGETS, profileTargets } from '../../electron/core/preflight/targets.js';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { APPLE_1095 } from '../helpers/preflight.js';
import { certErr } from '../helpers/engine-vault.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const CN = '2.5.4.3';

/** A certificate as issue would plan it: `days` after NOW, back-dated by the clock skew, from a ten-year CA. */
function plan(over: Partial<CertificatePlan> & { days?: number } = {}): CertificatePlan {
  const { days = 365, ...rest } = over;
  return {
    subject: [
      { oid: '2.5.4.6', value: 'DE' },
      { oid: '2.5.4.10', value: 'Example' },
      { oid: CN, value: 'radius.example.com' },
    ],
    sans: [{ type: 'dns', value: 'radius.example.com' }],
    keyType: 'ec-p256',
    keyUsage: ['digitalSignature', 'keyAgreement'],
    extendedKeyUsage: ['serverAuth'],
    notBefore: new Date(NOW.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(NOW.getTime() + days * DAY_MS),
    now: NOW,
    issuer: { name: 'CN=Test CA', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') },
    crlUrl: 'http://pki.example.com/ca.crl',
    serialInUse: false,
    sid: null,
    ...rest,
  };
}

const brief = (fs: PreflightFinding[]) => fs.map((f) => `${f.severity} ${f.target} ${f.field}: ${f.message}`);

test('durations and the most days within a limit count the back-dating', () => {
  assert.equal(formatDuration(1095 * DAY_MS + CLOCK_SKEW_MS), '1095 days 5 minutes');
  assert.equal(formatDuration(DAY_MS + 3_600_000 + 1000), '1 day 1 hour 1 second');
  assert.equal(formatDuration(0), '0 days');
  assert.equal(maxDaysWithin(plan(), 825), 824);
  // An issuer that started a minute ago clamps notBefore: nothing is back-dated, 825 days fit.
  assert.equal(maxDaysWithin(plan({ notBefore: NOW }), 825), 825);
});

test('apple-tls: a 1,095-day server certificate is an error naming 825 and the computed lifetime; 824 days pass, 825 do not', () => {
  const found = runPreflight(plan({ days: 1095 }), ['apple-tls']);
  assert.deepEqual(found, [
    APPLE_1095,
  ]);
  assert.deepEqual(runPreflight(plan({ days: 824 }), ['apple-tls']), []);
  assert.deepEqual(brief(runPreflight(plan({ days: 825 }), ['apple-tls'])), [
    'error apple-tls days: the certificate would be valid 825 days 5 minutes (notAfter - notBefore, the clock-skew back-dating included); Apple devices and Safari accept TLS server certificates valid at most 825 days: choose at most 824 days',
  ]);
});

test('apple-tls: no DNS name in the SAN and no serverAuth are errors; an IP-only server passes', () => {
  assert.deepEqual(brief(runPreflight(plan({ sans: [], extendedKeyUsage: ['clientAuth'] }), ['apple-tls'])), [
    'error apple-tls sans: no dNSName in the subject alternative names: Apple devices and Safari ignore the common name and match the server name only against the subjectAltName',
    'error apple-tls profile: no serverAuth extended key usage (1.3.6.1.5.5.7.3.1): Apple devices and Safari refuse a TLS server certificate without it',
  ]);
  assert.deepEqual(runPreflight(plan({ sans: [{ type: 'ip', value: '192.0.2.10' }] }), ['apple-tls']), []);
});

test('radius-eap-tls: the CN must be a dNSName in the same case, without wildcards', () => {
  assert.deepEqual(runPreflight(plan(), ['radius-eap-tls']), []);
  const subject = (cn: string) => [{ oid: CN, value: cn }];
  assert.deepEqual(brief(runPreflight(plan({ subject: subject('Radius.Example.com') }), ['radius-eap-tls'])), [
    'error radius-eap-tls name: the common name "Radius.Example.com" matches the dNSName "radius.example.com" only ignoring case: write it as "radius.example.com", the same case, so clients that compare exactly accept it',
  ]);
  assert.deepEqual(brief(runPreflight(plan({ subject: subject('nps.example.com') }), ['radius-eap-tls'])), [
    'error radius-eap-tls name: the common name "nps.example.com" is not one of the dNSNames (radius.example.com): add it as a DNS name, the name Android\'s Domain field and Windows\' server list match',
  ]);
  const wild = runPreflight(plan({ subject: subject('*.example.com'), sans: [{ type: 'dns', value: '*.example.com' }] }), ['radius-eap-tls']);
  assert.deepEqual(brief(wild), [
    'error radius-eap-tls name: the common name "*.example.com" is a wildcard: Windows and Android EAP-TLS clients do not match a wildcard server name',
    'error radius-eap-tls sans: the dNSName "*.example.com" is a wildcard: Windows and Android EAP-TLS clients do not match a wildcard server name',
  ]);
  assert.equal(wild[0]!.source, `${SOURCES.eapTls}; ${SOURCES.androidDomain}`);
  assert.equal(radiusDomain('radius.example.com', ['a.example.com', 'radius.example.com']), 'radius.example.com');
  assert.equal(radiusDomain('Radius', ['*.example.com', 'b.example.com']), 'b.example.com');
  assert.equal(radiusDomain(null, ['*.example.com']), null);
});

test('windows-nps: a client without UPN is an error; without a SID, a warning to add the altSecurityIdentities mapping', () => {
  const client = { extendedKeyUsage: ['clientAuth' as const], sans: [{ type: 'email' as const, value: 'zoe@example.com' }], subject: [{ oid: CN, value: 'Zoe' }] };
  const found = runPreflight(plan(client), ['windows-nps']);
  assert.deepEqual(brief(found), [
    "error windows-nps sans: no UPN (user principal name) or DNS name in the subject alternative names: NPS and ActiveSync find a user's account by the UPN and a computer's by its DNS name",
    "warning windows-nps sid: no SID: domain controllers enforcing strong mapping (KB5014754) refuse a certificate mapped only by its UPN; add the certificate's altSecurityIdentities mapping (X509:<I>issuer<SR>serial or X509:<SKI>) to the account, or issue it with the account's SID",
  ]);
  assert.equal(found[1]!.source, SOURCES.strongMapping);
  const withUpn = { ...client, sans: [{ type: 'upn' as const, value: 'zoe@corp.example' }] };
  assert.deepEqual(runPreflight(plan({ ...withUpn, sid: 'S-1-5-21-1-2-3-1104' }), ['windows-nps']), []);
  assert.deepEqual(brief(runPreflight(plan({ ...withUpn, extendedKeyUsage: ['emailProtection'], sid: 'S-1-5-21-1-2-3-1104' }), ['windows-nps'])), [
    'error windows-nps profile: no clientAuth extended key usage (1.3.6.1.5.5.7.3.2): NPS and ActiveSync accept only a client certificate with the Client Authentication purpose',
  ]);
  // A computer's certificate (machine authentication) is found by its DNS name: no UPN needed.
  const computer = { ...client, sans: [{ type: 'dns' as const, value: 'laptop7.corp.example' }], subject: [{ oid: CN, value: 'laptop7.corp.example' }], sid: 'S-1-5-21-1-2-3-2201' };
  assert.deepEqual(runPreflight(plan(computer), ['windows-nps']), []);
});

test('openvpn: exactly what OpenVPN 2.6 remote-cert-tls checks: a keyUsage extension, one usage OpenSSL\'s TLS purpose accepts, the EKU', () => {
  const ku = (keyType: 'ec-p256' | 'rsa-2048', usages: KeyUsageName[]) => ({ keyType, keyUsage: keyUsageFor(usages, keyType) });
  // Server, RSA and EC: digitalSignature alone is enough (OPENVPN_KU_REQUIRED leaves the value to OpenSSL's KU_TLS); so is keyEncipherment (RSA) or keyAgreement (EC).
  for (const usages of [['digitalSignature'], ['keyEncipherment'], ['keyAgreement'], ['digitalSignature', 'keyEncipherment']] as KeyUsageName[][]) {
    assert.deepEqual(runPreflight(plan(ku('rsa-2048', usages)), ['openvpn-server']), [], `rsa ${usages.join('+')}`);
    assert.deepEqual(runPreflight(plan(ku('ec-p256', usages)), ['openvpn-server']), [], `ec ${usages.join('+')}`);
  }
  assert.deepEqual(brief(runPreflight(plan({ extendedKeyUsage: ['clientAuth'] }), ['openvpn-server'])), [
    'error openvpn-server profile: no serverAuth extended key usage (1.3.6.1.5.5.7.3.1): OpenVPN clients with remote-cert-tls server refuse a server certificate without TLS Web Server Authentication',
  ]);
  assert.deepEqual(brief(runPreflight(plan({ ...ku('rsa-2048', ['nonRepudiation']) }), ['openvpn-server'])), [
    "error openvpn-server profile: keyUsage has none of digitalSignature, keyEncipherment, keyAgreement (it has nonRepudiation): an OpenVPN client with remote-cert-tls server verifies it with OpenSSL's sslserver purpose, which needs one of them",
  ]);
  const [noKu] = runPreflight(plan({ ...ku('ec-p256', []) }), ['openvpn-server']);
  assert.deepEqual(noKu, {
    target: 'openvpn-server',
    field: 'profile',
    severity: 'error',
    message: 'no keyUsage extension: an OpenVPN client with remote-cert-tls server requires one ("Certificate does not have key usage extension")',
    source: SOURCES.openvpn,
  });
  // Client: digitalSignature or keyAgreement. keyEncipherment alone fails with RSA; with EC it is signed as keyAgreement (keyUsageFor) and passes.
  const client = { extendedKeyUsage: ['clientAuth'] as ExtendedKeyUsageName[] };
  assert.deepEqual(runPreflight(plan({ ...client, ...ku('rsa-2048', ['digitalSignature']) }), ['openvpn-client']), []);
  assert.deepEqual(runPreflight(plan({ ...client, ...ku('ec-p256', ['keyEncipherment']) }), ['openvpn-client']), []);
  assert.deepEqual(brief(runPreflight(plan({ ...client, ...ku('rsa-2048', ['keyEncipherment']) }), ['openvpn-client'])), [
    "error openvpn-client profile: keyUsage has none of digitalSignature, keyAgreement (it has keyEncipherment): an OpenVPN server with remote-cert-tls client verifies it with OpenSSL's sslclient purpose, which needs one of them",
  ]);
  assert.equal(runPreflight(plan({ ...client, ...ku('rsa-2048', ['keyEncipherment']) }), ['openvpn-client'])[0]!.source, SOURCES.openvpnTls);
  assert.deepEqual(brief(runPreflight(plan({ keyUsage: [], extendedKeyUsage: ['serverAuth'] }), ['openvpn-client'])), [
    'error openvpn-client profile: no keyUsage extension: an OpenVPN server with remote-cert-tls client requires one ("Certificate does not have key usage extension")',
    'error openvpn-client profile: no clientAuth extended key usage (1.3.6.1.5.5.7.3.2): an OpenVPN server with remote-cert-tls client refuses a client certificate without TLS Web Client Authentication',
  ]);
});

test('ikev2: a gateway needs serverAuth; an IP-only gateway is a warning (Windows error 13801)', () => {
  assert.deepEqual(brief(runPreflight(plan({ extendedKeyUsage: ['clientAuth'], sans: [{ type: 'ip', value: '192.0.2.1' }] }), ['ikev2-server'])), [
    "error ikev2-server profile: no serverAuth extended key usage (1.3.6.1.5.5.7.3.1): Windows' IKEv2 client refuses a VPN gateway certificate without it",
    'warning ikev2-server sans: no dNSName, only an IP address: Windows IKEv2 clients do not match an iPAddress name (error 13801); give the gateway a DNS name',
  ]);
  assert.deepEqual(brief(runPreflight(plan(), ['ikev2-client'])), [
    'error ikev2-client profile: no clientAuth extended key usage (1.3.6.1.5.5.7.3.2): Windows VPN servers accept only a client certificate with the Client Authentication purpose',
  ]);
});

test('smime: without emailProtection, longer than 825 days, without an HTTP CRL distribution point', () => {
  const mail = { sans: [{ type: 'email' as const, value: 'zoe@example.com' }], extendedKeyUsage: ['emailProtection' as const], subject: [{ oid: CN, value: 'Zoe' }] };
  assert.deepEqual(runPreflight(plan(mail), ['smime']), []);
  assert.deepEqual(brief(runPreflight(plan({ ...mail, extendedKeyUsage: ['clientAuth'] }), ['smime'])), [
    'error smime profile: no emailProtection extended key usage (1.3.6.1.5.5.7.3.4): mail clients do not use a certificate for S/MIME without it',
  ]);
  const long = runPreflight(plan({ ...mail, days: 1000 }), ['smime']);
  assert.deepEqual(brief(long), [
    'error smime days: the certificate would be valid 1000 days 5 minutes (notAfter - notBefore, the clock-skew back-dating included); the S/MIME Baseline Requirements allow certificates valid at most 825 days: choose at most 824 days',
  ]);
  assert.equal(long[0]!.source, SOURCES.smimeValidity);
  assert.deepEqual(runPreflight(plan({ ...mail, crlUrl: null }), ['smime']), [
    {
      target: 'smime',
      field: 'ca',
      severity: 'warning',
      message: 'no CRL distribution point: the CA "CN=Test CA" has no CRL URL, so mail clients cannot check revocation; give the CA an http:// CRL URL',
      source: SOURCES.smimeCrl,
    },
  ]);
  assert.deepEqual(brief(runPreflight(plan({ ...mail, crlUrl: 'https://pki.example.com/ca.crl' }), ['smime'])), [
    'warning smime ca: the CRL distribution point "https://pki.example.com/ca.crl" is not an http:// URL: the S/MIME rules ask for plain HTTP (an https:// CRL needs a revocation check of its own)',
  ]);
  assert.deepEqual(brief(runPreflight(plan({ ...mail, sans: [], keyType: 'rsa-2048', keyUsage: ['digitalSignature', 'keyAgreement'] }), ['smime'])), [
    'error smime sans: no e-mail address (rfc822Name) in the subject alternative names: mail clients match the sender against it',
    'error smime profile: keyUsage lacks keyEncipherment (it has digitalSignature, keyAgreement): S/MIME signs with the rsa-2048 key and encrypts to it (RSA: keyEncipherment)',
  ]);
});

test('rfc5280 for every certificate: name lengths, a name when the subject is empty, a fresh serial, validity inside the issuer', () => {
  const found = runPreflight(
    plan({
      subject: [
        { oid: '2.5.4.6', value: 'DEU' },
        { oid: '2.5.4.10', value: 'O'.repeat(65) },
      ],
      sans: [],
      serialInUse: true,
      notBefore: new Date('2024-12-31T00:00:00Z'),
      notAfter: new Date('2035-01-02T00:00:00Z'),
    }),
    [],
  );
  assert.deepEqual(brief(found), [
    'error rfc5280 subject: the country "DEU" is 3 characters long; it is a two-letter code',
    'error rfc5280 subject: the organization is 65 characters long; at most 64',
    'error rfc5280 serial: the serial is already used by another certificate of CN=Test CA',
    'error rfc5280 days: the certificate would start 2024-12-31T00:00:00.000Z, before its issuer CN=Test CA starts 2025-01-01T00:00:00.000Z',
    'error rfc5280 days: the certificate would end 2035-01-02T00:00:00.000Z, after its issuer CN=Test CA ends 2035-01-01T00:00:00.000Z',
  ]);
  assert.deepEqual(brief(runPreflight(plan({ subject: [], sans: [] }), [])), [
    'error rfc5280 sans: the subject is empty and there is no subject alternative name: the certificate would name no one',
  ]);
  assert.deepEqual(runPreflight(plan({ subject: [], sans: [{ type: 'dns', value: 'a.example.com' }] }), []), []);
});

test('the gate: an error stops without a reason, passes with one and returns what was overridden; warnings never stop', () => {
  const errors = runPreflight(plan({ days: 1095, extendedKeyUsage: ['clientAuth'] }), ['apple-tls']);
  assert.throws(
    () => gatePreflight(errors, undefined),
    certErr(
      'PROFILE_VIOLATION',
      'preflight: 2 errors stop this certificate: apple-tls days: the certificate would be valid 1095 days 5 minutes',
      '; apple-tls profile: no serverAuth extended key usage',
      'override with a reason (--override "REASON"; in the wizard: Issue anyway)',
    ),
  );
  assert.throws(() => gatePreflight(errors, '   '), certErr('PROFILE_VIOLATION', 'preflight: 2 errors stop'));
  const passed = gatePreflight(errors, '  lab only ');
  assert.deepEqual(passed, { findings: errors, override: { reason: 'lab only', findings: errors } });
  assert.deepEqual(preflightAudit(passed), { findings: errors, override: { reason: 'lab only', findings: errors } });
  const warning = runPreflight(plan({ sans: [{ type: 'ip', value: '192.0.2.1' }] }), ['ikev2-server']);
  assert.deepEqual(gatePreflight(warning, undefined), { findings: warning, override: null });
  assert.deepEqual(preflightAudit({ findings: [], override: null }), {});
  assert.throws(() => checkOverrideReason('lab\nonly'), certErr('INVALID_INPUT', 'override: the reason must be one line without control characters'));
  assert.throws(() => checkOverrideReason('x'.repeat(501)), certErr('INVALID_INPUT', 'override: the reason is at most 500 characters, got 501'));
});

test('targets: defaults by profile when a definition has none, an explicit list wins, unknown or repeated names are refused', () => {
  const byId = Object.fromEntries(BUILTIN_PROFILES.map((p) => [p.id, profileTargets(p)]));
  assert.deepEqual(byId, { user: [], device: [], server: ['apple-tls'], mail: ['smime'], vpn: ['openvpn-client'], kdc: [] });
  assert.deepEqual(Object.keys(DEFAULT_TARGETS), ['user', 'device', 'server', 'mail', 'vpn', 'kdc']);
  const server = BUILTIN_PROFILES.find((p) => p.id === 'server')!;
  assert.deepEqual(profileTargets({ ...server, targets: ['radius-eap-tls'] }), ['radius-eap-tls']);
  assert.deepEqual(profileTargets({ ...server, targets: [] }), []);
  assert.throws(() => checkTargets(['apple-tls', 'nope']), certErr('INVALID_INPUT', 'targets[1]: "nope" is not a target (use apple-tls, radius-eap-tls,'));
  assert.throws(() => checkTargets(['smime', 'smime']), certErr('INVALID_INPUT', 'targets[1]: "smime" is listed twice'));
  assert.throws(() => checkTargets('smime'), certErr('INVALID_INPUT', 'targets: a list of target names'));
});

test('the built-in profiles pass their own default targets with their default validity', () => {
  for (const p of BUILTIN_PROFILES) {
    const sans = p.sanRequireOneOf.includes('email') || p.id === 'mail' ? [{ type: 'email' as const, value: 'a@example.com' }] : [{ type: 'dns' as const, value: 'a.example.com' }];
    const found = runPreflight(plan({ days: p.validityDays, sans, keyUsage: p.keyUsage, keyType: 'rsa-2048', extendedKeyUsage: p.extendedKeyUsage }), profileTargets(p));
    assert.deepEqual(found.filter((f) => f.severity === 'error'), [], p.id);
  }
});
