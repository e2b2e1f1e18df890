// bundle-content.ts parses the leaf once (export/parsed-certificate.ts), makes one AD mapping for both files and the
// sheet, reuses the chain's pkijs objects and the batch's mobileconfig CA facts. These tests prove the bundle is the
// same, file by file and byte by byte, as the files made the old way: each builder called on its own from DER.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { PfxEncryption } from '../../shared/domain.js';
import { bundleContent, type BundleFacts } from '../../electron/core/export/bundle-content.js';
import { bundleBaseName } from '../../electron/core/export/bundle-names.js';
import { chainFiles } from '../../electron/core/export/chain-files.js';
import { iisMappingXml } from '../../electron/core/export/iis.js';
import { renderInstallSheet } from '../../electron/core/export/install-sheet.js';
import { buildMobileconfig } from '../../electron/core/export/mobileconfig.js';
import { buildP7b } from '../../electron/core/export/pkcs7.js';
import { caChain, createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { resolveCa } from '../../electron/core/issuance/records.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { dnFromName } from '../../electron/core/pki/names.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { x509 } from '../../electron/core/pki/provider.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { accountKindOf } from '../../electron/core/windows/account-kind.js';
import { formatAdMappings } from '../../electron/core/windows/ad-mapping-format.js';
import { readSidExtension } from '../../electron/core/windows/sid-extension.js';
import { tempDir } from '../helpers/tmp.js';

const FAST_KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;
const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const UUID = /[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}/g;
/** Stands in for the PFX: both paths embed the same bytes, so its content does not matter here. */
const PFX = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));

async function setup(t: TestContext): Promise<Vault> {
  const vault = await createVault(join(tempDir(t), 'v.certdesk'), 'parse once test passphrase', { kdf: FAST_KDF });
  t.after(() => vault.close());
  await createCa(vault, { name: 'Root', subject: 'CN=Parse Root CA,O=Example & Co,C=DE', keyType: 'ec-p384', days: 3650, pathLength: 1 });
  await createCa(vault, { name: 'Issuing', issuer: 'Root', subject: 'CN=Parse Issuing CA,O=Example & Co,C=DE', keyType: 'ec-p256', days: 1825 });
  await createCa(vault, { name: 'Other', subject: 'CN=Other Root,O=Other Org', keyType: 'ec-p256', days: 1825 });
  return vault;
}

const chainOf = (vault: Vault, ca: string): Uint8Array[] => caChain(vault, resolveCa(vault, ca)).map((c) => new Uint8Array(c.rawData));

/** What bundleContent takes about a certificate, from its record (as bundle-make.ts bundleFacts does from the row). */
function factsOf(rec: Awaited<ReturnType<typeof issueCertificate>>['record'], leaf: Uint8Array): BundleFacts {
  const cert = new x509.X509Certificate(leaf);
  return { holder: rec.holder, alias: rec.alias, subject: rec.subject, issuer_dn: dnFromName(cert.issuerName), serial: rec.serial, sha256: rec.sha256, sha1: rec.sha1, not_before: rec.notBefore, not_after: rec.notAfter, profile_id: rec.profile, account: rec.holder === 'Zoë Müller' ? 'zmueller' : null };
}

