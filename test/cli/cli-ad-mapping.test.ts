// Windows strong mapping from the command line: issue --sid and --realm, the bundle's ad-mapping.txt and
// ad-mapping.ps1 (listed in its manifest), `certdesk ad-mapping` in every format and selection (CERTs, --ca,
// --batch), PowerShell quoting of an account name with a single quote, CSV batches with a sid column, and
// renew keeping the SID.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const SID2 = 'S-1-5-21-3623811015-3361044348-30300820-1014';

interface Mapping {
  certificateId: number;
  holder: string;
  kind: string;
  account: string | null;
  sid: string | null;
  altSecurityIdentities: { issuerSerial: string; ski: string | null; sha1PublicKey: string };
  state: string;
  warnings: string[];
}

/** The serial's bytes reversed, upper case: computed from the hex serial the CLI reports, not from the certificate code. */
const reversedSerial = (hex: string) => hex.padStart(hex.length + (hex.length % 2), '0').toUpperCase().match(/../g)!.reverse().join('');

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const s = inProcessSession(dir, 'ad mapping passphrase');
  await s.init();
  await s.ok('ca', 'create', '--name', 'Win', '--subject', 'CN=Win Issuing CA,O=Example Corp,C=DE', '--key', 'ec-p256');
  return { dir, ...s };
}

test('issue --sid writes a bundle with ad-mapping.txt and ad-mapping.ps1 in its manifest; the sheet explains NTAuth', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, ok } = await setup(t);
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  const issued = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Alice Admin', '--upn', 'alice@corp.test', '--sid', SID, '--out', stick, '--json')).json!;
  const folder = (issued.bundle as { folder: string }).folder;
  const serial = String(issued.serial);
  const expectedIs = `X509:<I>C=DE,O=Example Corp,CN=Win Issuing CA<SR>${reversedSerial(serial)}`;

  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string }[] };
  for (const name of ['ad-mapping.txt', 'ad-mapping.ps1']) {
    const entry = manifest.files.find((f) => f.name === name);
    assert.ok(entry, `${name} is in the manifest`);
    assert.equal(entry.sha256, createHash('sha256').update(readFileSync(join(folder, name))).digest('hex'));
  }
  const ps1 = readFileSync(join(folder, 'ad-mapping.ps1'), 'utf8');
  // No account was given: the SID names the account (Set-ADUser -Identity takes a SID).
  assert.ok(ps1.includes(`\nSet-ADUser -Identity '${SID}' -Add @{altSecurityIdentities='${expectedIs}'}\n`), ps1);
  assert.match(ps1, /^# Set-ADUser -Identity 'S-1-5-21-3623811015-3361044348-30300820-1013' -Add @\{altSecurityIdentities='X509:<SKI>[0-9a-f]{40}'\}$/m);
  assert.match(ps1, /^# Set-ADUser -Identity '[^']+' -Add @\{altSecurityIdentities='X509:<SHA1-PUKEY>[0-9a-f]{40}'\}$/m);
  assert.match(ps1, /^\$ErrorActionPreference = 'Stop'$/m);
  const txt = readFileSync(join(folder, 'ad-mapping.txt'), 'utf8');
  assert.ok(txt.split('\n').includes(expectedIs));
  assert.ok(txt.includes(`# SID ${SID} is in the certificate`));
  assert.ok(txt.endsWith('\n# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ca.cer NTAuthCA (ca.cer: the issuing CA certificate, in this bundle)\n'), txt);
  const sheet = readFileSync(join(folder, 'install.html'), 'utf8');
  assert.ok(sheet.includes('<code>certutil -dspublish -f ca.cer NTAuthCA</code> (<code>ca.cer</code> in this bundle is the issuing CA&rsquo;s certificate)'), 'the sheet names ca.cer');
  assert.ok(!sheet.includes('first one in'), 'no more "the first certificate of chain.pem"');

  // ca.cer: DER (openssl reads it with -inform DER), byte for byte the issuing CA's certificate, listed in the manifest and the sheet.
  const caEntry = manifest.files.find((f) => f.name === 'ca.cer');
  assert.ok(caEntry, 'ca.cer is in the manifest');
  const caCer = readFileSync(join(folder, 'ca.cer'));
  assert.equal(caCer[0], 0x30, 'DER starts with a SEQUENCE tag, not "-----BEGIN"');
  assert.equal(runOk('openssl', ['x509', '-inform', 'DER', '-in', join(folder, 'ca.cer'), '-noout', '-subject', '-nameopt', 'RFC2253']).stdout.trim(), 'subject=CN=Win Issuing CA,O=Example Corp,C=DE');
  await ok('ca', 'cert', 'Win', '--der', '--out', join(dir, 'win-ca.der'));
  assert.ok(caCer.equals(readFileSync(join(dir, 'win-ca.der'))), 'ca.cer equals `certdesk ca cert Win --der`');
  const fromCer = runOk('openssl', ['x509', '-inform', 'DER', '-in', join(folder, 'ca.cer'), '-noout', '-fingerprint', '-sha256']).stdout;
  const fromChain = runOk('openssl', ['x509', '-in', join(folder, 'chain.pem'), '-noout', '-fingerprint', '-sha256']).stdout;
  assert.equal(fromCer, fromChain, 'the first certificate of chain.pem');
  assert.ok(sheet.includes('<tr><th><code>ca.cer</code></th>'), 'the sheet lists ca.cer among the files');
  assert.ok(sheet.includes(`carries the account&rsquo;s SID <code>${SID}</code>`));

  // The SKI string equals openssl's subjectKeyIdentifier.
  const pem = join(dir, 'alice.pem');
  writeFileSync(pem, readFileSync(join(folder, 'alice-admin.pem')));
  const ski = /\n\s+([0-9A-F:]+)\s*$/.exec(runOk('openssl', ['x509', '-in', pem, '-noout', '-ext', 'subjectKeyIdentifier']).stdout)![1]!.replace(/:/g, '').toLowerCase();
  assert.ok(txt.split('\n').includes(`X509:<SKI>${ski}`));
});

