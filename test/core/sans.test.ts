import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { San, SanType } from '../../shared/domain.js';
import { CertDeskError } from '../../shared/errors.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { dedupeSans, deviceIdUrn, normalizeSan, sansFromCertificate, toGeneralNames } from '../../electron/core/pki/sans.js';

const norm = (type: SanType, value: string) => normalizeSan({ type, value }).value;

/** Asserts normalizeSan throws INVALID_NAME whose message names the type, the value and each piece. */
function rejects(type: SanType, value: string, ...pieces: string[]): void {
  assert.throws(
    () => normalizeSan({ type, value }),
    (e: unknown) => {
      assert.ok(e instanceof CertDeskError, `expected CertDeskError, got ${String(e)}`);
      assert.equal(e.code, 'INVALID_NAME');
      assert.equal(e.details?.field, 'sans');
      for (const p of [type, value.trim(), ...pieces]) assert.ok(e.message.includes(p), `"${e.message}" should mention ${JSON.stringify(p)}`);
      return true;
    },
    `normalizeSan(${type}, ${JSON.stringify(value)}) should throw`,
  );
}

test('email: ASCII local part kept, domain lower-cased and in punycode', () => {
  assert.equal(norm('email', ' Alice.Smith+tag@Example.COM '), 'Alice.Smith+tag@example.com');
  assert.equal(norm('email', 'zoe@BÜCHER.example'), 'zoe@xn--bcher-kva.example');
  rejects('email', 'alice', 'local@domain');
  rejects('email', '@example.com', 'local@domain');
  rejects('email', 'alice@', 'local@domain');
  rejects('email', 'zoë@example.com', 'ASCII');
  rejects('email', 'a..b@example.com', '"a..b"');
  rejects('email', '"quoted"@example.com', 'unquoted');
  rejects('email', 'alice@exa_mple.com', 'domain', '"exa_mple"');
  rejects('email', `${'a'.repeat(65)}@example.com`, 'maximum is 64');
  rejects('email', `alice@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`, 'maximum is 254');
});

test('upn: UTF-8 user part allowed, domain lower-cased', () => {
  assert.equal(norm('upn', 'Zoë.Müller@Corp.Example'), 'Zoë.Müller@corp.example');
  assert.equal(norm('upn', 'alice@corp.example.'), 'alice@corp.example');
  rejects('upn', 'alice', 'user@domain');
  rejects('upn', 'al ice@corp.example', 'white space');
  rejects('upn', 'alice@corp..example', 'empty label');
});

test('dns: LDH labels, lower case, IDN to punycode, one leading wildcard', () => {
  assert.equal(norm('dns', 'WWW.Example.COM.'), 'www.example.com');
  assert.equal(norm('dns', '*.Example.com'), '*.example.com');
  assert.equal(norm('dns', 'bücher.example'), 'xn--bcher-kva.example');
  assert.equal(norm('dns', 'localhost'), 'localhost');
  assert.equal(norm('dns', `${'a'.repeat(63)}.example`), `${'a'.repeat(63)}.example`);
  rejects('dns', '*.*.example.com', 'wildcard');
  rejects('dns', 'www.*.example.com', 'wildcard');
  rejects('dns', 'w*.example.com', 'wildcard');
  rejects('dns', '*', 'wildcard');
  rejects('dns', `${'a'.repeat(64)}.example`, 'maximum is 63');
  rejects('dns', Array(64).fill('abc').join('.'), 'maximum is 253');
  rejects('dns', 'under_score.example', '"under_score"');
  rejects('dns', '-lead.example', '"-lead"');
  rejects('dns', 'trail-.example', '"trail-"');
  rejects('dns', 'a..example', 'empty label');
  rejects('dns', 'host name.example', '"host name"');
  rejects('dns', '192.0.2.1', 'use an ip SAN');
});

