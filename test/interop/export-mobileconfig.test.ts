// The Apple configuration profile, read back by Python's plistlib (an independent XML plist parser):
// structure, exact PFX and CA bytes, and no password anywhere.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildMobileconfig, type MobileconfigInput } from '../../electron/core/export/mobileconfig.js';
import { buildPfx } from '../../electron/core/pki/pkcs12.js';
import { CertDeskError } from '../../shared/errors.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASSWORD = 'Kp7#vR=q2@xN_m4s';

/** plistlib's view of the file as JSON; <data> becomes {"$data": base64}. */
const READ_PLIST = `
import base64, json, plistlib, sys
def conv(v):
    if isinstance(v, bytes): return {"$data": base64.b64encode(v).decode()}
    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list): return [conv(x) for x in v]
    return v
with open(sys.argv[1], "rb") as f:
    print(json.dumps(conv(plistlib.load(f, fmt=plistlib.FMT_XML))))
`;

type Plist = Record<string, unknown>;

function readPlist(dir: string, xml: string): Plist {
  const file = join(dir, 'profile.mobileconfig');
  writeFileSync(file, xml);
  return JSON.parse(runOk('python3', ['-c', READ_PLIST, file]).stdout) as Plist;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const dataOf = (v: unknown): string => (v as { $data: string }).$data;

function keysDeep(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keysDeep(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(k), keysDeep(x, out);
  return out;
}

async function input(over: Partial<MobileconfigInput> = {}): Promise<MobileconfigInput> {
  const f = await fixture('ec-p256');
  const pfx = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PASSWORD, encryption: 'legacy', friendlyName: 'zoe' });
  // The fixture's leaf is signed by its CA, so it stands in for an intermediate (not self-signed).
  return { pfx, pfxFileName: 'zoe-phone.pfx', caCertificates: [f.leaf, f.chain[0]!], holder: 'Zoë <Müller> & Co', organization: 'R&D "Labs"', ...over };
}

const UUID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

test('plistlib reads the profile: top level, the PKCS#12 payload and one payload per CA', async (t) => {
  if (!needTools(t, 'python3')) return;
  const dir = tempDir(t);
  const inp = await input();
  const xml = buildMobileconfig(inp);
  const p = readPlist(dir, xml);

  assert.equal(p.PayloadType, 'Configuration');
  assert.equal(p.PayloadVersion, 1);
  assert.match(String(p.PayloadIdentifier), /^local\.certdesk\.[0-9A-F-]{36}$/);
  assert.match(String(p.PayloadUUID), UUID_RE);
  assert.equal(p.PayloadDisplayName, 'Certificate for Zoë <Müller> & Co');
  assert.equal(p.PayloadOrganization, 'R&D "Labs"');
  assert.equal(typeof p.PayloadDescription, 'string');

  const content = p.PayloadContent as Plist[];
  assert.deepEqual(
    content.map((c) => c.PayloadType),
    ['com.apple.security.pkcs12', 'com.apple.security.pkcs1', 'com.apple.security.root'],
  );
  const [identity, intermediate, root] = content as [Plist, Plist, Plist];
  assert.equal(dataOf(identity.PayloadContent), b64(inp.pfx), 'the PFX bytes changed');
  assert.equal(identity.PayloadCertificateFileName, 'zoe-phone.pfx');
  assert.equal(dataOf(intermediate.PayloadContent), b64(inp.caCertificates[0] as Uint8Array));
  assert.equal(dataOf(root.PayloadContent), b64(inp.caCertificates[1] as Uint8Array));
  assert.equal(root.PayloadDisplayName, 'PKCS12 Test CA ec-p256');

  const uuids = [p, ...content].map((c) => String(c.PayloadUUID));
  for (const u of uuids) assert.match(u, UUID_RE);
  assert.equal(new Set(uuids).size, uuids.length, 'payload UUIDs must be distinct');
  const ids = [p, ...content].map((c) => String(c.PayloadIdentifier));
  assert.equal(new Set(ids).size, ids.length, 'payload identifiers must be distinct');
  for (const c of content) {
    assert.equal(c.PayloadVersion, 1);
    assert.ok(String(c.PayloadIdentifier).startsWith(`${String(p.PayloadIdentifier)}.`));
  }

  // The device asks for the password: it is never in the file.
  assert.ok(!keysDeep(p).some((k) => /password/i.test(k)), 'a Password key is in the profile');
  assert.ok(!xml.includes(PASSWORD));
  assert.doesNotMatch(xml, /Password<\/key>/i);
  // Base64 lines are wrapped (Apple's tools choke on one huge line in some versions).
  assert.ok(xml.split('\n').every((l) => l.trim().length <= 64 || !/^[A-Za-z0-9+/=]+$/.test(l.trim())));
});

test('a given identifier is used (a renewal replaces the installed profile), no organisation is left out', async (t) => {
  if (!needTools(t, 'python3')) return;
  const dir = tempDir(t);
  const p = readPlist(dir, buildMobileconfig(await input({ identifier: 'com.example.certs.zoe', organization: null })));
  assert.equal(p.PayloadIdentifier, 'com.example.certs.zoe');
  assert.ok(!('PayloadOrganization' in p));
  assert.ok(!buildMobileconfig(await input({ organization: ' ' })).includes('PayloadOrganization'));
  const two = [buildMobileconfig(await input()), buildMobileconfig(await input())].map((x) => /<key>PayloadUUID<\/key>\s*<string>([^<]+)</.exec(x)![1]);
  assert.notEqual(two[0], two[1], 'each profile gets a fresh UUID');
});

test('bad input is refused naming the field', async () => {
  const bad = (pattern: RegExp) => (e: unknown) => e instanceof CertDeskError && e.code === 'INVALID_INPUT' && pattern.test(e.message);
  const ok = await input();
  assert.throws(() => buildMobileconfig({ ...ok, pfx: new Uint8Array(0) }), bad(/^pfx: empty/));
  assert.throws(() => buildMobileconfig({ ...ok, holder: '' }), bad(/^holder: empty/));
  assert.throws(() => buildMobileconfig({ ...ok, holder: 'a\u0001b' }), bad(/^holder: contains a control character/));
  assert.throws(() => buildMobileconfig({ ...ok, identifier: 'not an identifier' }), bad(/^identifier: /));
  assert.throws(() => buildMobileconfig({ ...ok, caCertificates: [new Uint8Array([1, 2, 3])] }), bad(/^caCertificates\[0\]: not a DER X\.509/));
});
