// The CLI for issue 14 part A: `certdesk unhold CERT` releases a certificateHold (RFC 5280 5.3.1) and the next
// published CRL (openssl crl -text) no longer lists it; a permanent revocation is refused with the reason;
// `certdesk init` and `certdesk passphrase change` refuse a weak passphrase with zxcvbn's reason and advice.
// The commands run in this process (certdeskInFolder), but for the one that finds no terminal to ask on.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskInFolder, inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const WEAK_REASON = 'too easy to guess (strength 0 of 4, about 7 bits; at least 3 of 4 is needed). Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.';

/** The serials a published CRL lists, as `openssl crl -text` prints them. */
function crlSerials(file: string): string[] {
  const text = runOk('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text']).stdout;
  return [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]!);
}

test('certdesk unhold releases a hold; the next CRL drops it; a permanent revocation is refused', { timeout: 120_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { ok, cd, init } = inProcessSession(dir, 'unhold cli passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Root', '--subject', 'CN=Unhold Root', '--key', 'ec-p256');
  const issue = async (name: string) => ((await ok('issue', '--ca', 'Root', '--profile', 'user', '--name', name, '--email', `${name.toLowerCase()}@example.org`, '--key', 'ec-p256', '--json')).json!.certificate as { id: number; serial: string });
  const held = await issue('Hanna');
  const gone = await issue('Karl');
  await ok('revoke', String(held.id), '--reason', 'certificateHold');
  await ok('revoke', String(gone.id), '--reason', 'keyCompromise');
  const out = join(dir, 'crl');
  mkdirSync(out);
  const publish = async () => {
    const r = (await ok('crl', 'publish', '--out', out, '--json')).json as { publish: { crls: { derFile: string }[] } };
    return crlSerials(r.publish.crls[0]!.derFile);
  };
  // openssl prints a serial in whole bytes, upper case.
  const hex = (s: string) => s.toUpperCase().padStart(s.length + (s.length % 2), '0');
  assert.deepEqual((await publish()).sort(), [hex(held.serial), hex(gone.serial)].sort());

  const r = await ok('unhold', String(held.id));
  assert.equal(r.stdout, `Released certificate ${held.id} (Hanna) from hold; it is valid again.\nPublish new CRLs (Root) so it leaves the list: certdesk crl publish --out DIR\n`);
  assert.deepEqual(await publish(), [hex(gone.serial)]);
  assert.match((await ok('show', String(held.id))).stdout, /valid/);

  const refused = await cd('unhold', String(gone.id));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, new RegExp(`^certdesk: error: certificate ${gone.id} \\(Karl\\) is not on hold: it was revoked on \\S+ for keyCompromise, which is permanent \\(only certificateHold can be released, RFC 5280 5\\.3\\.1\\)\\n$`));
  const again = await cd('unhold', String(held.id));
  assert.equal(again.status, 1);
  assert.equal(again.stderr, `certdesk: error: certificate ${held.id} (Hanna) is not on hold: it is not revoked, so there is nothing to release\n`);
  const missing = await cd('unhold');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing CERT/);
});

test('certdesk init and passphrase change refuse a weak passphrase with the reason; a strong one works', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const vault = join(dir, 'weak.certdesk');
  const weak = await certdeskInFolder(['init'], { CERTDESK_VAULT: vault, CERTDESK_PASSPHRASE: 'aaaaaaaaaa' }, dir);
  assert.equal(weak.status, 1);
  assert.equal(weak.stderr, `certdesk: error: passphrase: ${WEAK_REASON}\n`);
  assert.equal(existsSync(vault), false);

  const { init, spawn } = inProcessSession(dir, 'passphrase rule cli passphrase');
  await init();
  // No new passphrase given and no terminal to ask on: a usage error, nothing changed. A process of its own, whose stdin is no terminal.
  const change = spawn('passphrase', 'change');
  assert.equal(change.status, 2);
  assert.match(change.stderr, /new vault passphrase: set \$CERTDESK_NEW_PASSPHRASE/);
  const r = await certdeskInFolder(['passphrase', 'change'], { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'passphrase rule cli passphrase', CERTDESK_NEW_PASSPHRASE: 'aaaaaaaaaa' }, dir);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `certdesk: error: passphrase: ${WEAK_REASON}\n`);
  const strong = await certdeskInFolder(['passphrase', 'change'], { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'passphrase rule cli passphrase', CERTDESK_NEW_PASSPHRASE: 'maple lantern orbit gravel' }, dir);
  assert.equal(strong.status, 0, strong.stderr);
  assert.equal(strong.stdout, 'Passphrase changed.\n');
});