/** The bundle's files made the old way: every builder called from DER, parsing the certificate itself (bundle-content.ts before). */
async function oldWay(facts: BundleFacts, leaf: Uint8Array, chain: Uint8Array[], encryption: PfxEncryption): Promise<Map<string, string | Uint8Array>> {
  const base = bundleBaseName(facts);
  const names = { pfx: `${base}.pfx`, pem: `${base}.pem`, cer: `${base}.cer`, p7b: `${base}.p7b`, mobileconfig: `${base}.mobileconfig` };
  const caFile = names.cer.toLowerCase() === 'ca.cer' ? 'issuing-ca.cer' : 'ca.cer';
  const root = new x509.X509Certificate(chain[chain.length - 1]!);
  const cert = new x509.X509Certificate(leaf);
  const ad = { der: leaf, holder: facts.alias ?? facts.holder, kind: accountKindOf(facts.profile_id ?? null, facts.recipientKind), account: facts.account ?? null };
  const trust = chain.map((der) => `${createHash('sha1').update(der).digest('hex').toUpperCase()}  ${dnFromName(new x509.X509Certificate(der).subjectName)}`);
  const files: [string, string | Uint8Array][] = [
    [names.pfx, PFX],
    [names.pem, toPem(leaf)],
    [names.cer, leaf],
    [names.p7b, buildP7b([leaf, ...chain])],
    ['chain.pem', chain.map((c) => toPem(c)).join('')],
    [caFile, chain[0]!],
    ['ca-thumbprints.txt', ['# SHA-1 thumbprints of the issuing CAs (as Windows certificate stores show them), nearest issuer first', ...trust, ''].join('\n')],
    [names.mobileconfig, buildMobileconfig({ pfx: PFX, pfxFileName: names.pfx, caCertificates: chain, holder: facts.holder, organization: root.subjectName.getField('O')[0] ?? null })],
    ['iis-mapping.xml', iisMappingXml({ der: leaf, name: facts.alias ?? facts.holder, issuer: dnFromName(cert.issuerName), subject: dnFromName(cert.subjectName) })],
    ['ad-mapping.txt', formatAdMappings([ad], 'text', { caFile })],
    ['ad-mapping.ps1', formatAdMappings([ad], 'powershell', { caFile })],
  ];
  // The purposes are fixed strings this change does not touch: taken from a bundle; the names are compared file by file.
  const purposes = (await bundleContent({ facts, leaf, chain, encryption }, PFX)).entries.map((e) => ({ name: e.name, purpose: e.purpose }));
  const sheet = await renderInstallSheet({
    holder: facts.holder, alias: facts.alias, subject: facts.subject, issuer: facts.issuer_dn, serial: facts.serial, sha256: facts.sha256, sha1: facts.sha1,
    notBefore: facts.not_before, notAfter: facts.not_after, pfxEncryption: encryption,
    files: [...purposes.filter((p) => p.name !== 'install.html'), { name: 'manifest.json', purpose: 'the list of files with their SHA-256 checksums' }],
    pfxFileName: names.pfx, cerFileName: names.cer, caCertFileName: caFile, mobileconfigFileName: names.mobileconfig, sid: readSidExtension(leaf),
  });
  files.push(['install.html', sheet]);
  return new Map(files);
}

/** A bundle's text with its random UUIDs (the Apple profile's PayloadUUIDs and identifier) replaced, and how many there were. */
function withoutUuids(text: string): { text: string; uuids: number } {
  return { text: text.replace(UUID, 'UUID'), uuids: text.match(UUID)?.length ?? 0 };
}

function assertSameFiles(got: { name: string; data: string | Uint8Array }[], want: Map<string, string | Uint8Array>, label: string): void {
  assert.deepEqual(got.map((e) => e.name), [...want.keys()], `${label}: the same files in the same order`);
  for (const e of got) {
    const w = want.get(e.name)!;
    if (e.name.endsWith('.mobileconfig')) {
      assert.equal(typeof e.data, 'string', `${label}: ${e.name} is text`);
      const a = withoutUuids(e.data as string);
      const b = withoutUuids(w as string);
      assert.equal(a.uuids, b.uuids, `${label}: ${e.name} has as many UUIDs`);
      assert.ok(a.uuids >= 3, `${label}: ${e.name} has a UUID per payload (${a.uuids})`);
      assert.equal(a.text, b.text, `${label}: ${e.name} differs beyond its random UUIDs`);
    } else if (typeof w === 'string') {
      assert.equal(e.data, w, `${label}: ${e.name} differs`);
    } else {
      assert.ok(e.data instanceof Uint8Array, `${label}: ${e.name} is bytes`);
      assert.ok(Buffer.from(e.data).equals(Buffer.from(w)), `${label}: ${e.name} differs`);
    }
  }
}