test('certdesk ad-mapping: text, powershell and json; an account name with a quote is escaped; devices map to computers', async (t) => {
  const { cd, ok } = await setup(t);
  const alice = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', "Aoife O'Brien", '--upn', 'aoife@corp.test', '--json')).json!;
  const dc = (await ok('issue', '--ca', 'Win', '--profile', 'kdc', '--name', 'dc1.corp.test', '--dns', 'dc1.corp.test', '--realm', 'CORP.TEST', '--json')).json!;
  const is = (r: Record<string, unknown>) => `X509:<I>C=DE,O=Example Corp,CN=Win Issuing CA<SR>${reversedSerial(String(r.serial))}`;

  const json = await ok('ad-mapping', String(alice.id), String(dc.id), '--format', 'json');
  const mappings = JSON.parse(json.stdout) as Mapping[];
  assert.deepEqual(
    mappings.map((m) => [m.certificateId, m.holder, m.kind, m.account, m.sid, m.altSecurityIdentities.issuerSerial]),
    [
      [alice.id, "Aoife O'Brien", 'person', null, null, is(alice)],
      [dc.id, 'dc1.corp.test', 'device', null, null, is(dc)],
    ],
  );
  assert.match(mappings[0]!.altSecurityIdentities.ski!, /^X509:<SKI>[0-9a-f]{40}$/);
  assert.match(mappings[0]!.altSecurityIdentities.sha1PublicKey, /^X509:<SHA1-PUKEY>[0-9a-f]{40}$/);
  // --json wraps the same list.
  assert.deepEqual((await ok('ad-mapping', String(alice.id), String(dc.id), '--json')).json!.mappings, mappings);

  const text = (await ok('ad-mapping', String(alice.id))).stdout;
  assert.equal(
    text,
    `# Aoife O'Brien (certificate ${alice.id})\n${is(alice)}\n${mappings[0]!.altSecurityIdentities.ski}\n${mappings[0]!.altSecurityIdentities.sha1PublicKey}\n\n` +
      '# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ca.cer NTAuthCA (certdesk ca cert CA --out ca.cer --der)\n',
  );

  const ps = (await ok('ad-mapping', String(alice.id), '--account', "o'brien", '--format', 'powershell')).stdout;
  assert.ok(ps.includes(`\nSet-ADUser -Identity 'o''brien' -Add @{altSecurityIdentities='${is(alice)}'}\n`), ps);
  const psDc = (await ok('ad-mapping', String(dc.id), '--format', 'powershell')).stdout;
  assert.ok(psDc.includes(`\nSet-ADComputer -Identity 'REPLACE-WITH-ACCOUNT-NAME' -Add @{altSecurityIdentities='${is(dc)}'}\n`), psDc);

  // A device's account is a computer account: its $ is added, and said on stderr and in --json.
  const dcAcc = await ok('ad-mapping', String(dc.id), '--account', 'DC1', '--format', 'powershell');
  assert.ok(dcAcc.stdout.includes(`\nSet-ADComputer -Identity 'DC1$' -Add @{altSecurityIdentities='${is(dc)}'}\n`), dcAcc.stdout);
  const note = 'account: a computer account\'s name ends in $: mapping to "DC1$" (Set-ADComputer), not "DC1"';
  assert.equal(dcAcc.stderr, `certdesk: warning: ${note}\n`);
  const dcJson = (await ok('ad-mapping', String(dc.id), '--account', 'DC1', '--json')).json!;
  assert.deepEqual(dcJson.warnings, [note]);
  assert.equal((dcJson.mappings as Mapping[])[0]!.account, 'DC1$');
  assert.equal((await ok('ad-mapping', String(dc.id), '--account', 'DC1$')).stderr, '');
  // A user's account is not a computer account, and has at most 20 characters.
  const userDollar = await cd('ad-mapping', String(alice.id), '--account', 'aoife$');
  assert.equal(userDollar.status, 1);
  assert.equal(userDollar.stderr, 'certdesk: error: account: "aoife$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $\n');
  const long = await cd('ad-mapping', String(alice.id), '--account', 'aoife.obrien.example');
  assert.equal(long.status, 0, 'exactly 20 characters is allowed');
  const tooLong = await cd('ad-mapping', String(alice.id), '--account', 'aoife.obrien.example1');
  assert.equal(tooLong.status, 1);
  assert.match(tooLong.stderr, /account: account name "aoife\.obrien\.example1" is 21 characters long; a user account name is at most 20/);

  // A CA certificate is not mapped.
  const [caRow] = (await ok('ca', 'list', '--json')).json!.cas as { certificateId: number }[];
  const caRefused = await cd('ad-mapping', `id:${caRow!.certificateId}`);
  assert.equal(caRefused.status, 1);
  assert.equal(caRefused.stdout, '');
  assert.equal(
    caRefused.stderr,
    `certdesk: error: ad-mapping: certificate ${caRow!.certificateId} (Win) is a CA certificate: altSecurityIdentities maps a user's or computer's own certificate; a CA goes into the NTAuth store (certutil -dspublish -f ca.cer NTAuthCA)\n`,
  );

  const bad = await cd('ad-mapping', String(alice.id), '--format', 'xml');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format is one of text, powershell, json/);
  const badAccount = await cd('ad-mapping', String(alice.id), '--account', 'a@b');
  assert.equal(badAccount.status, 1);
  assert.match(badAccount.stderr, /account: account name "a@b" contains "@", which an account name cannot hold/);
  const two = await cd('ad-mapping', String(alice.id), String(dc.id), '--account', 'x');
  assert.equal(two.status, 1);
  assert.match(two.stderr, /account: names one account, but 2 certificates are selected/);
  const badSid = await cd('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Z', '--upn', 'z@corp.test', '--sid', 'S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15');
  assert.equal(badSid.status, 1);
  assert.match(badSid.stderr, /sid: "S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15" is not a Windows SID: 16 sub-authorities; at most 15/);
});