test('ip: IPv4 and IPv6, IPv6 compressed and lower-cased', () => {
  assert.equal(norm('ip', '192.0.2.1'), '192.0.2.1');
  assert.equal(norm('ip', '2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(norm('ip', '2001:0db8:0000:0001:0000:0000:0000:0001'), '2001:db8:0:1::1');
  assert.equal(norm('ip', '::1'), '::1');
  assert.equal(norm('ip', '::ffff:192.0.2.1'), '::ffff:c000:201');
  rejects('ip', '192.0.2.256', 'not an IPv4 or IPv6');
  rejects('ip', '192.0.02.1', 'not an IPv4 or IPv6');
  rejects('ip', '192.0.2.0/24', 'not an IPv4 or IPv6');
  rejects('ip', 'fe80::1%eth0', 'zone');
  rejects('ip', 'example.com', 'not an IPv4 or IPv6');
});

test('uri: absolute with a scheme, no white space', () => {
  assert.equal(norm('uri', 'HTTPS://example.com/Path'), 'https://example.com/Path');
  assert.equal(norm('uri', 'urn:uuid:123e4567-e89b-12d3-a456-426614174000'), 'urn:uuid:123e4567-e89b-12d3-a456-426614174000');
  assert.equal(norm('uri', 'spiffe://trust.example/ns/prod/sa/web'), 'spiffe://trust.example/ns/prod/sa/web');
  rejects('uri', 'relative/path', 'absolute URI');
  rejects('uri', 'https://exa mple.com/', 'white space');
  rejects('uri', 'https://example.com/ä', 'ASCII');
  rejects('uri', 'urn:', 'absolute URI');
  rejects('uri', 'http://[bad/', 'absolute URI');
});

test('device: 1 to 64 PrintableString characters', () => {
  assert.equal(norm('device', ' SN-12345/B (rev 2) '), 'SN-12345/B (rev 2)');
  assert.equal(norm('device', 'a'.repeat(64)), 'a'.repeat(64));
  rejects('device', 'dev_1', '"_"');
  rejects('device', 'Gerät', '"ä"');
  rejects('device', 'a'.repeat(65), '1 to 64');
});

test('empty values and unknown types are rejected', () => {
  assert.throws(() => normalizeSan({ type: 'dns', value: '  ' }), /dns SAN " {2}": empty value/);
  assert.throws(() => normalizeSan({ type: 'x400' as SanType, value: 'x' }), /x400 SAN "x": unknown SAN type/);
});

test('deviceIdUrn: UUID, IMEI and MAC address forms', () => {
  assert.equal(deviceIdUrn('123E4567-E89B-12D3-A456-426614174000'), 'urn:uuid:123e4567-e89b-12d3-a456-426614174000');
  // RFC 7254 writes an IMEI as TAC-SNR-spare under the "gsma" namespace.
  assert.equal(deviceIdUrn('490154203237518'), 'urn:gsma:imei:49015420-323751-8');
  assert.equal(deviceIdUrn('49015420-323751-8'), 'urn:gsma:imei:49015420-323751-8');
  assert.equal(deviceIdUrn('490154203237510'), 'urn:gsma:imei:49015420-323751-0'); // spare digit sent as 0
  assert.equal(deviceIdUrn('490154203237517'), null); // bad check digit: just a 15-digit number
  assert.equal(deviceIdUrn('00:1A:2B:3C:4D:5E'), 'urn:dev:mac:001a2b3c4d5e');
  assert.equal(deviceIdUrn('00-1a-2b-3c-4d-5e'), 'urn:dev:mac:001a2b3c4d5e');
  assert.equal(deviceIdUrn('001A2B3C4D5E'), 'urn:dev:mac:001a2b3c4d5e');
  assert.equal(deviceIdUrn('00:1A-2B:3C:4D:5E'), null); // mixed separators
  assert.equal(deviceIdUrn('SN-12345'), null);
  assert.equal(deviceIdUrn('123e4567e89b12d3a456426614174000'), null); // UUIDs need their hyphens
});

test('toGeneralNames maps types, normalises, de-duplicates and drops device ids without a URN', () => {
  const sans: San[] = [
    { type: 'email', value: 'Zoe@Example.com' },
    { type: 'upn', value: 'zoe@CORP.example' },
    { type: 'dns', value: 'Host.Example' },
    { type: 'dns', value: 'host.example.' },
    { type: 'ip', value: '2001:DB8::1' },
    { type: 'uri', value: 'https://example.com/' },
    { type: 'device', value: '123e4567-e89b-12d3-a456-426614174000' },
    { type: 'uri', value: 'urn:uuid:123e4567-e89b-12d3-a456-426614174000' },
    { type: 'device', value: 'SN-12345' },
  ];
  assert.deepEqual(toGeneralNames(sans), [
    { type: 'email', value: 'Zoe@example.com' },
    { type: 'upn', value: 'zoe@corp.example' },
    { type: 'dns', value: 'host.example' },
    { type: 'ip', value: '2001:db8::1' },
    { type: 'url', value: 'https://example.com/' },
    { type: 'url', value: 'urn:uuid:123e4567-e89b-12d3-a456-426614174000' },
  ]);
  assert.throws(() => toGeneralNames([{ type: 'dns', value: 'bad_name' }]), /dns SAN "bad_name"/);
});

test('a UPN is an otherName 1.3.6.1.4.1.311.20.2.3 holding a UTF8String in [0] EXPLICIT', () => {
  const [gn] = toGeneralNames([{ type: 'upn', value: 'zoë@corp.example' }]);
  const der = Buffer.from(new x509.GeneralName(gn!.type, gn!.value).rawData).toString('hex');
  const value = Buffer.from('zoë@corp.example');
  const oid = '060a2b060104018237140203';
  const utf8 = `0c${value.length.toString(16).padStart(2, '0')}${value.toString('hex')}`;
  const explicit = `a0${(utf8.length / 2).toString(16).padStart(2, '0')}${utf8}`;
  // otherName is [0] IMPLICIT SEQUENCE { type-id, [0] EXPLICIT value }.
  assert.equal(der, `a0${((oid.length + explicit.length) / 2).toString(16).padStart(2, '0')}${oid}${explicit}`);
});

test('IPv4-mapped IPv6 addresses survive encoding (x509 would mis-encode the dotted form)', () => {
  const [gn] = toGeneralNames([{ type: 'ip', value: '::ffff:192.0.2.1' }]);
  const der = Buffer.from(new x509.GeneralName(gn!.type, gn!.value).rawData).toString('hex');
  assert.equal(der, '871000000000000000000000ffffc0000201');
});

test('sansFromCertificate reads back what toGeneralNames wrote', () => {
  assert.deepEqual(sansFromCertificate(undefined), []);
  const written = toGeneralNames([
    { type: 'email', value: 'zoe@example.com' },
    { type: 'upn', value: 'Zoë@corp.example' },
    { type: 'dns', value: '*.example.com' },
    { type: 'ip', value: '192.0.2.1' },
    { type: 'ip', value: '2001:db8::1' },
    { type: 'uri', value: 'https://example.com/x' },
    { type: 'device', value: '00:1a:2b:3c:4d:5e' },
  ]);
  const ext = new x509.SubjectAlternativeNameExtension(new x509.SubjectAlternativeNameExtension(written).rawData);
  assert.deepEqual(sansFromCertificate(ext), [
    { type: 'email', value: 'zoe@example.com' },
    { type: 'upn', value: 'Zoë@corp.example' },
    { type: 'dns', value: '*.example.com' },
    { type: 'ip', value: '192.0.2.1' },
    { type: 'ip', value: '2001:db8::1' },
    { type: 'uri', value: 'https://example.com/x' },
    { type: 'uri', value: 'urn:dev:mac:001a2b3c4d5e' },
  ]);
});

test('sansFromCertificate skips kinds it does not map (directoryName, GUID, registeredID)', () => {
  const ext = new x509.SubjectAlternativeNameExtension([
    { type: 'dn', value: 'CN=x' },
    { type: 'guid', value: '{8ee13e53-2c1c-42bb-8df7-39927c0bdbb6}'.slice(1, -1) },
    { type: 'id', value: '1.2.3.4' },
    { type: 'dns', value: 'kept.example' },
  ]);
  assert.deepEqual(sansFromCertificate(new x509.SubjectAlternativeNameExtension(ext.rawData)), [{ type: 'dns', value: 'kept.example' }]);
});

test('dedupeSans normalises and keeps the first of each, in order', () => {
  assert.deepEqual(
    dedupeSans([
      { type: 'dns', value: 'B.example' },
      { type: 'dns', value: 'a.example' },
      { type: 'dns', value: 'b.example.' },
      { type: 'ip', value: '2001:db8:0::1' },
      { type: 'ip', value: '2001:DB8::1' },
      { type: 'email', value: 'a@A.example' },
      { type: 'email', value: 'A@a.example' }, // local parts are case-sensitive
    ]),
    [
      { type: 'dns', value: 'b.example' },
      { type: 'dns', value: 'a.example' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'a@a.example' },
      { type: 'email', value: 'A@a.example' },
    ],
  );
  assert.throws(() => dedupeSans([{ type: 'dns', value: 'ok.example' }, { type: 'email', value: 'nope' }]), /email SAN "nope"/);
});
