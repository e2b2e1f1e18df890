// Issue 15, two officers to use a root, from the command line: certdesk quorum set / show / reissue, and the
// global --share FILE with --share-passphrase-file FILE on signing commands (sign-csr, crl, issue, ca create
// --issuer). Exit codes and exact messages; every refusal signs nothing (certificate count, CRL number).
// The commands run in this process (inProcessSession), but for the two that find no terminal to ask on.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { HOLDER_PASSPHRASES as HP } from '../helpers/holders.js';

const PASSPHRASE = 'quorum cli vault passphrase';

test('quorum set, show, signing with --share, every refusal, and reissue, from the command line', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { cd, ok, init, spawn } = inProcessSession(dir, PASSPHRASE);
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Quorum Root', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/root.crl');
  await ok('ca', 'create', '--name', 'Other', '--subject', 'CN=CLI Other Root', '--key', 'ec-p256');
  await ok('ca', 'cert', 'Root', '--out', 'root.pem');
  for (const h of Object.keys(HP)) writeFileSync(join(dir, `${h}.pass`), `${HP[h]}\n`);
  writeFileSync(join(dir, 'holders.txt'), `${HP.Alice}\n${HP.Bob}\n${HP.Carol}\n`);

  // Usage errors: exit 2, nothing written.
  const mismatch = await cd('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob', '--out', dir, '--holder-passphrase-file', 'holders.txt');
  assert.equal(mismatch.status, 2);
  assert.equal(mismatch.stderr, 'certdesk: --holders names 2 holders, --shares says 3: name one holder per share\nRun "certdesk --help" for usage.\n');
  // Whether a terminal could ask is a question about the process: these two run in one of their own.
  const noFile = spawn('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', dir);
  assert.equal(noFile.status, 2);
  assert.equal(noFile.stderr, 'certdesk: holder passphrases: use --holder-passphrase-file FILE (one line per holder, in the order of --holders), or run on a terminal to be asked\nRun "certdesk --help" for usage.\n');
  writeFileSync(join(dir, 'weak.txt'), `${HP.Alice}\nshort\n${HP.Carol}\n`);
  const weak = await cd('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', dir, '--holder-passphrase-file', 'weak.txt');
  assert.equal(weak.status, 1);
  assert.equal(weak.stderr, 'certdesk: error: the passphrase of holder "Bob": at least 10 characters are required\n');

  mkdirSync(join(dir, 'shares'));
  const set = (await ok('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', 'shares', '--holder-passphrase-file', 'holders.txt')).stdout;
  assert.match(set, /^Put CA "Root" under 2-of-3 control \(split [0-9a-f]{32}\)\. Give each officer their own share file or sheet, then delete them here:\n/);
  assert.ok(
    set.endsWith(
      '  1. Alice: shares/root-share-1-of-3-alice.certdesk-share\n     sheet: shares/root-share-1-of-3-alice.html\n  2. Bob: shares/root-share-2-of-3-bob.certdesk-share\n     sheet: shares/root-share-2-of-3-bob.html\n  3. Carol: shares/root-share-3-of-3-carol.certdesk-share\n     sheet: shares/root-share-3-of-3-carol.html\n' +
        // What each share protects against, said where they are made.
        'Each share alone signs nothing: any 2 of the 3, each with its holder\'s own passphrase, are needed to sign with CA "Root". So no single officer, no stolen stick with its passphrase, and no copy of the vault with the vault passphrase can sign with it; up to 1 share can be lost without losing the CA (2 officers together can re-issue them).\n',
    ),
    set,
  );
  const splitId = /split ([0-9a-f]{32})/.exec(set)![1]!;
  assert.equal(readdirSync(join(dir, 'shares')).length, 6);
  const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
  const shown = (await ok('quorum', 'show', 'Root')).stdout;
  assert.match(shown, new RegExp(`^CA "Root": under 2-of-3 control \\(split ${splitId}\\)\\n  share 1: Alice\\n  share 2: Bob\\n  share 3: Carol\\n  shares made: ${ISO}\\n  not used since its shares were made\\n$`));
  assert.equal((await ok('quorum', 'show', 'Other')).stdout, 'CA "Other": not under quorum control (its key is sealed by the vault passphrase alone)\n');

  const A = 'shares/root-share-1-of-3-alice.certdesk-share';
  const B = 'shares/root-share-2-of-3-bob.certdesk-share';
  const C = 'shares/root-share-3-of-3-carol.certdesk-share';
  const withShares = (...pairs: [string, string][]) => pairs.flatMap(([file, holder]) => ['--share', file, '--share-passphrase-file', `${holder}.pass`]);
  const crlNumber = async () => (((await ok('ca', 'show', 'Root', '--json')).json!.details as { ca: { crlNumber: number } }).ca).crlNumber;
  const count = async () => ((await ok('list', '--json')).json!.certificates as unknown[]).length;

  runOk('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'csr.key'), '-subj', '/CN=quorum.example.com', '-addext', 'subjectAltName=DNS:quorum.example.com', '-out', join(dir, 'server.csr')]);
  const signCsr = (...extra: string[]) => cd('sign-csr', '--ca', 'Root', '--profile', 'server', '--csr', 'server.csr', '--out', 'server.pem', ...extra);
  const REQUIRED = 'certdesk: error: CA "Root" is under 2-of-3 control: give 2 shares with --share FILE';

  // Without shares, with one, with a bad one: exit 1, the exact error, nothing signed.
  const before = await count();
  const refusals: [string[], string][] = [
    [[], `${REQUIRED}\n`],
    [withShares([A, 'Alice']), `${REQUIRED} (1 given: Alice)\n`],
    [withShares([A, 'Alice'], [B, 'Carol']), `certdesk: error: wrong passphrase for the share of "Bob" (${B}), or the file was altered: it does not open (nothing was signed)\n`],
    [withShares([A, 'Alice'], [A, 'Alice']), `certdesk: error: the share of "Alice" is given twice (${A} and ${A}): give 2 different officers' shares\n`],
  ];
  for (const [extra, stderr] of refusals) {
    const r = await signCsr(...extra);
    assert.equal(r.stderr, stderr, extra.join(' '));
    assert.equal(r.status, 1);
    const crl = await cd('crl', 'Root', '--out', 'root.crl', ...extra);
    assert.equal(crl.stderr, stderr);
  }
  const countMismatch = await signCsr('--share', A, '--share', B, '--share-passphrase-file', 'Alice.pass');
  assert.equal(countMismatch.status, 2);
  assert.equal(countMismatch.stderr, 'certdesk: --share-passphrase-file: give one per --share, in the same order (2 --share, 1 --share-passphrase-file)\nRun "certdesk --help" for usage.\n');
  const noTerminal = spawn('sign-csr', '--ca', 'Root', '--profile', 'server', '--csr', 'server.csr', '--out', 'server.pem', '--share', A, '--share', B);
  assert.equal(noTerminal.status, 2);
  assert.equal(noTerminal.stderr, `certdesk: the passphrase of Alice's share (${A}): use --share-passphrase-file FILE (one per --share, in the same order), or run on a terminal to be asked\nRun "certdesk --help" for usage.\n`);
  // A tampered share: one hex digit of its sealed share changed, the file re-encoded as CertDesk writes it.
  const lines = readFileSync(join(dir, B), 'utf8').split('\n');
  const json = Buffer.from(lines.slice(1, -2).join(''), 'base64').toString('utf8');
  const at = json.indexOf('"share":"') + 12;
  const altered = json.slice(0, at) + (json[at] === '0' ? '1' : '0') + json.slice(at + 1);
  const b64 = Buffer.from(altered, 'utf8').toString('base64');
  writeFileSync(join(dir, 'bad.certdesk-share'), `${lines[0]}\n${b64.match(/.{1,64}/g)!.join('\n')}\n${lines.at(-2)}\n`);
  const tampered = await signCsr(...withShares([A, 'Alice'], ['bad.certdesk-share', 'Bob']));
  assert.equal(tampered.status, 1);
  assert.equal(tampered.stderr, 'certdesk: error: share file bad.certdesk-share is damaged or was altered (its checksum does not match): it is not used\n');
  // Another CA's share.
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other.txt'), `${HP.Olga}\n${HP.Pete}\n`);
  await ok('quorum', 'set', 'Other', '--shares', '2', '--threshold', '2', '--holders', 'Olga,Pete', '--out', 'other', '--holder-passphrase-file', 'other.txt');
  const O = 'other/other-share-1-of-2-olga.certdesk-share';
  const foreign = await signCsr(...withShares([A, 'Alice'], [O, 'Olga']));
  assert.equal(foreign.status, 1);
  // Each CA's shares count for that CA only: Olga's does not make up Root's second share.
  assert.equal(foreign.stderr, `${REQUIRED} (1 given: Alice)\n`);
  // Shares of Other do not unlock Root.
  const wrongCa = await signCsr(...withShares([O, 'Olga'], ['other/other-share-2-of-2-pete.certdesk-share', 'Pete']));
  assert.equal(wrongCa.status, 1);
  assert.equal(wrongCa.stderr, `${REQUIRED}\n`);
  assert.equal(await count(), before);
  assert.equal(await crlNumber(), 0);

  // Two shares: the certificate and the CRL, both accepted by openssl.
  const signed = await signCsr(...withShares([C, 'Carol'], [A, 'Alice']), '--json');
  assert.equal(signed.status, 0, signed.stderr);
  await ok('crl', 'Root', '--out', 'root.crl', ...withShares([B, 'Bob'], [C, 'Carol']));
  assert.equal(await crlNumber(), 1);
  const verified = run('openssl', ['verify', '-crl_check', '-CRLfile', join(dir, 'root.crl'), '-CAfile', join(dir, 'root.pem'), join(dir, 'server.pem')]);
  assert.equal(verified.stderr, '');
  assert.equal(verified.stdout, `${join(dir, 'server.pem')}: OK\n`);
  // An intermediate under Root (ca create --issuer) needs the shares too.
  const sub = await cd('ca', 'create', '--name', 'Sub', '--subject', 'CN=CLI Quorum Sub', '--key', 'ec-p256', '--issuer', 'Root');
  assert.equal(sub.stderr, `${REQUIRED}\n`);
  await ok('ca', 'create', '--name', 'Sub', '--subject', 'CN=CLI Quorum Sub', '--key', 'ec-p256', '--issuer', 'Root', ...withShares([A, 'Alice'], [B, 'Bob']));

  // issue and renew (an end-entity certificate) need them too.
  const userArgs = ['issue', '--ca', 'Root', '--profile', 'user', '--name', 'Quorum User', '--email', 'quorum.user@example.com', '--key', 'ec-p256', '--json'];
  assert.equal((await cd(...userArgs)).stderr, `${REQUIRED}\n`);
  const userId = (await ok(...userArgs, ...withShares([B, 'Bob'], [C, 'Carol']))).json!.id as number;
  const renewNo = await cd('renew', String(userId));
  assert.equal(renewNo.stderr, `${REQUIRED}\n`);
  assert.equal(renewNo.status, 1);
  await ok('renew', String(userId), ...withShares([A, 'Alice'], [C, 'Carol']));

  // crl publish signs with every CA: the shares of both quorum CAs in one run.
  mkdirSync(join(dir, 'pub'));
  const P = 'other/other-share-2-of-2-pete.certdesk-share';
  const publishOne = await cd('crl', 'publish', '--out', 'pub', ...withShares([A, 'Alice'], [B, 'Bob']));
  assert.equal(publishOne.status, 1);
  assert.equal(publishOne.stderr, 'certdesk: error: CA "Other" is under 2-of-2 control: give 2 shares with --share FILE\n');
  assert.equal(await crlNumber(), 1);
  await ok('crl', 'publish', '--out', 'pub', ...withShares([A, 'Alice'], [O, 'Olga'], [B, 'Bob'], [P, 'Pete']));
  assert.equal(await crlNumber(), 2);

  // The audit names the holders of each signing, never a share.
  const uses = ((await ok('audit', 'list', '--action', 'ca.quorum-use', '--json')).json!.entries as { details: { holders: string[] } }[]).map((e) => e.details.holders);
  // sign-csr (Carol, Alice), crl (Bob, Carol), ca create --issuer (Alice, Bob), issue (Bob, Carol), renew (Alice, Carol),
  // crl publish: Root (Alice, Bob) and Other (Olga, Pete).
  assert.deepEqual(uses.sort(), [['Alice', 'Bob'], ['Alice', 'Bob'], ['Alice', 'Carol'], ['Alice', 'Carol'], ['Bob', 'Carol'], ['Bob', 'Carol'], ['Olga', 'Pete']]);
  // quorum show lists the latest uses (at most 5), newest first, with the holders whose shares took part.
  const usedLines = (await ok('quorum', 'show', 'Root')).stdout.split('\n').filter((l) => l.startsWith('  used '));
  assert.equal(usedLines.length, 5);
  assert.match(usedLines[0]!, new RegExp(`^  used ${ISO} by Alice, Bob$`), 'crl publish, the latest');
  assert.deepEqual(usedLines.map((l) => l.replace(/^.* by /, '')), ['Alice, Bob', 'Alice, Carol', 'Bob, Carol', 'Alice, Bob', 'Bob, Carol']);
  const log = (await ok('audit', 'list', '--json')).stdout;
  for (const f of [A, B, C]) {
    const body = readFileSync(join(dir, f), 'utf8').split('\n').slice(1, -2).join('');
    assert.equal(log.includes(body.slice(0, 40)), false);
  }

  // Re-issue by two officers: the old shares stop working, the new ones sign.
  mkdirSync(join(dir, 'shares2'));
  writeFileSync(join(dir, 'holders2.txt'), `${HP.Dave}\n${HP.Erin}\n`);
  const reissued = (await ok('quorum', 'reissue', 'Root', ...withShares([A, 'Alice'], [C, 'Carol']), '--shares', '2', '--threshold', '2', '--holders', 'Dave,Erin', '--out', 'shares2', '--holder-passphrase-file', 'holders2.txt')).stdout;
  assert.match(reissued, /^Re-issued the shares of CA "Root" under 2-of-2 control \(split [0-9a-f]{32}\)/);
  const afterReissue = await count();
  const old = await cd('crl', 'Root', '--out', 'root2.crl', ...withShares([A, 'Alice'], [B, 'Bob']));
  assert.equal(old.status, 1);
  assert.equal(old.stderr, `certdesk: error: share file ${A} (Alice) is from another split of CA "Root": its shares were re-issued since, and it no longer works\n`);
  assert.equal(await crlNumber(), 2);
  await ok('crl', 'Root', '--out', 'root2.crl', ...withShares(['shares2/root-share-1-of-2-dave.certdesk-share', 'Dave'], ['shares2/root-share-2-of-2-erin.certdesk-share', 'Erin']));
  assert.equal(await crlNumber(), 3);
  assert.equal(await count(), afterReissue);
  const reissues = (await ok('audit', 'list', '--action', 'ca.quorum-reissue', '--json')).json!.entries as { details: Record<string, unknown> }[];
  assert.equal(reissues.length, 1);
  assert.deepEqual([reissues[0]!.details.holders, reissues[0]!.details.authorisedBy, reissues[0]!.details.k, reissues[0]!.details.n], [['Dave', 'Erin'], ['Alice', 'Carol'], 2, 2]);
});
