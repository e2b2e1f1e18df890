// No interrupted task is lost: "renew --out", "issue --out DIR", "issue --out FILE", "sign-csr --out", "issue-batch" and "crl publish" are
// killed with SIGKILL at every file write, fsync and rename they make (helpers/crash-at.ts counts them in a
// first, uninterrupted run, then each trial kills a fresh copy of the vault at the next one; a point just after an
// fsync with nothing else changed since is the point just before it, since under SIGKILL an fsync changes nothing
// another process reads, so a bundle's flush of its files is one point, not one per file). After every
// kill the vault opens, its audit chain and "vault verify" pass, and "certdesk pending resume" leaves every
// certificate the run committed with exactly one bundle whose password works, every CRL published, and
// nothing of CertDesk's own (".partial" folders, ".tmp" files) behind.
// Only the killed runs need processes of their own (a kill ends a process): "pending resume" and the batch's
// re-run are the same bundled CLI called in this process (certdeskInProcess), which spares each trial a Node start,
// a load of the CLI and its worker threads' start.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { listPending } from '../../electron/core/delivery/pending.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { listCas, listCertificates } from '../../electron/core/issuance/records.js';
import { parsePfx } from '../../electron/core/pki/pkcs12-parse.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { certdeskAsync, certdeskInProcess, type CliResult } from '../helpers/cli.js';
import { PASSPHRASE, TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { libraryCsr } from '../helpers/csr.js';
// After the engine's modules, which load the reflect-metadata polyfill @peculiar/x509 needs.
import * as x509 from '@peculiar/x509';

const CRASH_AT = pathToFileURL(fileURLToPath(new URL('../helpers/crash-at.js', import.meta.url))).href;
const VAULT = 'v.certdesk';
const ENV = { CERTDESK_VAULT: VAULT, CERTDESK_PASSPHRASE: PASSPHRASE };
/** The certificates the template holds: Root CA 1, Users CA 2, Alice 3. */
const TEMPLATE_CERTS = 3;

/** A vault with a root, an issuing CA and Alice's certificate (cheap scrypt, so every CLI run unlocks fast). */
async function template(dir: string, opts: { keepKey: boolean }): Promise<string> {
  const path = join(dir, 'template.certdesk');
  const vault = await createVault(path, PASSPHRASE, { kdf: { ...TEST_KDF } });
  try {
    await createCa(vault, { name: 'Root', subject: 'CN=Crash Root,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
    await createCa(vault, { name: 'Users', subject: 'CN=Crash Users,O=Example,C=GB', keyType: 'ec-p256', days: 1800, issuer: 'Root' });
    await issueCertificate(vault, { ca: 'Users', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' });
    if (!opts.keepKey) updateProfile(vault, 'user', { keepKey: false });
  } finally {
    vault.close();
  }
  return path;
}

function trialDir(base: string, templatePath: string, name: string, files: Record<string, Uint8Array> = {}): string {
  const dir = mkdtempSync(join(base, `${name}-`));
  copyFileSync(templatePath, join(dir, VAULT));
  mkdirSync(join(dir, 'stick'));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

async function openVault(dir: string): Promise<Vault> {
  const vault = Vault.open(join(dir, VAULT));
  await vault.unlock(PASSPHRASE);
  return vault;
}

/** The passphrase as a file, beside the trial folders (killAtEveryWrite writes it), for the commands run in this process. */
const PASSPHRASE_FILE = 'passphrase.txt';

/**
 * The global options that stand for ENV in a command run in this process (certdeskInProcess), which has neither
 * that environment nor the trial's folder as its own: the vault's absolute path and the passphrase's file.
 */
function inProcess(dir: string): string[] {
  return ['--vault', join(dir, VAULT), '--passphrase-file', join(dir, '..', PASSPHRASE_FILE)];
}

/** Everything hidden under dir: CertDesk's temporary names (".NAME.partial-<hex>", ".NAME.<hex>.tmp") all start with a dot. */
function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /(^|\/)\./.test(p));
}

interface Scenario {
  args: string[];
  /** Files the run reads, written into every trial folder (name -> content). */
  files?: Record<string, Uint8Array>;
  keepKey: boolean;
  /** Checks the trial folder after the kill and "pending resume" (whose --json answer is given). */
  verify(dir: string, vault: Vault, resumed: CliResult, label: string): Promise<void>;
}

/** Runs `items` through `fn`, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function killAtEveryWrite(t: TestContext, s: Scenario, minOps: number): Promise<void> {
  const base = tempDir(t);
  const tpl = await template(base, { keepKey: s.keepKey });
  writeFileSync(join(base, PASSPHRASE_FILE), PASSPHRASE);

  // The uninterrupted run: every operation it makes is a place to kill the next ones.
  const countDir = trialDir(base, tpl, 'count', s.files);
  const opsFile = join(countDir, 'ops.json');
  const sameFile = join(countDir, 'same.json');
  const whole = await certdeskAsync(s.args, { ...ENV, CERTDESK_TEST_COUNT_OPS: opsFile, CERTDESK_TEST_SAME_STATES: sameFile }, countDir, ['--import', CRASH_AT]);
  assert.equal(whole.status, 0, whole.stderr);
  const ops = JSON.parse(readFileSync(opsFile, 'utf8')) as string[];
  assert.ok(ops.length >= minOps, `the run makes at least ${minOps} file operations (${ops.length}: ${ops.join('; ')})`);
  // A kill just after an fsync (before the next operation, nothing else changed in between) leaves the files a kill
  // just before that fsync leaves (crash-at.ts says why): that state is killed once, before the fsync.
  const same = new Set(JSON.parse(readFileSync(sameFile, 'utf8')) as number[]);
  for (const n of same) assert.match(ops[n - 2] ?? '', /^fsync /, `op ${n - 1}, before op ${n}, is an fsync`);
  const points = [
    ...ops.flatMap((op, i) => (same.has(i + 1) ? [] : [{ at: String(i + 1), label: `killed before ${op}` }])),
    { at: `after:${ops.length}`, label: `killed after ${ops.at(-1)}` },
  ];
  // The crash points in the report, so a change that makes fewer of them shows (build/test.mjs prints diagnostics).
  t.diagnostic(`${points.length} crash points (${same.size} more just after an fsync with nothing else changed: the same state as the point before it): ${points.map((p) => p.label).join('; ')}`);

  await pool(points, Math.max(2, availableParallelism()), async ({ at, label }) => {
    const dir = trialDir(base, tpl, `kill-${at.replace(':', '-')}`, s.files);
    const killed = await certdeskAsync(s.args, { ...ENV, CERTDESK_TEST_KILL_AT: at }, dir, ['--import', CRASH_AT]);
    assert.equal(killed.signal, 'SIGKILL', `${label}: the run was killed (${killed.stderr})`);

    // The vault opens, its audit chain holds and "vault verify" finds every record as CertDesk left it.
    let vault = await openVault(dir);
    try {
      const audit = vault.verifyAudit();
      assert.equal(audit.ok, true, `${label}: audit ${JSON.stringify(audit.firstBad)}`);
      const verified = verifyVault(vault);
      assert.equal(verified.ok, true, `${label}: vault verify: ${verificationLines(verified).join('; ')}`);
    } finally {
      vault.close();
    }

    const resumed = await certdeskInProcess(['pending', 'resume', '--json', ...inProcess(dir)]);
    assert.equal(resumed.status, 0, `${label}: pending resume: ${resumed.stderr}`);
    vault = await openVault(dir);
    try {
      assert.deepEqual(listPending(vault), [], `${label}: nothing is pending after resume`);
      assert.equal(vault.verifyAudit().ok, true, `${label}: audit after resume`);
      assert.equal(verifyVault(vault).ok, true, `${label}: vault verify after resume`);
      await s.verify(dir, vault, resumed, label);
    } finally {
      vault.close();
    }
    assert.deepEqual(leftovers(dir), [], `${label}: no .partial or .tmp left`);
  });
}

/** The one bundle folder of a certificate in the stick (by its manifest), asserting there is exactly one. */
function onlyBundleOf(dir: string, sha256: string, label: string): string {
  const folders = readdirSync(join(dir, 'stick')).filter((f) => {
    const manifest = join(dir, 'stick', f, 'manifest.json');
    return existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { certificate: { sha256: string } }).certificate.sha256 === sha256;
  });
  assert.equal(folders.length, 1, `${label}: exactly one bundle of ${sha256.slice(0, 12)} (${readdirSync(join(dir, 'stick')).join(', ')})`);
  return join(dir, 'stick', folders[0]!);
}

async function assertOpens(folder: string, password: string, label: string): Promise<void> {
  const pfx = readdirSync(folder).find((f) => f.endsWith('.pfx'))!;
  const contents = await parsePfx(new Uint8Array(readFileSync(join(folder, pfx))), password);
  assert.ok(contents, `${label}: the PFX opens with its password`);
}

test('kill -9 at every file write and fsync of "renew --out --passwords": resume leaves one bundle and one working password line per renewal', async (t) => {
  await killAtEveryWrite(
    t,
    {
      args: ['renew', '3', '--out', 'stick', '--passwords', 'passwords.csv', '--json'],
      keepKey: true,
      async verify(dir, vault, _resumed, label) {
        const renewed = listCertificates(vault, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS);
        assert.equal(renewed.length, 1, `${label}: one renewal`);
        const folder = onlyBundleOf(dir, renewed[0]!.sha256, label);
        const lines = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { holder: string; file: string; password: string }[];
        assert.equal(lines.length, 1, `${label}: one password line (${lines.map((l) => l.file).join(', ')})`);
        assert.equal(lines[0]!.file.split('/')[0], folder.split('/').at(-1), `${label}: the line names the bundle`);
        await assertOpens(folder, lines[0]!.password, label);
      },
    },
    20,
  );
});

test('kill -9 at every file write and fsync of "issue --out DIR" (key not kept): resume makes the bundle from the sealed key with a new password', async (t) => {
  await killAtEveryWrite(
    t,
    {
      args: ['issue', '--ca', 'Users', '--profile', 'user', '--name', 'Bob Example', '--email', 'bob@example.com', '--key', 'ec-p256', '--out', 'stick', '--json'],
      keepKey: false,
      async verify(dir, vault, resumed, label) {
        const issued = listCertificates(vault, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS);
        assert.equal(issued.length, 1, `${label}: one certificate`);
        assert.equal(issued[0]!.hasKey, false, 'the profile keeps no key');
        const folder = onlyBundleOf(dir, issued[0]!.sha256, label);
        const finished = (resumed.json!.finished as { certificateId: number; password?: string }[]).filter((f) => f.certificateId === issued[0]!.id);
        assert.equal(finished.length, 1, `${label}: resume finished Bob's bundle`);
        await assertOpens(folder, finished[0]!.password!, label);
        const sealed = vault.db.prepare('SELECT count(*) AS n FROM deliveries WHERE key_ciphertext IS NOT NULL').get() as { n: number };
        assert.equal(sealed.n, 0, `${label}: the sealed key is wiped once delivered`);
      },
    },
    20,
  );
});

test('kill -9 at every write, fsync and rename of "issue --out FILE": resume writes the PEM', async (t) => {
  await killAtEveryWrite(
    t,
    {
      args: ['issue', '--ca', 'Users', '--profile', 'user', '--name', 'Carol Example', '--email', 'carol@example.com', '--key', 'ec-p256', '--out', 'carol.pem'],
      keepKey: true,
      async verify(dir, vault, _resumed, label) {
        const issued = listCertificates(vault, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS);
        assert.equal(issued.length, 1, `${label}: one certificate`);
        assert.equal(readFileSync(join(dir, 'carol.pem'), 'utf8'), issued[0]!.pem, `${label}: the PEM is the certificate`);
      },
    },
    3,
  );
});

test('kill -9 at every write, fsync and rename of "sign-csr --out FILE": resume writes the PEM, and the request is signed once', async (t) => {
  const csr = await libraryCsr(new x509.Name('CN=Dave Example'), [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: 'dave@example.com' }])]);
  await killAtEveryWrite(
    t,
    {
      args: ['sign-csr', '--ca', 'Users', '--profile', 'user', '--csr', 'dave.csr', '--out', 'dave.pem'],
      files: { 'dave.csr': csr },
      keepKey: true,
      async verify(dir, vault, _resumed, label) {
        const signed = listCertificates(vault, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS);
        assert.equal(signed.length, 1, `${label}: one certificate`);
        assert.equal(readFileSync(join(dir, 'dave.pem'), 'utf8'), signed[0]!.pem, `${label}: the PEM is the certificate`);
      },
    },
    3,
  );
});

