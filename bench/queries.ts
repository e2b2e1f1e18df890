// Benchmark (not a test): the certificate table, search, dashboard, CRL, unlock and CLI start on a vault
// with 100,000 certificates. Prints a table and one JSON line with every figure (targets of issue 13).
// Usage: npm run bench:queries -- [--certificates N] [--vault FILE --passphrase-file FILE] [--no-crl]
//   Without --vault: a vault of N (default 100,000) copies of one issued certificate, each with its own
//   serial, thumbprints, holder (several scripts) and dates, all from one CA, written through the record layer.
//   With --vault (bench:make-vault's): a copy of it is used; the CRL step revokes everything in the copy.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CERT_SORTS } from '../shared/domain.js';
import { createCa } from '../electron/core/issuance/cas.js';
import { issueCertificate } from '../electron/core/issuance/issue.js';
import { listRecipients } from '../electron/core/issuance/recipients.js';
import { listCas } from '../electron/core/issuance/records.js';
import { generateCrl, revokeCertificates } from '../electron/core/issuance/revocation.js';
import { createVault } from '../electron/core/issuance/new-vault.js';
import { certificatePage } from '../electron/core/query/cert-pages.js';
import { certificateCounts, expiryCounts } from '../electron/core/query/dashboard-counts.js';
import { syncSearchIndex } from '../electron/core/search/search-index.js';
import { listAudit } from '../electron/core/vault/audit.js';
import { deriveKek, type KdfParams } from '../electron/core/vault/vault-crypto.js';
import { Vault } from '../electron/core/vault/vault.js';

