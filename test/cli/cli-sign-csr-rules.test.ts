// Issue 11 through `certdesk sign-csr`: the name rules, the profile's subject, IDN dNSNames and the RSA key check.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { x509 } from '../../electron/core/pki/provider.js';
import { inProcessSession } from '../helpers/cli.js';
import { libraryCsr, opensslCsr } from '../helpers/csr.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

test('certdesk sign-csr: refused subjects and keys name what is wrong; a decided subject lists what was left out', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, 'cli sign-csr passphrase');
  await init();
  await ok('ca', 'create', '--name', 'Issuing', '--subject', 'CN=CLI Issuing CA,O=Example,C=DE', '--key', 'ec-p256');
  const refused = async (file: string, profile: string, code: string, message: string) => {
    const r = await cd('sign-csr', '--ca', 'Issuing', '--profile', profile, '--csr', file, '--out', `${file}.pem`, '--json');
    assert.equal(r.status, 1, `${file}: ${r.stdout}`);
    assert.equal(r.json?.code, code, `${file}: ${r.stdout}`);
    assert.ok(String(r.json?.message).includes(message), `${file}: "${String(r.json?.message)}" should include "${message}"`);
  };
  const dns = 'subjectAltName=DNS:dev1.example.com';

  writeFileSync(join(dir, 'cn65.csr'), await libraryCsr(new x509.Name(`CN=${'a'.repeat(65)}`)));
  await refused('cn65.csr', 'device', 'INVALID_NAME', 'csr subject: CN is 65 characters long; the maximum is 64 (RFC 5280)');
  writeFileSync(join(dir, 'usa.csr'), await libraryCsr(new x509.Name('C=USA,CN=dev1')));
  await refused('usa.csr', 'device', 'INVALID_NAME', 'csr subject: C must be a two-letter country code (ISO 3166), got "USA"');
  opensslCsr(dir, 'rlo.csr', '/CN=\u202Egro.elpmaxe', [dns]);
  await refused('rlo.csr', 'device', 'INVALID_NAME', 'csr subject: bidirectional control character U+202E in the value of CN');
  opensslCsr(dir, 'bel.csr', '/CN=dev\u0007one', [dns]);
  await refused('bel.csr', 'device', 'INVALID_NAME', 'csr subject: control character U+0007 in the value of CN');
  opensslCsr(dir, 'two.csr', '/CN=a/CN=b', [dns]);
  await refused('two.csr', 'device', 'INVALID_NAME', 'csr subject: 2 CN (common name) attributes; at most one is allowed');
  opensslCsr(dir, 'ca.csr', '/C=DE/O=Example/CN=CLI Issuing CA', [dns]);
  await refused('ca.csr', 'device', 'INVALID_NAME', 'csr subject: "CN=CLI Issuing CA,O=Example,C=DE" is the subject of CA "Issuing"');
  runOk('openssl', ['genrsa', '-3', '-out', 'e3.key', '2048'], { cwd: dir });
  opensslCsr(dir, 'e3.csr', '/CN=e3', [dns], 'e3.key');
  await refused('e3.csr', 'device', 'WEAK_KEY', 'csr public key: RSA public exponent 3 is too small');

  opensslCsr(dir, 'idn.csr', '/CN=shop', ['subjectAltName=DNS:räksmörgås.se']);
  await ok('sign-csr', '--ca', 'Issuing', '--profile', 'device', '--csr', 'idn.csr', '--out', 'idn.pem');
  assert.equal(runOk('openssl', ['x509', '-in', 'idn.pem', '-noout', '-ext', 'subjectAltName'], { cwd: dir }).stdout.trim().split('\n').at(-1)!.trim(), 'DNS:xn--rksmrgs-5wao1o.se');

  opensslCsr(dir, 'zoe.csr', '/C=US/O=Evil Corp/CN=Zoe Mueller', ['subjectAltName=email:zoe@example.com']);
  const zoe = await ok('sign-csr', '--ca', 'Issuing', '--profile', 'user', '--csr', 'zoe.csr', '--out', 'zoe.pem');
  assert.match(zoe.stdout, /^Signed certificate \d+ for CN=Zoe Mueller,O=Example,C=DE: /);
  assert.ok(zoe.stdout.includes('\nLeft out of the subject (the user profile decides it): C=US, O=Evil Corp\n'), zoe.stdout);
  assert.equal(runOk('openssl', ['x509', '-in', 'zoe.pem', '-noout', '-subject', '-nameopt', 'RFC2253'], { cwd: dir }).stdout.trim(), 'subject=CN=Zoe Mueller,O=Example,C=DE');
});
