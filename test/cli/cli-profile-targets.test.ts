// `certdesk profile targets PROFILE [--set T1,T2]`: prints the targets and what each checks; --set replaces them in
// the profile's MACed definition (audited as profile.update, vault verify holds) and issuing follows them; an unknown
// or repeated target is refused naming it, and nothing changes.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PREFLIGHT_TARGETS, PROFILE_IDS } from '../../shared/domain.js';
import { TARGET_CHECKS } from '../../electron/core/preflight/profile-targets.js';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'cli profile targets passphrase';

/** The text `profile targets` prints for `on` (in PREFLIGHT_TARGETS order). */
function listing(profile: string, on: string[], isDefault: boolean): string {
  const width = Math.max(...PREFLIGHT_TARGETS.map((t) => t.length));
  return (
    `Profile ${profile}: ${on.length ? on.join(', ') : 'no targets (only the RFC 5280 rules)'}${isDefault ? ' (the built-in default)' : ''}\n` +
    PREFLIGHT_TARGETS.map((t) => `  [${on.includes(t) ? 'x' : ' '}] ${t.padEnd(width)}  ${TARGET_CHECKS[t]}`).join('\n') +
    '\n'
  );
}

test('profile targets: shown with their checks, replaced with --set (MACed, audited, applied), bad ids refused by name', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, PASS);
  await init();
  assert.equal((await ok('profile', 'targets', 'server')).stdout, listing('server', ['apple-tls'], true));
  assert.deepEqual((await ok('profile', 'targets', 'user', '--json')).json, {
    ok: true,
    profile: 'user',
    targets: PREFLIGHT_TARGETS.map((id) => ({ id, on: false, checks: TARGET_CHECKS[id] })),
    isDefault: true,
  });

  // Replace: stored, audited with the new list, and what issuing checks.
  assert.equal((await ok('profile', 'targets', 'server', '--set', 'openvpn-server, ikev2-server')).stdout, listing('server', ['openvpn-server', 'ikev2-server'], false));
  assert.equal((await ok('profile', 'targets', 'server')).stdout, listing('server', ['openvpn-server', 'ikev2-server'], false));
  const audit = (await ok('audit', 'list', '--action', 'profile.update', '--json')).json!.entries as { target: string; details: Record<string, unknown> }[];
  assert.deepEqual(audit.map((e) => [e.target, e.details]), [['profile:server', { targets: ['openvpn-server', 'ikev2-server'] }]]);
  assert.equal((await ok('vault', 'verify', '--json')).json!.ok, true, 'the changed definition carries a valid MAC');
  await ok('ca', 'create', '--name', 'CA', '--subject', 'CN=Targets CA,O=Example,C=DE', '--key', 'ec-p256', '--days', '3650');
  // apple-tls is off: a 1,095-day server certificate is no longer stopped.
  const issued = (await ok('issue', '--ca', 'CA', '--profile', 'server', '--name', 'www.example.com', '--dns', 'www.example.com', '--days', '1095', '--json')).json!;
  assert.deepEqual(issued.findings, []);

  // None at all: only the RFC 5280 rules.
  assert.equal((await ok('profile', 'targets', 'server', '--set', '')).stdout, listing('server', [], false));

  const bad = await cd('profile', 'targets', 'server', '--set', 'apple-tls,openvpn', '--json');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `certdesk: error: targets[1]: "openvpn" is not a target (use ${PREFLIGHT_TARGETS.join(', ')})\n`);
  assert.equal(bad.json?.code, 'INVALID_INPUT');
  const twice = await cd('profile', 'targets', 'mail', '--set', 'smime,smime');
  assert.equal(twice.status, 1);
  assert.equal(twice.stderr, 'certdesk: error: targets[1]: "smime" is listed twice\n');
  assert.equal((await ok('profile', 'targets', 'server')).stdout, listing('server', [], false), 'a refused list changes nothing');
  assert.equal((await ok('profile', 'targets', 'mail')).stdout, listing('mail', ['smime'], true));
  const unknown = await cd('profile', 'targets', 'nosuch');
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stderr, `certdesk: error: no profile "nosuch" (use one of ${PROFILE_IDS.join(', ')})\n`);
});
