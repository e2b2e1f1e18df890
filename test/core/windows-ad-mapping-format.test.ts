// ad-mapping-format.ts and ad-account.ts with hostile input: an imported CA whose issuer name holds a line break
// (X509:<I>..<SR> refused, naming the attribute, SKI and SHA1-PUKEY still given), account names and holders with
// quotes, backticks, $() and line breaks (the script text checked line by line), a CA certificate refused,
// revoked and expired certificates warned about and removed (-Remove), and the account checked against the
// certificate's kind (a computer account's `$`).
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import { x509 } from '../../electron/core/pki/provider.js';
import { adMappingOf } from '../../electron/core/windows/ad-mapping.js';
import { adMappingReport, formatAdMappings, psSingleQuoted, type AdMappingSubject } from '../../electron/core/windows/ad-mapping-format.js';
import { mappingAccount } from '../../electron/core/windows/ad-account.js';
import { certErr } from '../helpers/engine-vault.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A DER Name from [oid, UTF8String value] RDNs, in encoding order. */
function nameDer(...rdns: [string, string][]): ArrayBuffer {
  const seq = new asn1js.Sequence({
    value: rdns.map(([oid, value]) => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), new asn1js.Utf8String({ value })] })] })),
  });
  return seq.toBER();
}

/** A certificate (serial 0102A0) issued under `issuer` (a DER Name), with an SKI; a CA certificate when `ca`. */
async function cert(issuer: ArrayBuffer, opts: { ca?: boolean } = {}): Promise<Uint8Array> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const c = await x509.X509CertificateGenerator.create({
    serialNumber: '0102a0',
    issuer: new x509.Name(issuer),
    subject: 'CN=leaf',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(opts.ca === true, undefined, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return new Uint8Array(c.rawData);
}

const thumb = (der: Uint8Array) => createHash('sha1').update(der).digest('hex');

test('psSingleQuoted: single quotes doubled (typographic ones too); backtick, $() and double quotes stay literal; a line break refused', () => {
  assert.equal(psSingleQuoted("o'brien"), "'o''brien'");
  assert.equal(psSingleQuoted('a\u2019b\u2018c'), "'a\u2019\u2019b\u2018\u2018c'");
  assert.equal(psSingleQuoted('`$(Remove-Item C:\\ -Recurse)"x"'), '\'`$(Remove-Item C:\\ -Recurse)"x"\'');
  assert.equal(psSingleQuoted("'; Remove-ADUser x; '"), "'''; Remove-ADUser x; '''");
  for (const v of ['a\nb', 'a\rb', 'a\u2028b', 'a\u0000b']) {
    assert.throws(() => psSingleQuoted(v), certErr('INVALID_INPUT', 'a PowerShell string may not hold a line break or control character here'), JSON.stringify(v));
  }
});

test('an issuer with a line break: X509:<I>..<SR> refused naming the attribute; SKI and SHA1-PUKEY still given, no line broken', async () => {
  const der = await cert(nameDer(['2.5.4.6', 'DE'], ['2.5.4.11', "Evil'\nSet-ADUser Administrator"], ['2.5.4.3', 'Imported CA']));
  const m = adMappingOf(der);
  const problem = 'X509:<I>..<SR> left out: issuer: the OU (2.5.4.11) value holds U+000A (a control character or line break), which cannot be written safely in an altSecurityIdentities string; use X509:<SKI> or X509:<SHA1-PUKEY>';
  assert.equal(m.issuerSerial, null);
  assert.equal(m.issuerSerialProblem, problem);
  assert.match(m.ski!, /^X509:<SKI>[0-9a-f]{40}$/);
  assert.equal(m.sha1PublicKey, `X509:<SHA1-PUKEY>${thumb(der)}`);

  const subject: AdMappingSubject = { der, holder: 'Mallory\n$(evil)', certificateId: 7, kind: 'person', account: "o'b`$(x)" };
  const report = adMappingReport([subject], 'powershell');
  assert.deepEqual(report.warnings, [`Mallory $(evil) (certificate 7): ${problem}`]);
  const lines = report.output.split('\n');
  const block = lines.slice(lines.indexOf('# Mallory $(evil) (certificate 7)'));
  assert.deepEqual(block, [
    '# Mallory $(evil) (certificate 7)',
    `# ${problem}`,
    `Set-ADUser -Identity 'o''b\`$(x)' -Add @{altSecurityIdentities='${m.ski}'}`,
    `# Set-ADUser -Identity 'o''b\`$(x)' -Add @{altSecurityIdentities='${m.sha1PublicKey}'}`,
    '',
  ]);
  // Every line that is not a comment is a Set-AD* call, an assignment or the module import: nothing escaped a literal.
  for (const l of lines.filter((x) => x !== '' && !x.startsWith('#'))) assert.match(l, /^(Set-ADUser -Identity '(?:[^']|'')*' -Add @\{altSecurityIdentities='(?:[^']|'')*'\}|\$ErrorActionPreference = 'Stop'|Import-Module ActiveDirectory)$/, l);

  const text = formatAdMappings([subject], 'text');
  assert.equal(text, `# Mallory $(evil) (certificate 7)\n# account: o'b\`$(x)\n# ${problem}\n${m.ski}\n${m.sha1PublicKey}\n\n# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ca.cer NTAuthCA (certdesk ca cert CA --out ca.cer --der)\n`);
  const json = adMappingReport([subject], 'json');
  assert.deepEqual(JSON.parse(json.output), json.mappings);
  assert.deepEqual(json.mappings[0]!.altSecurityIdentities, { issuerSerial: null, ski: m.ski, sha1PublicKey: m.sha1PublicKey });
  assert.deepEqual(json.mappings[0]!.warnings, [`Mallory $(evil) (certificate 7): ${problem}`]);
});

test('a hostile but writable issuer (quote, backtick, $(), double quote): quoted for Windows, then single-quoted for PowerShell', async () => {
  const der = await cert(nameDer(['2.5.4.10', "O'Neil `$(calc)"], ['2.5.4.3', 'Say "hi", CA']));
  const m = adMappingOf(der);
  assert.equal(m.issuerSerial, 'X509:<I>O=O\'Neil `$(calc),CN="Say ""hi"", CA"<SR>A00201');
  const ps = formatAdMappings([{ der, holder: 'h', kind: 'device', account: 'pc-7$' }], 'powershell');
  assert.ok(ps.includes('\nSet-ADComputer -Identity \'pc-7$\' -Add @{altSecurityIdentities=\'X509:<I>O=O\'\'Neil `$(calc),CN="Say ""hi"", CA"<SR>A00201\'}\n'), ps);
});

test('a CA certificate is refused', async () => {
  const der = await cert(nameDer(['2.5.4.3', 'Root']), { ca: true });
  assert.throws(() => adMappingOf(der), certErr('INVALID_INPUT', 'ad-mapping: "CN=leaf" is a CA certificate: altSecurityIdentities maps a user\'s or computer\'s own certificate; a CA goes into the NTAuth store'));
  assert.throws(() => formatAdMappings([{ der, holder: 'Root', kind: 'person', account: null }], 'text'), certErr('INVALID_INPUT', 'is a CA certificate'));
});

test('revoked and expired certificates: warned, and the script removes every string (-Remove) instead of adding one', async () => {
  const der = await cert(nameDer(['2.5.4.10', 'Acme'], ['2.5.4.3', 'Users CA']));
  const m = adMappingOf(der);
  for (const state of ['revoked', 'expired'] as const) {
    const r = adMappingReport([{ der, holder: 'Bob', certificateId: 3, kind: 'person', account: 'bob', state }], 'powershell');
    assert.deepEqual(r.warnings, [
      `Bob (certificate 3) is ${state}: a mapping to it grants nothing (a domain controller refuses ${state === 'revoked' ? 'a revoked' : 'an expired'} certificate) and should be removed from the account; the PowerShell script removes it (-Remove)`,
    ]);
    assert.equal(r.mappings[0]!.state, state);
    const lines = r.output.split('\n');
    assert.deepEqual(lines.slice(lines.indexOf('# Bob (certificate 3)')), [
      '# Bob (certificate 3)',
      `# ${state.toUpperCase()}: its mappings grant nothing; removing them`,
      `Set-ADUser -Identity 'bob' -Remove @{altSecurityIdentities='${m.issuerSerial}'} -ErrorAction Continue`,
      `Set-ADUser -Identity 'bob' -Remove @{altSecurityIdentities='${m.ski}'} -ErrorAction Continue`,
      `Set-ADUser -Identity 'bob' -Remove @{altSecurityIdentities='${m.sha1PublicKey}'} -ErrorAction Continue`,
      '',
    ]);
    assert.ok(!r.output.includes(' -Add '), 'no -Add for a certificate that grants nothing');
    const text = formatAdMappings([{ der, holder: 'Bob', kind: 'person', account: null, state }], 'text');
    assert.ok(text.startsWith(`# Bob\n# ${state.toUpperCase()}: remove these strings from the account's altSecurityIdentities; they grant nothing\n${m.issuerSerial}\n`), text);
  }
  const valid = adMappingReport([{ der, holder: 'Bob', kind: 'person', account: 'bob' }], 'powershell');
  assert.deepEqual(valid.warnings, []);
  assert.ok(valid.output.includes(`\nSet-ADUser -Identity 'bob' -Add @{altSecurityIdentities='${m.issuerSerial}'}\n`));
});

test('the text and script name the NTAuth file a bundle gives', async () => {
  const der = await cert(nameDer(['2.5.4.3', 'Users CA']));
  const line = '# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ca.cer NTAuthCA (ca.cer: the issuing CA certificate, in this bundle)';
  assert.ok(formatAdMappings([{ der, holder: 'x', kind: 'person', account: null }], 'text', { caFile: 'ca.cer' }).endsWith(`\n\n${line}\n`));
  assert.ok(formatAdMappings([{ der, holder: 'x', kind: 'person', account: null }], 'powershell', { caFile: 'ca.cer' }).split('\n').includes(line));
});

test('mappingAccount: a computer account gets its $ (and says so); a user account may not end in $; sAMAccountName rules', () => {
  assert.deepEqual(mappingAccount('pc-7', 'device'), { account: 'pc-7$', note: 'account: a computer account\'s name ends in $: mapping to "pc-7$" (Set-ADComputer), not "pc-7"' });
  assert.deepEqual(mappingAccount(' PC-7$ ', 'device'), { account: 'PC-7$', note: null });
  assert.deepEqual(mappingAccount("o'brien", 'person'), { account: "o'brien", note: null });
  assert.deepEqual(mappingAccount('a'.repeat(20), 'person'), { account: 'a'.repeat(20), note: null });
  assert.throws(() => mappingAccount('pc-7$', 'person'), certErr('INVALID_INPUT', 'account: "pc-7$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $'));
  assert.throws(() => mappingAccount('a'.repeat(21), 'person'), certErr('INVALID_INPUT', `account: account name "${'a'.repeat(21)}" is 21 characters long; a user account name is at most 20`));
  assert.throws(() => mappingAccount('a'.repeat(16), 'device'), certErr('INVALID_INPUT', `account: account name "${'a'.repeat(16)}$" is 17 characters long; a computer account name is at most 16`));
  for (const c of ['"', '/', '\\', '[', ']', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>', '@']) {
    assert.throws(() => mappingAccount(`a${c}b`, 'person'), certErr('INVALID_INPUT', `account: account name "a${c}b" contains "${c}", which an account name cannot hold`), c);
    assert.throws(() => mappingAccount(`a${c}b`, 'device'), certErr('INVALID_INPUT', `account: account name "a${c}b" contains "${c}", which an account name cannot hold`), `device ${c}`);
  }
  assert.throws(() => mappingAccount('a\nb', 'person'), certErr('INVALID_INPUT', 'account: account name "a\nb" contains "\\u000a", which an account name cannot hold'));
  assert.throws(() => mappingAccount('', 'device'), certErr('INVALID_INPUT', 'account: account name "" is empty'));
});