test('a bundle made through the parse-once path has the same files, byte for byte, as each builder makes from DER: user, device, server, kdc', async (t) => {
  const vault = await setup(t);
  const chain = chainOf(vault, 'Issuing');
  const shared = chainFiles(chain);
  const issued = [
    await issueCertificate(vault, { ca: 'Issuing', profile: 'user', name: 'Zoë Müller', sans: [{ type: 'email', value: 'zoe@example.com' }, { type: 'upn', value: 'zoe@corp.example' }], keyType: 'ec-p256', alias: 'zoe', sid: SID }),
    await issueCertificate(vault, { ca: 'Issuing', profile: 'device', name: 'laptop-7', sans: [{ type: 'dns', value: 'laptop-7.corp.example' }], keyType: 'ec-p256', sid: SID }),
    await issueCertificate(vault, { ca: 'Issuing', profile: 'server', name: 'web <01> & co', sans: [{ type: 'dns', value: 'web01.example.com' }], keyType: 'rsa-2048' }),
    await issueCertificate(vault, { ca: 'Issuing', profile: 'kdc', name: 'dc1.corp.example', sans: [{ type: 'dns', value: 'dc1.corp.example' }], keyType: 'ec-p256' }),
  ];
  const sheets: string[] = [];
  for (const { record } of issued) {
    const leaf = new Uint8Array(new x509.X509Certificate(record.pem).rawData);
    const facts = factsOf(record, leaf);
    for (const encryption of ['modern', 'legacy'] as const) {
      const want = await oldWay(facts, leaf, chain, encryption);
      const label = `${record.profile} ${encryption}`;
      // Alone (chain files made here) and as a batch makes it (chain files made once, handed in).
      const alone = await bundleContent({ facts, leaf, chain, encryption }, PFX);
      assertSameFiles(alone.entries, want, `${label}, alone`);
      const batch = await bundleContent({ facts, leaf, chain, encryption, chainFiles: shared }, PFX);
      assertSameFiles(batch.entries, want, `${label}, batch`);
      assert.equal(batch.installSheet, want.get('install.html'), `${label}: installSheet is install.html`);
      sheets.push(batch.installSheet);
    }
  }
  // The SID reaches the sheet from the one mapping: the user's and device's sheets name it, the server's does not.
  assert.deepEqual(sheets.map((s) => s.includes(SID)), [true, true, true, true, false, false, false, false]);
});

test('bundles of two chains in turn each get their own PKCS#7 chain and CA payloads (the chain cache follows the bytes)', async (t) => {
  const vault = await setup(t);
  const chains = { Issuing: chainOf(vault, 'Issuing'), Other: chainOf(vault, 'Other') };
  for (const ca of ['Issuing', 'Other', 'Other', 'Issuing'] as const) {
    const { record } = await issueCertificate(vault, { ca, profile: 'user', name: `User of ${ca}`, sans: [{ type: 'email', value: 'u@example.com' }], keyType: 'ec-p256' });
    const leaf = new Uint8Array(new x509.X509Certificate(record.pem).rawData);
    const chain = chains[ca];
    const facts = factsOf(record, leaf);
    const got = await bundleContent({ facts, leaf, chain, encryption: 'modern', chainFiles: chainFiles(chain) }, PFX);
    assertSameFiles(got.entries, await oldWay(facts, leaf, chain, 'modern'), `user of ${ca}`);
    const p7b = got.entries.find((e) => e.name.endsWith('.p7b'))!.data as Uint8Array;
    assert.ok(Buffer.from(p7b).includes(Buffer.from(chain[0]!)), `user of ${ca}: the p7b holds its own issuing CA`);
    const other = chains[ca === 'Issuing' ? 'Other' : 'Issuing'][0]!;
    assert.ok(!Buffer.from(p7b).includes(Buffer.from(other)), `user of ${ca}: the p7b does not hold the other chain's CA`);
  }
});

test('a leaf that is not a certificate is refused as before: INVALID_INPUT naming certs[0]', async (t) => {
  const vault = await setup(t);
  const chain = chainOf(vault, 'Issuing');
  const facts: BundleFacts = { holder: 'X', alias: null, subject: 'CN=X', issuer_dn: 'CN=Parse Issuing CA', serial: '01', sha256: '00'.repeat(32), sha1: '00'.repeat(20), not_before: '2026-01-01T00:00:00Z', not_after: '2027-01-01T00:00:00Z' };
  await assert.rejects(bundleContent({ facts, leaf: new Uint8Array([0x30, 0x03, 1, 2, 3]), chain, encryption: 'modern' }, PFX), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'INVALID_INPUT');
    assert.equal((e as Error).message, 'certs[0]: not a DER X.509 certificate');
    return true;
  });
});
