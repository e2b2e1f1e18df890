// certdesk pending as an administrator meets it after a run died: the listing (text and --json), "resume"
// (a new password where one reached no one; never printed into a pipe), "abandon", bad ids, and re-running
// the same renew, which finishes the interrupted delivery instead of failing with "already renewed".
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { certdesk, certdeskAsync, certdeskInFolder } from '../helpers/cli.js';
import { PASSPHRASE, TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const CRASH_AT = pathToFileURL(fileURLToPath(new URL('../helpers/crash-at.js', import.meta.url))).href;

async function setup(t: TestContext) {
  const dir = tempDir(t);
  const vault = await createVault(join(dir, 'v.certdesk'), PASSPHRASE, { kdf: { ...TEST_KDF } });
  await createCa(vault, { name: 'Users', subject: 'CN=Pending Users,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
  await issueCertificate(vault, { ca: 'Users', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' });
  vault.close();
  mkdirSync(join(dir, 'stick'));
  const env = { CERTDESK_VAULT: 'v.certdesk', CERTDESK_PASSPHRASE: PASSPHRASE };
  // The commands run in this process, but for the kills and the two that check what a pipe receives (spawn).
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  const spawn = (...args: string[]) => certdesk(args, env, dir);
  /** Runs the command and kills it with SIGKILL just before its first file write (right after its commit). */
  const killed = async (...args: string[]) => {
    const r = await certdeskAsync(args, { ...env, CERTDESK_TEST_KILL_AT: '1' }, dir, ['--import', CRASH_AT]);
    assert.equal(r.signal, 'SIGKILL', r.stderr);
  };
  return { dir, cd, spawn, killed };
}

const hidden = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /(^|\/)\./.test(p));

test('pending lists interrupted work; resume writes a renewal\'s new password to its list, never into a pipe', async (t) => {
  const { dir, cd, spawn, killed } = await setup(t);
  const empty = await cd('pending');
  assert.equal(empty.status, 0);
  assert.match(empty.stdout, /Nothing is pending/);
  assert.deepEqual((await cd('pending', '--json')).json, { ok: true, pending: [] });

  await killed('renew', '2', '--out', 'stick', '--passwords', 'passwords.csv');
  const listed = await cd('pending');
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^\s+1 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}bundle of certificate 3 \(Alice Example\), renewed, into .*stick; its new password goes to .*passwords\.csv$/m);
  assert.match(listed.stdout, /certdesk pending resume/);
  const json = (await cd('pending', '--json')).json!.pending as { id: number; kind: string; operation: string; certificateId: number; newPassword: boolean }[];
  assert.deepEqual(json.map((d) => [d.id, d.kind, d.operation, d.certificateId, d.newPassword]), [[1, 'bundle', 'renew', 3, true]]);

  // Text into a pipe: the password goes to the list, not to stdout.
  const resumed = spawn('pending', 'resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /Finished delivery 1: bundle of certificate 3/);
  assert.match(resumed.stdout, /its new password is in .*passwords\.csv/);
  const lines = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { password: string }[];
  assert.equal(lines.length, 1);
  assert.ok(!resumed.stdout.includes(lines[0]!.password), 'the password is not printed into a pipe');
  assert.match((await cd('pending')).stdout, /Nothing is pending/);
  assert.deepEqual(hidden(dir), []);
});

test('a bundle whose new password would reach no one waits for --json or a terminal; abandon gives one up', async (t) => {
  const { dir, cd, spawn, killed } = await setup(t);
  await killed('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Ben Example', '--email', 'ben@example.com', '--key', 'ec-p256', '--out', 'stick');
  await killed('issue', '--ca', 'Users', '--profile', 'user', '--name', 'Cy Example', '--email', 'cy@example.com', '--key', 'ec-p256', '--out', 'stick');

  const piped = spawn('pending', 'resume');
  assert.equal(piped.status, 1);
  assert.match(piped.stderr, /2 delivery\(ies\) not finished: 1 \(its new password would reach no one: run "certdesk pending resume" with --json or at a terminal\)/);
  assert.equal(((await cd('pending', '--json')).json!.pending as unknown[]).length, 2, 'both still pending');

  const one = await cd('pending', 'resume', '1', '--json');
  assert.equal(one.status, 0, one.stderr);
  const finished = one.json!.finished as { id: number; holder: string; files: string[]; password: string }[];
  assert.deepEqual(finished.map((f) => [f.id, f.holder]), [[1, 'Ben Example']]);
  assert.match(finished[0]!.password, /^\S{16}$/);

  // Bad ids are usage errors; an unknown or finished one is an error naming it.
  assert.equal((await cd('pending', 'abandon')).status, 2);
  assert.equal((await cd('pending', 'abandon', 'x1')).status, 2);
  assert.equal((await cd('pending', 'resume', '0')).status, 2);
  const unknown = await cd('pending', 'abandon', '9');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no delivery 9/);
  const finishedAgain = await cd('pending', 'abandon', '1');
  assert.equal(finishedAgain.status, 1);
  assert.match(finishedAgain.stderr, /delivery 1 is not pending: it was delivered/);

  const abandoned = await cd('pending', 'abandon', '2', '--reason', 'Cy left the company', '--json');
  assert.equal(abandoned.status, 0, abandoned.stderr);
  assert.deepEqual((abandoned.json!.abandoned as { id: number }[]).map((d) => d.id), [2]);
  assert.match((await cd('pending')).stdout, /Nothing is pending/);
  const audit = (await cd('audit', 'list', '--action', 'delivery.abandon', '--json')).json!.entries as { details: Record<string, unknown> }[];
  assert.equal(audit[0]!.details.reason, 'Cy left the company');
  assert.equal((await cd('audit', 'verify')).status, 0);
  assert.deepEqual(hidden(dir), []);
  assert.equal(readdirSync(join(dir, 'stick')).length, 1, "only Ben's bundle");
});

test('running the same renew again after it was killed finishes its delivery instead of failing', async (t) => {
  const { dir, cd, killed } = await setup(t);
  await killed('renew', '2', '--out', 'stick', '--passwords', 'passwords.csv');
  const again = await cd('renew', '2', '--out', 'stick', '--passwords', 'passwords.csv', '--json');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual((again.json!.renewed as { id: number; renewedFrom: number; resumed: boolean }[]).map((r) => [r.renewedFrom, r.id, r.resumed]), [[2, 3, true]]);
  assert.equal(readdirSync(join(dir, 'stick')).length, 1);
  assert.equal((parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as unknown[]).length, 1);
  assert.match((await cd('pending')).stdout, /Nothing is pending/);
  const third = await cd('renew', '2', '--out', 'stick', '--passwords', 'passwords.csv');
  assert.equal(third.status, 1, 'once delivered, renewing again is refused as before');
  assert.match(third.stderr, /already renewed by certificate 3/);
});