test('ad-mapping --ca maps every valid certificate of the CA; renew keeps the SID', async (t) => {
  const { dir, ok } = await setup(t);
  const a = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'A', '--upn', 'a@corp.test', '--sid', SID, '--json')).json!;
  const b = (await ok('issue', '--ca', 'Win', '--profile', 'device', '--name', 'pc-2', '--dns', 'pc-2.corp.test', '--sid', SID2, '--json')).json!;
  const c = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'C', '--upn', 'c@corp.test', '--json')).json!;
  await ok('revoke', String(c.id));
  const out = join(dir, 'map.ps1');
  await ok('ad-mapping', '--ca', 'Win', '--format', 'powershell', '--out', out);
  const ps = readFileSync(out, 'utf8');
  assert.deepEqual(
    ps.split('\n').filter((l) => /^Set-AD/.test(l)).map((l) => l.replace(/ -Add .*/, '')),
    [`Set-ADUser -Identity '${SID}'`, `Set-ADComputer -Identity '${SID2}'`],
  );

  // The revoked certificate named: a warning on stderr and in --json, and the script removes its strings.
  const revoked = (await ok('ad-mapping', String(c.id), '--account', 'c.user', '--format', 'powershell', '--json')).json!;
  const warning = `C (certificate ${c.id}) is revoked: a mapping to it grants nothing (a domain controller refuses a revoked certificate) and should be removed from the account; the PowerShell script removes it (-Remove)`;
  assert.deepEqual(revoked.warnings, [warning]);
  const [rm] = revoked.mappings as (Mapping & { state: string })[];
  assert.equal(rm!.state, 'revoked');
  const revokedPs = await ok('ad-mapping', String(c.id), '--account', 'c.user', '--format', 'powershell');
  assert.equal(revokedPs.stderr, `certdesk: warning: ${warning}\n`);
  assert.deepEqual(
    revokedPs.stdout.split('\n').filter((l) => /^Set-AD/.test(l)),
    [rm!.altSecurityIdentities.issuerSerial, rm!.altSecurityIdentities.ski, rm!.altSecurityIdentities.sha1PublicKey].map((v) => `Set-ADUser -Identity 'c.user' -Remove @{altSecurityIdentities='${v}'} -ErrorAction Continue`),
  );

  const renewed = (await ok('renew', String(a.id), '--json')).json!;
  const [{ id: newId, renewedFrom }] = renewed.renewed as { id: number; renewedFrom: number }[] as [{ id: number; renewedFrom: number }];
  assert.equal(renewedFrom, a.id);
  const [m] = JSON.parse((await ok('ad-mapping', String(newId), '--format', 'json')).stdout) as Mapping[];
  assert.equal(m!.sid, SID);
  assert.notEqual(m!.altSecurityIdentities.issuerSerial, (JSON.parse((await ok('ad-mapping', String(a.id), '--format', 'json')).stdout) as Mapping[])[0]!.altSecurityIdentities.issuerSerial);
  assert.equal(typeof b.id, 'number');
});