const DAY = 86_400_000;
const PAGE = 100;
/** An option's value: `--name VALUE` or `--name=VALUE`. */
const arg = (name: string) => {
  const joined = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (joined) return joined.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
// The count: --certificates N, or a bare number first (the older form); a flag first (--no-crl) is not a count.
const countText = arg('certificates') ?? (/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : undefined);
const count = Number(countText ?? 100_000);
if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--certificates: a whole number of 1 or more, got ${countText}`);
const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-q-'));
const path = join(dir, 'v.certdesk');
const figures: Record<string, unknown> = {};
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
const ms = (x: number) => `${x.toFixed(1)} ms`;

const NAMES = ['Ayşe Öztürk', 'Σοφία Παπαδοπούλου', 'Иван Петров', '王伟', 'José García', 'Zoë Müller', 'محمد علي', 'Łukasz Wójcik', 'Anna Smith', 'Νίκος Δημητρίου'];

/** N copies of one issued certificate through the record layer (each its MAC), with varied keys; 1 in 50 revoked. */
async function templateVault(passphrase: string): Promise<void> {
  const vault = await createVault(path, passphrase);
  const cas: Awaited<ReturnType<typeof createCa>>[] = [];
  for (const name of ['Corp CA', 'Branch CA', 'Device CA']) cas.push(await createCa(vault, { name, subject: `CN=${name}`, keyType: 'ec-p256' }));
  const { record } = await issueCertificate(vault, { ca: 'Corp CA', profile: 'user', name: 'Template', sans: [{ type: 'email', value: 't@example.com' }], keyType: 'ec-p256' });
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(record.id) as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  const now = Date.now();
  const t0 = performance.now();
  for (let from = 0; from < count; from += 10_000) {
    vault.transaction(() => {
      for (let i = from; i < Math.min(count, from + 10_000); i++) {
        const ca = cas[0]!; // one CA: its CRL lists every certificate once all are revoked
        const name = `${NAMES[i % NAMES.length]} ${i}`;
        vault.records.insert('certificates', {
          ...values,
          issuer_ca_id: ca.id,
          issuer_dn: ca.subject,
          serial: randomBytes(16).toString('hex'),
          sha1: randomBytes(20).toString('hex'),
          sha256: randomBytes(32).toString('hex'),
          holder: name,
          subject: `CN=${name}`,
          sans: JSON.stringify([{ type: 'email', value: `user${i}@example.org` }]),
          issued_at: new Date(now - ((i * 7) % 1000) * DAY).toISOString(),
          not_after: new Date(now + ((i * 7919) % 730) * DAY - 30 * DAY).toISOString(),
        });
      }
    });
  }
  line(`vault: ${count} certificate rows written (record layer)`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  vault.close();
}

const passphraseFile = arg('passphrase-file');
let passphrase = 'benchmark passphrase';
if (arg('vault')) {
  copyFileSync(arg('vault')!, path);
  passphrase = readFileSync(passphraseFile!, 'utf8').replace(/\r?\n$/, '');
} else {
  await templateVault(passphrase);
}
const passFile = join(dir, 'pass');
writeFileSync(passFile, passphrase + '\n', { mode: 0o600 });

// ---- unlock, without the KDF's own time
{
  const probe = Vault.open(path);
  const kdf = (JSON.parse((probe.db.prepare("SELECT value FROM meta WHERE key = 'vault_key'").get() as { value: string }).value) as { kdf: KdfParams }).kdf;
  probe.close();
  const k0 = performance.now();
  await deriveKek(passphrase, kdf);
  const kdfMs = performance.now() - k0;
  const u0 = performance.now();
  const v = Vault.open(path);
  await v.unlock(passphrase);
  const unlockMs = performance.now() - u0;
  v.close();
  figures.unlock = { totalMs: unlockMs, kdfMs, beyondKdfMs: unlockMs - kdfMs };
  line('unlock (open + unlock) / the KDF alone / beyond the KDF', `${ms(unlockMs)} / ${ms(kdfMs)} / ${ms(unlockMs - kdfMs)}`);
}

const vault = Vault.open(path);
await vault.unlock(passphrase);
// The full-text index of the rows written since the last search (all of them here: a fresh vault).
{
  const s = performance.now();
  const n = syncSearchIndex(vault.db);
  figures.searchIndex = { rows: n, ms: performance.now() - s };
  line(`search index: ${n} new rows folded and indexed`, ms(performance.now() - s));
}
const total = certificatePage(vault, { kind: 'end-entity' }, { sort: 'expiry', direction: 'asc', position: 0, limit: 1 }).total;

// ---- pages: every sort and direction, 24 positions spread over the list (first, last and between)
{
  const positions = [0, total - PAGE, ...Array.from({ length: 22 }, (_, i) => Math.floor(((i + 1) * total) / 23))].filter((p) => p >= 0);
  const pages: Record<string, { anchorsMs: number; worstMs: number }> = {};
  for (const sort of CERT_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      const a0 = performance.now();
      certificatePage(vault, { kind: 'end-entity' }, { sort, direction, position: total - 1, limit: PAGE });
      const anchorsMs = performance.now() - a0;
      let worst = 0;
      for (const position of positions) {
        const s = performance.now();
        const page = certificatePage(vault, { kind: 'end-entity' }, { sort, direction, position, limit: PAGE });
        worst = Math.max(worst, performance.now() - s);
        if (page.rows.length === 0) throw new Error(`no rows at ${position}`);
      }
      pages[`${sort} ${direction}`] = { anchorsMs, worstMs: worst };
      line(`page of ${PAGE}, ${sort} ${direction}: worst of ${positions.length} positions (anchors built)`, `${ms(worst)} (${ms(anchorsMs)})`);
    }
  }
  figures.pages = { certificates: total, positions: positions.length, bySort: pages, worstMs: Math.max(...Object.values(pages).map((p) => p.worstMs)) };
}

// ---- search: the first page of the table for a search (its view built), and the recipients picker
{
  const someSerial = (vault.db.prepare("SELECT serial FROM certificates WHERE kind = 'end-entity' LIMIT 1 OFFSET 777").get() as { serial: string }).serial;
  const queries = ['öztürk', 'ΣΟΦΙΑ', 'иван', 'zo', 'w', 'example.org', '4242', someSerial.slice(4, 14), someSerial.slice(0, 8).replace(/(..)(?=.)/g, '$1:')];
  const searches: Record<string, { ms: number; matches: number; otherSortMs?: number; lastPageMs?: number }> = {};
  for (const q of queries) {
    const s = performance.now();
    const page = certificatePage(vault, { kind: 'end-entity', search: q }, { sort: 'holder', direction: 'asc', position: 0, limit: PAGE });
    const t = performance.now() - s;
    // The same search under another sort: its match set is kept (search-hits.ts), the view is new.
    const s2 = performance.now();
    certificatePage(vault, { kind: 'end-entity', search: q }, { sort: 'expiry', direction: 'desc', position: 0, limit: PAGE });
    const otherSortMs = performance.now() - s2;
    // A jump to the last page: the anchors up to it are found by steps of ANCHOR_EVERY rows.
    const s3 = performance.now();
    certificatePage(vault, { kind: 'end-entity', search: q }, { sort: 'holder', direction: 'asc', position: Math.max(0, page.total - PAGE), limit: PAGE });
    const lastPageMs = performance.now() - s3;
    searches[q] = { ms: t, matches: page.total, otherSortMs, lastPageMs };
    line(`search "${q}" (${page.total} matches): first page / other sort / last page`, `${ms(t)} / ${ms(otherSortMs)} / ${ms(lastPageMs)}`);
  }
  for (const q of ['öztürk', 'ex']) {
    const s = performance.now();
    const n = listRecipients(vault, q).length;
    searches[`recipients: ${q}`] = { ms: performance.now() - s, matches: n };
    line(`recipients search "${q}" (${n} shown)`, ms(performance.now() - s));
  }
  figures.search = { queries: searches, worstMs: Math.max(...Object.values(searches).flatMap((x) => [x.ms, x.otherSortMs ?? 0, x.lastPageMs ?? 0])) };
}

// ---- dashboard: counts, expiry series, CAs and the last audit entries
{
  const run = () => {
    const now = vault.now();
    const iso = now.toISOString();
    certificateCounts(vault.db, iso, new Date(now.getTime() + 30 * DAY).toISOString());
    expiryCounts(vault.db, iso, new Date(now.getTime() + 396 * DAY).toISOString());
    listCas(vault);
    listAudit(vault.db, { limit: 8 });
  };
  run();
  const s = performance.now();
  for (let i = 0; i < 5; i++) run();
  figures.dashboardMs = (performance.now() - s) / 5;
  line('dashboard (counts, expiry series, CAs, audit)', ms(figures.dashboardMs as number));
}

// ---- CLI cold start: `certdesk ca list`, and what its heaviest imports cost on their own
{
  const cli = fileURLToPath(new URL('../cli/certdesk.js', import.meta.url));
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    const r = spawnSync(process.execPath, [cli, 'ca', 'list', '--vault', path, '--passphrase-file', passFile], { encoding: 'utf8' });
    runs.push(performance.now() - s);
    if (r.status !== 0) throw new Error(`certdesk ca list: ${r.stderr}`);
  }
  const imports: Record<string, number> = {};
  for (const mod of ['better-sqlite3', '@peculiar/x509', 'pkijs', 'asn1js', 'zod', 'node-forge', 'qrcode', 'xmlbuilder2', 'csv-parse']) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const s = performance.now(); await import(${JSON.stringify(mod)}); console.log(performance.now() - s);`], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    imports[mod] = Number(r.stdout.trim());
  }
  const nodeAlone = (() => {
    const s = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - s;
  })();
  const coldMs = [...runs].sort((a, b) => a - b)[2]!; // the median of 5
  figures.cli = { caListMs: coldMs, runs, nodeStartMs: nodeAlone, importMs: imports };
  line('CLI `certdesk ca list` cold start (median of 5, the KDF included) / node alone', `${ms(coldMs)} / ${ms(nodeAlone)}`);
  line('  imports alone', Object.entries(imports).map(([m, t]) => `${m} ${t.toFixed(0)}`).join(', ') + ' ms');
}