test('kill -9 at every write, fsync and rename of "crl publish": resume publishes every CA\'s CRL and the combined file', async (t) => {
  await killAtEveryWrite(
    t,
    {
      args: ['crl', 'publish', '--out', 'stick'],
      keepKey: true,
      async verify(dir, vault, _resumed, label) {
        const names = readdirSync(join(dir, 'stick')).sort();
        assert.deepEqual(names, ['crl-chain.pem', 'root.crl', 'root.crl.pem', 'users.crl', 'users.crl.pem'], label);
        const combined = readFileSync(join(dir, 'stick', 'crl-chain.pem'), 'utf8');
        assert.equal(combined.match(/-----BEGIN X509 CRL-----/g)?.length, 2, `${label}: both CRLs in the combined file`);
        for (const ca of listCas(vault)) assert.ok(ca.crlNumber >= 1, `${label}: ${ca.name} has published a CRL`);
      },
    },
    12,
  );
});

test('kill -9 at every write, fsync and rename of "issue-batch" (one step of two rows): resume and a re-run issue each holder once, one bundle and one working password line each', async (t) => {
  const people = ['Erin Example', 'Frank Example'];
  const csv = 'name,email\n' + people.map((p) => `${p},${p.split(' ')[0]!.toLowerCase()}@example.com\n`).join('');
  const args = ['issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'people.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json'];
  const RELATIVE_PATHS = ['people.csv', 'stick', 'passwords.csv'];
  await killAtEveryWrite(
    t,
    {
      args,
      files: { 'people.csv': new TextEncoder().encode(csv) },
      keepKey: false,
      async verify(dir, vault, _resumed, label) {
        // Rows committed before the kill were delivered by "pending resume"; running the CSV again issues the others.
        const committed = listCertificates(vault, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS).length;
        // The same command, its relative paths made absolute: this process's working folder is not the trial's.
        const again = await certdeskInProcess([...args.map((a) => (RELATIVE_PATHS.includes(a) ? join(dir, a) : a)), ...inProcess(dir)]);
        assert.equal(again.status, 0, `${label}: the re-run: ${again.stderr}`);
        const report = again.json!.batch as { issued: number; alreadyDone: number; redelivered: number; remaining: number };
        const { issued: newly, alreadyDone, redelivered, remaining } = report;
        assert.deepEqual({ newly, alreadyDone, redelivered, remaining }, { newly: people.length - committed, alreadyDone: committed, redelivered: 0, remaining: 0 }, `${label}: the re-run issues exactly the rows not committed`);
        const reread = await openVault(dir);
        try {
          const issued = listCertificates(reread, { kind: 'end-entity' }).filter((c) => c.id > TEMPLATE_CERTS);
          assert.deepEqual(issued.map((c) => c.holder).sort(), people, `${label}: each holder issued once`);
          const lines = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { holder: string; file: string; password: string }[];
          assert.deepEqual(lines.map((l) => l.holder).sort(), people, `${label}: one password line per holder (${lines.map((l) => l.file).join(', ')})`);
          for (const c of issued) {
            const folder = onlyBundleOf(dir, c.sha256, label);
            const line = lines.find((l) => l.holder === c.holder)!;
            assert.equal(line.file.split('/')[0], folder.split('/').at(-1), `${label}: ${c.holder}'s line names the bundle`);
            await assertOpens(folder, line.password, `${label}, ${c.holder}`);
          }
          assert.deepEqual(listPending(reread), [], `${label}: nothing pending after the re-run`);
        } finally {
          reread.close();
        }
      },
    },
    40,
  );
});
