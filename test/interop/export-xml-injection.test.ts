// Holder names with XML markup in a hand-over bundle (issue 11): iis-mapping.xml and the .mobileconfig are
// serialised by xmlbuilder2, so a name that closes a comment ("-->"), opens an element or a CDATA end, or
// holds & and quotes, is text: Python's XML parsers (not ours) see exactly the expected elements and
// comments, and read the holder back unchanged. Text XML cannot carry is refused naming the field.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { iisMappingXml } from '../../electron/core/export/iis.js';
import { buildMobileconfig } from '../../electron/core/export/mobileconfig.js';
import { certErr, newVault } from '../helpers/engine-vault.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';

const HOLDERS = [
  'Zoe --> <evil attr="1"/> <!-- x',
  'R&D <Team> "quoted" \'single\'',
  'end ]]> of CDATA &amp; &#60;',
  'refs &#1; &#0; &undefined; &lt;b&gt; &#x3c;',
  '<?xml-stylesheet href="x"?> Ünïcödé 東京 𝒜',
];

/** Every node of the document in order, as minidom sees it: ["element", name, attributes] or ["comment", text]. */
const NODES = `
import json, sys, xml.dom.minidom as M
doc = M.parse(sys.argv[1])
out = []
def walk(n):
    for c in n.childNodes:
        if c.nodeType == c.ELEMENT_NODE:
            out.append(["element", c.tagName, dict(c.attributes.items())]); walk(c)
        elif c.nodeType == c.COMMENT_NODE:
            out.append(["comment", c.data])
        elif c.nodeType == c.TEXT_NODE and c.data.strip():
            out.append(["text", c.data])
        elif c.nodeType not in (c.TEXT_NODE,):
            out.append(["other", c.nodeType])
walk(doc)
print(json.dumps(out))
`;

const PLIST = `
import json, plistlib, sys
with open(sys.argv[1], "rb") as f: p = plistlib.load(f, fmt=plistlib.FMT_XML)
ident = p["PayloadContent"][0]
print(json.dumps({"top": p["PayloadDisplayName"], "desc": p["PayloadDescription"], "org": p.get("PayloadOrganization"),
  "name": ident["PayloadDisplayName"], "identDesc": ident["PayloadDescription"], "types": [c["PayloadType"] for c in p["PayloadContent"]]}))
`;

type Node = ['element', string, Record<string, string>] | ['comment', string] | ['text', string] | ['other', number];

test('bundles of holders with XML markup: iis-mapping.xml and the .mobileconfig parse to exactly the expected tree, the holder round-trips', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'python3')) return;
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'Users', subject: 'CN=XML Users CA,O=R&D \\<Labs\\>', keyType: 'ec-p256', days: 3650 });
  const out = join(dir, 'stick');
  mkdirSync(out);
  for (const holder of HOLDERS) {
    const { record } = await issueCertificate(vault, { ca: 'Users', profile: 'user', name: holder, sans: [{ type: 'email', value: 'zoe@example.com' }], keyType: 'ec-p256' });
    const { summary } = await exportBundle(vault, { cert: String(record.id), outDir: out });
    const files = readdirSync(summary.folder);

    const nodes = JSON.parse(runOk('python3', ['-c', NODES, join(summary.folder, 'iis-mapping.xml')]).stdout) as Node[];
    const b64 = Buffer.from(record.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const note = ' Add the password attribute of this Windows account on the server (IIS Manager encrypts it); CertDesk never writes it. ';
    assert.deepEqual(nodes, [
      ['comment', ' CertDesk: IIS client certificate mapping, for system.webServer/security/authentication '],
      ['element', 'iisClientCertificateMappingAuthentication', { enabled: 'true', oneToOneCertificateMappingsEnabled: 'true', manyToOneCertificateMappingsEnabled: 'true' }],
      ['element', 'oneToOneMappings', {}],
      ['comment', note],
      ['element', 'add', { enabled: 'true', userName: 'DOMAIN\\user', certificate: b64 }],
      ['element', 'manyToOneMappings', {}],
      ['comment', note],
      ['element', 'add', { name: holder, enabled: 'true', permissionMode: 'Allow', userName: 'DOMAIN\\user' }],
      ['element', 'rules', {}],
      ['element', 'add', { certificateField: 'Issuer', certificateSubField: 'CN', matchCriteria: 'XML Users CA', compareCaseSensitive: 'true' }],
      ['element', 'add', { certificateField: 'Subject', certificateSubField: 'CN', matchCriteria: holder, compareCaseSensitive: 'true' }],
      ['comment', ` The certificate as single-line Base64 (web.config certificate=""): ${b64.length} characters `],
    ], holder);

    const profile = files.find((f) => f.endsWith('.mobileconfig'));
    assert.ok(profile, 'the bundle has a .mobileconfig');
    const p = JSON.parse(runOk('python3', ['-c', PLIST, join(summary.folder, profile)]).stdout) as Record<string, unknown>;
    assert.deepEqual(p, {
      top: `Certificate for ${holder}`,
      desc: `Installs the client certificate of ${holder} and the certificate authorities it chains to. You will be asked for the certificate password, which you received separately.`,
      org: 'R&D <Labs>',
      name: holder,
      identDesc: `Client certificate and private key of ${holder}`,
      types: ['com.apple.security.pkcs12', 'com.apple.security.root'],
    }, holder);
  }
});

test('text XML cannot carry is refused naming the field, never dropped or changed', async () => {
  const f = await fixture('ec-p256');
  const ok = { pfx: new Uint8Array([1, 2, 3]), pfxFileName: 'zoe.pfx', caCertificates: [f.chain[0]!], holder: 'Zoe', organization: null };
  for (const bad of ['a\u0001b', 'a\rb', 'a\u001fb', 'a\u007fb', 'a\ufffeb', 'a\ud800b', 'a\udc00b']) {
    assert.throws(() => buildMobileconfig({ ...ok, holder: bad }), certErr('INVALID_INPUT', 'holder: contains a control character'), JSON.stringify(bad));
    assert.throws(() => buildMobileconfig({ ...ok, organization: bad }), certErr('INVALID_INPUT', 'organization: contains a control character'), JSON.stringify(bad));
    assert.throws(() => iisMappingXml({ der: f.leaf, name: bad, issuer: 'CN=A', subject: 'CN=B' }), certErr('INVALID_INPUT', 'name: contains a control character'), JSON.stringify(bad));
  }
  // In an attribute, TAB and LF would be read back as spaces: refused there, kept in element text.
  for (const bad of ['a\tb', 'a\nb']) assert.throws(() => iisMappingXml({ der: f.leaf, name: bad, issuer: 'CN=A', subject: 'CN=B' }), certErr('INVALID_INPUT', 'name: contains a control character'));
  assert.match(buildMobileconfig({ ...ok, holder: 'Zoe\tand\nBob' }), /<string>Zoe\tand\nBob<\/string>/);
  // A surrogate pair is a character, not a broken one.
  assert.match(buildMobileconfig({ ...ok, holder: '𝒜 Zoe' }), /<string>𝒜 Zoe<\/string>/);
});
