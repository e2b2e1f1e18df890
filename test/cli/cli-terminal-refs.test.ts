// The CLI's output of certificate data: control characters and bidi controls from a certificate reach the
// terminal only as visible escapes; and certificate references: "serial:HEX" and "id:N" say which, so the
// certificate with serial 0 is found. The certificates are made by openssl (the CLI would not issue such a
// name) and stored through `ca import`, which keeps the raw name.
// The commands run in this process (inProcessSession): as before, their output is caught, never a terminal (no isTTY).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const EVIL_CN = 'evil\x1b[2J\x1b]0;pwned\x07';
const EVIL_SHOWN = 'evil\\x1b[2J\\x1b]0;pwned\\x07';
/** Any byte a terminal acts on: C0 except tab and line feed, DEL, C1, bidi overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A self-signed CA certificate and key made by openssl, with this CN and serial. */
function opensslCa(dir: string, name: string, cn: string, serial: number): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  runOk('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '365',
    '-set_serial', String(serial), '-utf8', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
  return { cert, key };
}

test('list, show and ca list print a CN with ESC and BEL sequences escaped, never raw; --json escapes them too', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { ok, init } = inProcessSession(dir, 'cli test passphrase');
  await init();
  const evil = opensslCa(dir, 'evil', EVIL_CN, 0);
  await ok('ca', 'import', '--name', 'Evil', '--cert', evil.cert, '--key', evil.key);

  const list = await ok('list', '--include-cas');
  assert.doesNotMatch(list.stdout, RAW_CONTROL);
  assert.match(list.stdout, /^1 +evil\\x1b\[2J\\x1b\]0;pwned\\x07 +Evil +ca +valid /m);

  const show = await ok('show', '1');
  assert.doesNotMatch(show.stdout, RAW_CONTROL);
  assert.match(show.stdout, new RegExp(`^Holder +${EVIL_SHOWN.replace(/[\\[\]]/g, '\\$&')}$`, 'm'));

  const cas = await ok('ca', 'list');
  assert.doesNotMatch(cas.stdout, RAW_CONTROL);
  assert.match(cas.stdout, /^1 +Evil +valid +ec-p256 /m);

  // --json: the same value, as JSON escapes (JSON.parse gives the raw name back).
  const json = await ok('list', '--include-cas', '--json');
  assert.doesNotMatch(json.stdout, RAW_CONTROL);
  assert.equal((json.json!.certificates as { holder: string }[])[0]!.holder, EVIL_CN);
});

test('an error naming a reference with controls prints them escaped', async (t) => {
  const dir = tempDir(t);
  const { ok, cd, init } = inProcessSession(dir, 'cli test passphrase');
  await init();
  const r = await cd('show', 'x\x1b[31m\u202e');
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  assert.equal(r.stderr, 'certdesk: error: no certificate "x\\x1b[31m\\u202e" (give an id, a hex serial or a SHA-256 thumbprint; or id:N, serial:HEX, sha256:HEX)\n');
});

test('serial:00 finds the certificate with serial 0; serial:HEX and id:N tell a serial from an id', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { ok, cd, init } = inProcessSession(dir, 'cli test passphrase');
  await init();
  const zero = opensslCa(dir, 'zero', 'Serial Zero CA', 0);
  const one = opensslCa(dir, 'one', 'Serial One CA', 1);
  await ok('ca', 'import', '--name', 'Zero', '--cert', zero.cert, '--key', zero.key);
  await ok('ca', 'import', '--name', 'One', '--cert', one.cert, '--key', one.key);
  const ninetyNine = opensslCa(dir, 'ninety-nine', 'Serial 99 CA', 0x99);

  const holderOf = async (ref: string) => ((await ok('show', ref, '--json')).json!.certificate as { holder: string; serial: string; id: number });
  assert.deepEqual(pick(await holderOf('serial:00')), { id: 1, holder: 'Serial Zero CA', serial: '00' });
  assert.deepEqual(pick(await holderOf('serial:0')), { id: 1, holder: 'Serial Zero CA', serial: '00' });
  // Plain "1" is the id 1 (serial 00); serial:1 and serial:01 are the certificate whose serial is 1.
  assert.deepEqual(pick(await holderOf('1')), { id: 1, holder: 'Serial Zero CA', serial: '00' });
  assert.deepEqual(pick(await holderOf('serial:1')), { id: 2, holder: 'Serial One CA', serial: '01' });
  assert.deepEqual(pick(await holderOf('serial:01')), { id: 2, holder: 'Serial One CA', serial: '01' });
  assert.deepEqual(pick(await holderOf('id:2')), { id: 2, holder: 'Serial One CA', serial: '01' });
  // No fallback between the prefixed forms: id:00 is not serial 00, serial:2 is not id 2.
  const noId = await cd('show', 'id:00');
  assert.equal(noId.status, 1);
  assert.match(noId.stderr, /no certificate "id:00"/);
  const noSerial = await cd('show', 'serial:2');
  assert.equal(noSerial.status, 1);
  assert.match(noSerial.stderr, /no certificate "serial:2"/);
  // A plain number is an id only: "99" (no certificate 99) never falls back to serial 0x99.
  await ok('ca', 'import', '--name', 'NinetyNine', '--cert', ninetyNine.cert, '--key', ninetyNine.key);
  assert.deepEqual(pick(await holderOf('serial:99')), { id: 3, holder: 'Serial 99 CA', serial: '99' });
  const plain99 = await cd('show', '99');
  assert.equal(plain99.status, 1);
  assert.match(plain99.stderr, /no certificate "99": no certificate has the id 99 \(for the serial 99, write serial:99\)/);
  // The help names the forms.
  assert.match((await ok('--help')).stdout, /"id:N", "serial:HEX" and "sha256:HEX" say which/);
});

function pick(c: { id: number; holder: string; serial: string }) {
  return { id: c.id, holder: c.holder, serial: c.serial };
}
