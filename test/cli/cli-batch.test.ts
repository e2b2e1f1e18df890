// certdesk issue-batch as an administrator runs it: a real spreadsheet export with a bad row (nothing is
// issued, the line numbers are right), the corrected file (everyone issued), and a batch killed with
// SIGKILL midway that is resumed without issuing anyone twice.
// The commands run in this process (certdeskInFolder), but for the batch that is killed: a process of its own.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { CLI, certdeskInFolder, initTestVault } from '../helpers/cli.js';
import { needTools, run } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'batch cli passphrase' };
  const cd = (...args: string[]) => certdeskInFolder(args, env, dir);
  await initTestVault(env.CERTDESK_VAULT, env.CERTDESK_PASSPHRASE);
  assert.equal((await cd('ca', 'create', '--name', 'Users', '--subject', 'CN=Batch Users CA,O=Beispiel GmbH,C=DE', '--key', 'ec-p256')).status, 0);
  mkdirSync(join(dir, 'stick'));
  return { dir, env, cd };
}

// Excel in a German locale: UTF-8 with BOM, semicolons, CRLF, quoted delimiters, doubled quotes, a line break in a cell.
const HEADER = '\ufeffName;Email;Alias;Description\r\n';
const ROWS = [
  'Jürgen Groß;juergen@beispiel.de;jg;Vertrieb\r\n',
  '"Müller; Hans";"hans@beispiel.de;h.mueller@beispiel.de";hm;"Sagt ""Moin""\r\nzweite Zeile"\r\n',
  'Дмитрий Иванов;dmitri@beispiel.de;di;\r\n',
  '山田 太郎;taro(at)beispiel.de;yt;\r\n',
  'Zoë Ørsted;zoe@beispiel.de;zo;\r\n',
];

test('a spreadsheet CSV with a bad row issues nothing and names the line; the corrected CSV issues every row', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, cd } = await setup(t);
  writeFileSync(join(dir, 'staff.csv'), HEADER + ROWS.join(''));
  const bad = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json');
  assert.equal(bad.status, 1);
  // Line 1 header, 2 Jürgen, 3-4 Müller (a line break inside the quoted description), 5 Дмитрий, 6 山田.
  assert.deepEqual((bad.json!.details as { problems: unknown[] }).problems, [{ line: 6, column: 'email', reason: 'bad e-mail address: email SAN "taro(at)beispiel.de": not an address of the form local@domain' }]);
  assert.match(bad.stderr, /line 6, email: bad e-mail address/);
  assert.deepEqual(readdirSync(join(dir, 'stick')), []);
  assert.equal(existsSync(join(dir, 'passwords.csv')), false);
  assert.equal(((await cd('list', '--json')).json!.certificates as unknown[]).length, 0);

  writeFileSync(join(dir, 'staff.csv'), HEADER + ROWS.join('').replace('taro(at)beispiel.de', 'taro@beispiel.de'));
  const dry = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /all 5 row\(s\) are valid.*Nothing was issued/);
  assert.deepEqual(readdirSync(join(dir, 'stick')), []);

  const ok = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((ok.json!.batch as { issued: number }).issued, 5);
  const certs = (await cd('list', '--json')).json!.certificates as { holder: string; sans: { value: string }[] }[];
  assert.deepEqual(certs.map((c) => c.holder).sort(), ['Jürgen Groß', 'Müller; Hans', 'Zoë Ørsted', 'Дмитрий Иванов', '山田 太郎'].sort());
  assert.deepEqual(certs.find((c) => c.holder === 'Müller; Hans')!.sans.map((s) => s.value), ['hans@beispiel.de', 'h.mueller@beispiel.de']);

  // The password list is apart from the bundles; every listed PFX opens with its password.
  const list = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { holder: string; alias: string; file: string; password: string }[];
  assert.equal(list.length, 5);
  assert.equal(readdirSync(join(dir, 'stick')).length, 5);
  for (const row of list) {
    const r = run('openssl', ['pkcs12', '-info', '-noout', '-passin', 'env:P', '-in', join(dir, 'stick', row.file)], { env: { ...process.env, P: row.password } });
    assert.equal(r.status, 0, `${row.holder}: ${r.stderr}`);
  }
  const again = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256');
  assert.match(again.stdout, /Issued 0 certificate\(s\); 5 were done by an earlier run/);
  const inside = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'stick/pw.csv');
  assert.equal(inside.status, 2);
});

test('a batch killed with SIGKILL midway leaves a sound vault; the resumed batch issues every holder exactly once', async (t) => {
  const { dir, env, cd } = await setup(t);
  const total = 40;
  const rows = Array.from({ length: total }, (_, i) => `Person ${String(i + 1).padStart(2, '0')},person${i + 1}@example.com\n`);
  writeFileSync(join(dir, 'big.csv'), 'name,email\n' + rows.join(''));
  const args = [CLI, 'issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'big.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256'];
  const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

  // Watch the vault (WAL lets a reader look while the batch writes) and kill the batch a few rows in.
  const committed = () => {
    if (!existsSync(env.CERTDESK_VAULT)) return 0;
    const db = new Database(env.CERTDESK_VAULT, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'batch_items'").get() as { n: number }).n
        ? (db.prepare('SELECT count(*) AS n FROM batch_items').get() as { n: number }).n
        : 0;
    } finally {
      db.close();
    }
  };
  const deadline = Date.now() + 60_000;
  while (committed() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const atKill = committed();
  assert.ok(atKill >= 4 && atKill < total, `killed midway (${atKill} of ${total} committed)`);

  // The vault opens and its audit chain holds.
  const verify = await cd('audit', 'verify');
  assert.equal(verify.status, 0, verify.stderr);

  const resumed = await cd('issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'big.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json');
  assert.equal(resumed.status, 0, resumed.stderr);
  const report = resumed.json!.batch as { issued: number; alreadyDone: number; redelivered: number; remaining: number };
  assert.equal(report.remaining, 0);
  assert.equal(report.issued + report.alreadyDone + report.redelivered, total);
  assert.equal(report.issued, total - atKill, 'the resumed run issues exactly the rows the killed one had not committed');

  const certs = (await cd('list', '--json')).json!.certificates as { holder: string }[];
  const holders = certs.map((c) => c.holder);
  assert.equal(holders.length, total, 'one certificate per holder');
  assert.equal(new Set(holders).size, total);
  const list = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { holder: string }[];
  assert.deepEqual([...new Set(list.map((r) => r.holder))].sort(), [...holders].sort(), 'every holder has a password line');
  const folders = readdirSync(join(dir, 'stick'));
  assert.ok(folders.every((f) => !f.startsWith('.')), 'no partial bundle is left');
  assert.ok(folders.every((f) => existsSync(join(dir, 'stick', f, 'manifest.json'))));
  assert.equal(folders.length, total, 'one bundle per holder, none left from the killed run');
  assert.deepEqual((await cd('pending', '--json')).json!.pending, [], 'every committed row was delivered');
  assert.equal((await cd('audit', 'verify')).status, 0);
});
