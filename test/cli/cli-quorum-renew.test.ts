// Issue 15, two officers across a renewal with a new key, from the command line: ca renew --new-key of a quorum
// root needs its shares (exit 1 and no new CA without them); the new CA is under the same officers' control, and
// their existing share files, given with --share, sign with it and with the retired CA's CRL.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { HOLDER_PASSPHRASES as HP } from '../helpers/holders.js';

const PASSPHRASE = 'quorum renew cli passphrase';

test('ca renew --new-key of a quorum root: shares needed, the new CA under the same split, the same share files sign with it', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, PASSPHRASE);
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=CLI Renew Quorum Root', '--key', 'ec-p256', '--crl-url', 'http://pki.example.com/root.crl');
  for (const h of Object.keys(HP)) writeFileSync(join(dir, `${h}.pass`), `${HP[h]}\n`);
  writeFileSync(join(dir, 'holders.txt'), `${HP.Alice}\n${HP.Bob}\n${HP.Carol}\n`);
  mkdirSync(join(dir, 'shares'));
  await ok('quorum', 'set', 'Root', '--shares', '3', '--threshold', '2', '--holders', 'Alice,Bob,Carol', '--out', 'shares', '--holder-passphrase-file', 'holders.txt');
  const A = 'shares/root-share-1-of-3-alice.certdesk-share';
  const B = 'shares/root-share-2-of-3-bob.certdesk-share';
  const C = 'shares/root-share-3-of-3-carol.certdesk-share';
  const withShares = (...pairs: [string, string][]) => pairs.flatMap(([file, holder]) => ['--share', file, '--share-passphrase-file', `${holder}.pass`]);
  const renew = ['ca', 'renew', 'Root', '--new-key', '--name', 'Root 2', '--crl-url', 'http://pki.example.com/root2.crl'];

  const refused = await cd(...renew);
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, 'certdesk: error: CA "Root" is under 2-of-3 control: give 2 shares with --share FILE\n');
  assert.equal(((await ok('ca', 'list', '--json')).json!.cas as unknown[]).length, 1, 'no new CA');

  const renewed = await cd(...renew, ...withShares([A, 'Alice'], [B, 'Bob']));
  assert.equal(renewed.status, 0, renewed.stderr);
  const show = (await ok('quorum', 'show', 'Root 2')).stdout;
  assert.match(show, /^CA "Root 2": under 2-of-3 control \(split [0-9a-f]{32}\)\n {2}share 1: Alice\n {2}share 2: Bob\n {2}share 3: Carol\n {2}shares made: \d{4}-\d\d-\d\dT[0-9:.]+Z\n {2}not used since its shares were made\n$/);
  assert.equal(show.split('\n')[0]!.replace('Root 2', 'Root'), (await ok('quorum', 'show', 'Root')).stdout.split('\n')[0], 'the same split as the retired CA');

  const issue = (...extra: string[]) => cd('issue', '--ca', 'Root 2', '--profile', 'user', '--name', 'Dana Example', '--email', 'dana@example.com', '--key', 'ec-p256', ...extra);
  const without = await issue();
  assert.equal(without.status, 1);
  assert.equal(without.stderr, 'certdesk: error: CA "Root 2" is under 2-of-3 control: give 2 shares with --share FILE\n');
  const signed = await issue(...withShares([C, 'Carol'], [A, 'Alice']));
  assert.equal(signed.status, 0, signed.stderr);
  mkdirSync(join(dir, 'crls'));
  const published = await cd('crl', 'publish', '--out', 'crls', ...withShares([B, 'Bob'], [C, 'Carol']));
  assert.equal(published.status, 0, published.stderr);
  assert.equal((await ok('vault', 'verify')).stdout, 'ok\n');
});
