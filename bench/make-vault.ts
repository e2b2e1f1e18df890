// Builds a vault of N realistic certificates for anyone to try the app (or bench:queries) at scale.
// Usage: node dist/bench/make-vault.js --certificates N --out FILE [--passphrase-file FILE] [--seed S]
//        npm run bench:make-vault -- --certificates 100000 --out big.certdesk
//
// Every certificate is really signed (the CA keys loaded once, a pool of 64 P-256 holder public keys: no
// holder key is kept, as for a certificate signed from a CSR; one template certificate per CA and profile
// built by buildCertificate, every other one stamped from it and signed with node:crypto: bench/cert-stamp.ts)
// and written through the normal record path (insertCertificate and vault.records: each row's MAC; an audit
// entry each), in transactions of BATCH certificates. 100,000 took 12 min wall, 4 min 18 s of CPU (141/s) on
// 2 cores at load average 13; before the templates, 58-87/s. The profiles' key usages and EKUs apply; preflight is not run. Names mix scripts and accents (Öztürk, Σοφία,
// Иван, 王伟...), e-mail addresses and DNS names vary, four CAs and five profiles share them, issue dates
// spread over three years (so some have expired), and a few are renewed, then a few revoked.
// Without --passphrase-file a passphrase is generated and written to FILE.passphrase (mode 0600).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ProfileId, San } from '../shared/domain.js';
import { createCa, loadSigner } from '../electron/core/issuance/cas.js';
import { endEntitySubject } from '../electron/core/issuance/issue.js';
import { insertCertificate } from '../electron/core/issuance/store.js';
import { profileEkus } from '../electron/core/issuance/windows-rules.js';
import { keyUsageFor, randomSerial, validityWindow } from '../electron/core/pki/certificates.js';
import { toX509Name } from '../electron/core/pki/names.js';
import { x509 } from '../electron/core/pki/provider.js';
import { createVault } from '../electron/core/issuance/new-vault.js';
import { getProfile, resolveCa } from '../electron/core/issuance/records.js';
import { revokeCertificates } from '../electron/core/issuance/revocation.js';
import { renewCertificate } from '../electron/core/lifecycle/renew.js';
import { generateKey, type KeyMaterial } from '../electron/core/pki/keys.js';
import { syncSearchIndex } from '../electron/core/search/search-index.js';
import { makeTemplate, type CertificateTemplate } from './cert-stamp.js';

const DAY = 86_400_000;
/** Certificates per transaction. */
const BATCH = 10_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const count = Number(arg('certificates'));
const out = arg('out');
if (!Number.isInteger(count) || count < 1 || !out) {
  console.error('usage: node dist/bench/make-vault.js --certificates N --out FILE [--passphrase-file FILE] [--seed S]');
  process.exit(2);
}
if (existsSync(out)) {
  console.error(`${out} exists: give a new file`);
  process.exit(2);
}
const passphraseFile = arg('passphrase-file');
const passphrase = passphraseFile ? readFileSync(passphraseFile, 'utf8').replace(/\r?\n$/, '') : randomBytes(18).toString('base64url');

/** mulberry32: the same --seed makes the same names, profiles and dates. */
let state = Number(arg('seed') ?? 13) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// [name as written, ASCII form for e-mail addresses and host names]
const FIRST: [string, string][] = [
  ['Ayşe', 'ayse'], ['Zoë', 'zoe'], ['José', 'jose'], ['Łukasz', 'lukasz'], ['Søren', 'soren'], ['François', 'francois'],
  ['Anna', 'anna'], ['John', 'john'], ['Mária', 'maria'], ['Jürgen', 'juergen'], ['Ægir', 'aegir'], ['Nguyễn', 'nguyen'],
  ['Σοφία', 'sofia'], ['Νίκος', 'nikos'], ['Иван', 'ivan'], ['Ольга', 'olga'], ['محمد', 'mohammed'], ['فاطمة', 'fatima'],
  ['דוד', 'david'], ['王伟', 'wang.wei'], ['佐藤', 'sato'], ['प्रिया', 'priya'], ['민준', 'minjun'], ['Emma', 'emma'],
];
const LAST: [string, string][] = [
  ['Öztürk', 'ozturk'], ['Müller', 'mueller'], ['García', 'garcia'], ['Wójcik', 'wojcik'], ['Ødegård', 'odegaard'], ['Dubois', 'dubois'],
  ['Smith', 'smith'], ['Kovács', 'kovacs'], ['Παπαδοπούλου', 'papadopoulou'], ['Петров', 'petrov'], ['Şahin', 'sahin'],
  ['Johansson', 'johansson'], ['Núñez', 'nunez'], ['Dvořák', 'dvorak'], ['O’Brien', 'obrien'], ['Lefèvre', 'lefevre'],
];
const DEVICES = ['laptop', 'phone', 'tablet', 'kiosk', 'printer', 'sensor', 'badge-reader'];
const DOMAINS = ['corp.example', 'example.org', 'branch.example.net'];
const PROFILES: ProfileId[] = ['user', 'user', 'user', 'device', 'server', 'mail', 'vpn'];