test('a CSV batch with a sid column: a bad SID is reported on its line; the batch maps with --batch', async (t) => {
  const { dir, cd, ok } = await setup(t);
  mkdirSync(join(dir, 'stick'));
  const csv = (second: string) => `name,upn,sid\nAnna,anna@corp.test,${SID}\nBen,ben@corp.test,${second}\nCleo,cleo@corp.test,\n`;
  writeFileSync(join(dir, 'staff.csv'), csv('S-1-5-21-1-x'));
  const bad = await cd('issue-batch', '--ca', 'Win', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'p.csv', '--key', 'ec-p256', '--json');
  assert.equal(bad.status, 1);
  assert.deepEqual((bad.json!.details as { problems: unknown[] }).problems, [
    { line: 3, column: 'sid', reason: '"S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)' },
  ]);
  writeFileSync(join(dir, 'srv.csv'), `name,dns,sid\nweb,web.corp.test,${SID}\n`);
  const srv = await cd('issue-batch', '--ca', 'Win', '--profile', 'server', '--csv', 'srv.csv', '--out', 'stick', '--passwords', 'p.csv', '--dry-run', '--json');
  assert.equal(srv.status, 1);
  assert.deepEqual((srv.json!.details as { problems: unknown[] }).problems, [{ line: 2, column: 'sid', reason: 'the server profile does not carry a Windows SID (the user and device profiles do)' }]);

  writeFileSync(join(dir, 'staff.csv'), csv(SID2));
  const run = (await ok('issue-batch', '--ca', 'Win', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'p.csv', '--key', 'ec-p256', '--json')).json!;
  const batchId = (run.batch as { batchId: string }).batchId;
  const mapped = JSON.parse((await ok('ad-mapping', '--batch', batchId.slice(0, 16), '--format', 'json')).stdout) as Mapping[];
  assert.deepEqual(mapped.map((m) => [m.holder, m.sid]), [
    ['Anna', SID],
    ['Ben', SID2],
    ['Cleo', null],
  ]);
  const unknown = await cd('ad-mapping', '--batch', '0123456789abcdef');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /batch: no batch 0123456789abcdef/);
});
