// The CLI's preflight: issue, sign-csr and renew list findings (text lines and --json `findings`), an error
// stops with exit 1 naming it, --override "REASON" issues and the audit entry holds the reason and the finding.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { x509 } from '../../electron/core/pki/provider.js';
import { SOURCES } from '../../electron/core/preflight/sources.js';
import { inProcessSession } from '../helpers/cli.js';
import { libraryCsr } from '../helpers/csr.js';
import { APPLE_1095 } from '../helpers/preflight.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'cli preflight passphrase';

test('issue, sign-csr and renew: findings in text and --json, errors stop unless overridden, the override is audited', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, PASS);
  await init();
  await ok('ca', 'create', '--name', 'CA', '--subject', 'CN=CLI Preflight CA,O=Example,C=DE', '--key', 'ec-p256', '--days', '3650');
  const server = ['issue', '--ca', 'CA', '--profile', 'server', '--name', 'www.example.com', '--dns', 'www.example.com', '--days', '1095'];

  const refused = await cd(...server, '--json');
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `certdesk: error: preflight: an error stops this certificate: apple-tls days: ${APPLE_1095.message}. Fix it, change the profile's targets, or override with a reason (--override "REASON"; in the wizard: Issue anyway)\n`);
  assert.equal(refused.json?.code, 'PROFILE_VIOLATION');
  assert.deepEqual(refused.json?.details, { field: 'days', findings: [APPLE_1095] });
  assert.deepEqual((await ok('list', '--json')).json!.certificates, [], 'nothing was issued');

  const text = await ok(...server, '--override', 'lab only');
  assert.match(text.stdout, /^Issued certificate 2 to www\.example\.com: /);
  assert.ok(
    text.stdout.includes(`\nPreflight:\n  error (overridden: lab only) apple-tls days: ${APPLE_1095.message} [${SOURCES.appleTls}]\n`),
    `the finding is listed under the result:\n${text.stdout}`,
  );
  const json = (await ok(...server.slice(0, 6), 'www2.example.com', '--dns', 'www2.example.com', '--days', '1095', '--override', 'lab only', '--json')).json!;
  assert.deepEqual(json.findings, [APPLE_1095]);
  const audit = (await ok('audit', 'list', '--action', 'cert.issue', '--json')).json!.entries as { target: string; details: Record<string, unknown> }[];
  assert.deepEqual(audit.map((e) => [e.target, e.details.override]), [
    ['cert:3', { reason: 'lab only', findings: [APPLE_1095] }],
    ['cert:2', { reason: 'lab only', findings: [APPLE_1095] }],
  ]);
  // Within the limits: no findings, no "Preflight:" lines.
  const plain = (await ok('issue', '--ca', 'CA', '--profile', 'server', '--name', 'ok.example.com', '--dns', 'ok.example.com', '--json')).json!;
  assert.deepEqual(plain.findings, []);

  // sign-csr: the same gate and output.
  const csr = await libraryCsr([{ CN: ['vpn.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'vpn.example.com' }])]);
  writeFileSync(join(dir, 'vpn.csr'), csr);
  const sign = ['sign-csr', '--ca', 'CA', '--profile', 'server', '--csr', 'vpn.csr', '--days', '1095', '--out', 'vpn.pem'];
  assert.equal((await cd(...sign)).status, 1);
  const signed = (await ok(...sign, '--override', 'appliance', '--json')).json!;
  assert.deepEqual(signed.findings, [APPLE_1095]);

  // renew: under a profile of today's rules. A mail certificate from a CA without a CRL URL gets the smime warning.
  const mail = (await ok('issue', '--ca', 'CA', '--profile', 'mail', '--name', 'Zoe', '--email', 'zoe@example.com', '--json')).json!;
  const warning = {
    target: 'smime',
    field: 'ca',
    severity: 'warning',
    message: 'no CRL distribution point: the CA "CN=CLI Preflight CA,O=Example,C=DE" has no CRL URL, so mail clients cannot check revocation; give the CA an http:// CRL URL',
    source: SOURCES.smimeCrl,
  };
  assert.deepEqual(mail.findings, [warning]);
  const renewed = await ok('renew', String(mail.id));
  assert.ok(renewed.stdout.includes(`  Preflight:\n    warning smime ca: ${warning.message} [${SOURCES.smimeCrl}]\n`), renewed.stdout);
});