function request(i: number, ca: string): { profile: ProfileId; name: string; sans: San[]; alias: string | null; days: number } {
  const [first, a] = pick(FIRST);
  const [last, b] = pick(LAST);
  const domain = pick(DOMAINS);
  const profile = pick(PROFILES);
  const days = pick([365, 365, 730, 90]);
  const email = `${a}.${b}${i}@${domain}`;
  switch (profile) {
    case 'device':
      return { profile, name: `${first} ${last} ${pick(DEVICES)}`, sans: [{ type: 'dns', value: `${pick(DEVICES)}-${i}.${domain}` }], alias: random() < 0.5 ? `${a}-${pick(DEVICES)}-${i}` : null, days };
    case 'server':
      return { profile, name: `srv${i}.${domain}`, sans: [{ type: 'dns', value: `srv${i}.${domain}` }], alias: null, days };
    default:
      return { profile, name: `${first} ${last}`, sans: [{ type: 'email', value: email }], alias: random() < 0.2 ? `${a}.${b}.${ca.toLowerCase().replace(/\W+/g, '-')}` : null, days };
  }
}

const now = Date.now();
const span = 3 * 365 * DAY;
let clock = now - span - DAY;
const started = performance.now();
const vault = await createVault(out, passphrase, { clock: () => new Date(clock) });
if (!passphraseFile) writeFileSync(`${out}.passphrase`, passphrase + '\n', { mode: 0o600 });

const caNames = ['Corp Issuing CA', 'Branch Issuing CA', 'Device CA', 'Root CA Ελλάδα'];
const caIds = new Map<string, number>();
for (const name of caNames) caIds.set(name, (await createCa(vault, { name, subject: `CN=${name},O=CertDesk Bench`, keyType: 'ec-p256', days: 3650 })).id);
const resolveCaId = (name: string) => caIds.get(name)!;
const signers = new Map<string, Awaited<ReturnType<typeof loadSigner>>>();
for (const ca of caNames) signers.set(ca, await loadSigner(vault, resolveCa(vault, ca)));
// Holder keys: a pool, so the run measures signing and writing, not key generation (each certificate still stores its key sealed).
const keys: KeyMaterial[] = [];
for (let i = 0; i < 64; i++) keys.push(await generateKey('ec-p256'));