// ---- a CRL of every certificate: all revoked (as CertDesk revokes), then the CA with most entries signs
if (!process.argv.includes('--no-crl')) {
  const live = vault.db.prepare("SELECT id FROM certificates WHERE kind = 'end-entity' AND status = 'valid' AND deleted_at IS NULL").pluck().all() as number[];
  const r0 = performance.now();
  for (let i = 0; i < live.length; i += 10_000) revokeCertificates(vault, live.slice(i, i + 10_000).map((id) => `id:${id}`), 'superseded');
  const revokeS = (performance.now() - r0) / 1000;
  const ca = vault.db.prepare("SELECT c.name FROM cas c JOIN certificates x ON x.issuer_ca_id = c.id WHERE x.status = 'revoked' GROUP BY c.id ORDER BY count(*) DESC LIMIT 1").pluck().get() as string;
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const c0 = performance.now();
  const crl = await generateCrl(vault, ca);
  const crlMs = performance.now() - c0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  figures.crl = { entries: crl.entries, ms: crlMs, bytes: crl.der.length, rssBeforeMiB: before / 2 ** 20, rssPeakMiB: peak / 2 ** 20, revokeAllSeconds: revokeS };
  line(`CRL of ${crl.entries} entries (${(crl.der.length / 2 ** 20).toFixed(1)} MiB)`, `${ms(crlMs)}, RSS ${(before / 2 ** 20).toFixed(0)} -> peak ${(peak / 2 ** 20).toFixed(0)} MiB`);
}
vault.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(figures));
