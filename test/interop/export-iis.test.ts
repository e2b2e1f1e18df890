// IIS client certificate mapping snippets: single-line Base64 of the DER, well-formed XML (checked by
// Python's XML parser, not ours) whose attributes read back exactly, and never a password.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { iisCertificateBase64, iisManyToOneRule, iisOneToOneSnippet } from '../../electron/core/export/iis.js';
import { CertDeskError } from '../../shared/errors.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Puts the snippet where IIS reads it, parses the document with ElementTree (minidom checks the
 * snippet alone) and prints every <add> with its attributes, in document order.
 */
const PARSE = `
import json, sys, xml.dom.minidom, xml.etree.ElementTree as ET
snippet, section = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
xml.dom.minidom.parseString(snippet)
doc = ('<?xml version="1.0" encoding="UTF-8"?><configuration><system.webServer><security><authentication>'
       '<iisClientCertificateMappingAuthentication enabled="true"><%s>%s</%s>'
       '</iisClientCertificateMappingAuthentication></authentication></security></system.webServer></configuration>') % (section, snippet, section)
root = ET.fromstring(doc.encode("utf-8"))
print(json.dumps([dict(e.attrib) for e in root.iter("add")]))
`;

function parse(dir: string, snippet: string, section: string): Record<string, string>[] {
  const file = join(dir, `${section}.xml`);
  writeFileSync(file, snippet);
  return JSON.parse(runOk('python3', ['-c', PARSE, file, section]).stdout) as Record<string, string>[];
}

const invalid = (pattern: RegExp) => (e: unknown) => e instanceof CertDeskError && e.code === 'INVALID_INPUT' && pattern.test(e.message);

test('the certificate as single-line Base64 decodes to the DER', async () => {
  const { leaf } = await fixture('rsa-2048');
  const b64 = iisCertificateBase64(leaf);
  assert.match(b64, /^[A-Za-z0-9+/]+=*$/, 'one line, no header, no line breaks');
  assert.ok(b64.length > 64, 'long enough that a PEM would have wrapped it');
  assert.deepEqual(new Uint8Array(Buffer.from(b64, 'base64')), leaf);
  assert.throws(() => iisCertificateBase64(new Uint8Array([1, 2, 3])), invalid(/^certificate: not a DER X\.509 certificate/));
});

test('one-to-one: well-formed, the user and certificate read back, a comment about the password', async (t) => {
  if (!needTools(t, 'python3')) return;
  const dir = tempDir(t);
  const { leaf } = await fixture('rsa-2048');
  const snippet = iisOneToOneSnippet({ der: leaf, userName: 'CORP\\zoe & "co" <x>' });
  assert.deepEqual(parse(dir, snippet, 'oneToOneMappings'), [
    { enabled: 'true', userName: 'CORP\\zoe & "co" <x>', certificate: iisCertificateBase64(leaf) },
  ]);
  assert.match(snippet, /<!--[^]*password attribute[^]*never writes it[^]*-->/);
  assert.doesNotMatch(snippet, /password="/);
  // Without a user name, a placeholder the administrator replaces.
  assert.equal(parse(dir, iisOneToOneSnippet({ der: leaf }), 'oneToOneMappings')[0]!.userName, 'DOMAIN\\user');
});

test('many-to-one: well-formed, Allow, issuer CN and subject CN rules, values escaped', async (t) => {
  if (!needTools(t, 'python3')) return;
  const dir = tempDir(t);
  const snippet = iisManyToOneRule({
    name: 'Users of "R&D" <CA>',
    issuer: 'CN=R&D Users CA,O=Example Ltd,C=GB',
    subject: 'CN=Zoë Müller,O=Example Ltd,C=GB',
    userName: 'CORP\\svc-web',
  });
  assert.deepEqual(parse(dir, snippet, 'manyToOneMappings'), [
    { name: 'Users of "R&D" <CA>', enabled: 'true', permissionMode: 'Allow', userName: 'CORP\\svc-web' },
    { certificateField: 'Issuer', certificateSubField: 'CN', matchCriteria: 'R&D Users CA', compareCaseSensitive: 'true' },
    { certificateField: 'Subject', certificateSubField: 'CN', matchCriteria: 'Zoë Müller', compareCaseSensitive: 'true' },
  ]);
  assert.doesNotMatch(snippet, /password="/);
  // A subject without "=" is a CN pattern with IIS wildcards.
  const all = parse(dir, iisManyToOneRule({ name: 'all users', issuer: 'CN=Example Users CA,O=Example Ltd,C=GB', subject: '*' }), 'manyToOneMappings');
  assert.equal(all[2]!.matchCriteria, '*');
  assert.equal(all[0]!.userName, 'DOMAIN\\user');
});

test('bad input is refused naming the field', () => {
  assert.throws(() => iisManyToOneRule({ name: '', issuer: 'CN=A', subject: '*' }), invalid(/^name: empty/));
  assert.throws(() => iisManyToOneRule({ name: 'n', issuer: 'O=No CN', subject: '*' }), invalid(/^issuer: has no CN/));
  assert.throws(() => iisManyToOneRule({ name: 'n', issuer: 'CN=A', subject: 'O=x' }), invalid(/^subject: has no CN/));
  assert.throws(() => iisManyToOneRule({ name: 'n\u0000', issuer: 'CN=A', subject: '*' }), invalid(/^name: contains a control character/));
  assert.throws(() => iisOneToOneSnippet({ der: new Uint8Array(0), userName: 'x' }), invalid(/^certificate: /));
  assert.throws(() => iisOneToOneSnippet({ der: new Uint8Array([0x30]), userName: ' ' }), invalid(/^userName: empty/));
});