const ids: number[] = [];
const profiles = new Map(PROFILES.map((id) => [id, getProfile(vault, id)]));
const publicKeys = await Promise.all(keys.map((k) => x509.PublicKey.create(k.publicKey)));
const recipients = new Map<string, number>();
const spkis = publicKeys.map((k) => new Uint8Array(k.rawData));
// One template per (CA, profile): built by buildCertificate once, then stamped per row (bench/cert-stamp.ts:
// serial, subject, validity, subjectAltName, holder key and its SKI replaced, signed with node:crypto).
const templates = new Map<string, CertificateTemplate>();
let templatesBuilt = 0;
const loopStarted = performance.now();
for (let from = 0; from < count; from += BATCH) {
  const end = Math.min(count, from + BATCH);
  const planned = Array.from({ length: end - from }, (_, j) => {
    const i = from + j;
    const ca = pick(caNames);
    const p = { i, ca, issuedAt: now - span + Math.floor((i / count) * span), ...request(i, ca) };
    return { ...p, template: `${p.ca}\n${p.profile}` };
  });
  for (const p of planned) {
    if (templates.has(p.template)) continue;
    const signer = signers.get(p.ca)!;
    const profile = profiles.get(p.profile)!;
    const { notBefore, notAfter } = validityWindow(p.days, new Date(p.issuedAt), signer.certificate);
    templates.set(
      p.template,
      await makeTemplate({
        subject: toX509Name(endEntitySubject(p.name, p.sans, signer.certificate)),
        publicKey: publicKeys[p.i % publicKeys.length]!,
        serial: randomSerial(),
        notBefore,
        notAfter,
        signer,
        keyUsage: keyUsageFor(profile.keyUsage, 'ec-p256'),
        extendedKeyUsage: profileEkus(profile),
        sans: p.sans,
      }),
    );
    templatesBuilt++;
  }
  // Stamped, signed and written in one transaction: every row through insertCertificate (its MAC) and an audit entry.
  vault.transaction(() => {
    for (const p of planned) {
      clock = p.issuedAt;
      const signer = signers.get(p.ca)!;
      const { notBefore, notAfter } = validityWindow(p.days, new Date(p.issuedAt), signer.certificate);
      const der = templates.get(p.template)!.stamp({ subject: toX509Name(endEntitySubject(p.name, p.sans, signer.certificate)), serial: randomSerial(), notBefore, notAfter, sans: p.sans, spki: spkis[p.i % spkis.length] });
      const cert = new x509.X509Certificate(der);
      const kind = p.profile === 'device' || p.profile === 'server' ? 'device' : 'person';
      const email = p.sans.find((s) => s.type === 'email')?.value ?? null;
      const who = `${kind}\n${p.name}\n${email ?? ''}`;
      let recipientId = recipients.get(who);
      if (recipientId === undefined) {
        recipientId = vault.records.insert('recipients', { kind, name: p.name, email, phone: null, description: null, created_at: new Date(clock).toISOString() }).id as number;
        recipients.set(who, recipientId);
      }
      const caId = resolveCaId(p.ca);
      const id = insertCertificate(vault, { cert, kind: 'end-entity', issuerCaId: caId, holder: p.name, sans: p.sans, profile: p.profile, recipientId, source: 'issued', alias: p.alias, autoRenew: false, keyType: 'ec-p256', keyId: null });
      vault.audit('cert.issue', `cert:${id}`, { ca: p.ca, profile: p.profile, holder: p.name, serial: cert.serialNumber, notAfter: notAfter.toISOString(), keyKept: false });
      ids.push(id);
    }
  });
  process.stderr.write(`\r${end} / ${count}`);
}
process.stderr.write('\n');
const issueSeconds = (performance.now() - loopStarted) / 1000;
const setupSeconds = (loopStarted - started) / 1000;

const renewStarted = performance.now();
// Renew 1% of the certificates still running, then revoke 3% (as an officer would: one action each).
clock = now;
const running = ids.slice(Math.floor(ids.length * 0.7));
let renewed = 0;
for (let i = 0; i < running.length && renewed < Math.ceil(count / 100); i += 37) {
  try {
    await renewCertificate(vault, `id:${running[i]}`, {});
    renewed++;
  } catch {
    // already expired or its profile says otherwise: another one is taken
  }
}
const toRevoke = ids.filter((_, i) => i % 33 === 5).map((id) => `id:${id}`);
const lifecycleStarted = performance.now();
revokeCertificates(vault, toRevoke, 'keyCompromise');
// The search index is filled as the app fills it before a search (search-index.ts): here once, so the first
// search typed in the app is not the one that indexes 100,000 rows.
const indexStarted = performance.now();
const indexed = syncSearchIndex(vault.db);
const indexSeconds = (performance.now() - indexStarted) / 1000;
vault.close();
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    file: out,
    certificates: ids.length,

    renewed,
    revoked: toRevoke.length,
    seconds: Number(seconds.toFixed(1)),
    setupSeconds: Number(setupSeconds.toFixed(1)),
    issueSeconds: Number(issueSeconds.toFixed(1)),
    renewSeconds: Number(((lifecycleStarted - renewStarted) / 1000).toFixed(1)),
    revokeSeconds: Number(((indexStarted - lifecycleStarted) / 1000).toFixed(1)),
    searchIndexed: indexed,
    searchIndexSeconds: Number(indexSeconds.toFixed(1)),
    certificatesPerSecond: Number((ids.length / issueSeconds).toFixed(0)),
    templatesBuilt,
    passphrase: passphraseFile ? passphraseFile : `${out}.passphrase`,
  }),
);
