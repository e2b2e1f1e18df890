// Benchmark (not a test): how long each heavy operation holds the main thread's event loop when it runs
// through the service dispatch, as the Electron main process runs it. perf_hooks.monitorEventLoopDelay
// samples the loop while one operation runs; per operation it prints the operation's duration, the largest
// event-loop delay seen meanwhile, and their ratio (about 1 when the operation blocks the loop from start to
// end, near 0 when it leaves the loop free), then one JSON line with every figure.
// Usage: npm run bench:event-loop -- [CRL_ENTRIES] [BATCH_CSV_ROWS]   (defaults 2000 and 10000)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChannelName, RequestOf, Result } from '../shared/api.js';
import { revokeCertificates } from '../electron/core/issuance/revocation.js';
import { dispatch } from '../electron/service/dispatch.js';
import { ServiceSession } from '../electron/service/session.js';
import { createHandlerTable } from '../electron/service/table.js';

const crlEntries = Number(process.argv[2] ?? 2000);
const csvRows = Number(process.argv[3] ?? 10_000);
const PASSPHRASE = 'benchmark passphrase';
const PFX_ITERATIONS = 1_000_000;

interface Figure {
  op: string;
  ms: number;
  maxDelayMs: number;
  ratio: number;
}

const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-loop-'));
const session = new ServiceSession({ vaultPath: join(dir, 'vault.certdesk') });
const handlers = createHandlerTable(session);
const figures: Figure[] = [];

async function call<K extends ChannelName>(channel: K, request: RequestOf<K>): Promise<unknown> {
  const result = (await dispatch(handlers, channel, request)) as Result<unknown>;
  if (!result.ok) throw new Error(`${channel}: ${result.code}: ${result.message}`);
  return result.data;
}

/** Runs `run` with the event-loop delay monitor on and records the figures under `op`. */
async function measure<T>(op: string, run: () => Promise<T>): Promise<T> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The monitor records the gap between two of its timer ticks, so it needs its first tick before the
  // operation starts, or a block at the very start goes unseen (reset() would drop that tick again).
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  // One more timer turn, so a block that ended just before the operation resolved is sampled too.
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  const maxDelayMs = histogram.count > 0 ? histogram.max / 1e6 : 0;
  const figure = { op, ms, maxDelayMs, ratio: maxDelayMs / ms };
  figures.push(figure);
  console.log(`${op.padEnd(52)} ${ms.toFixed(0).padStart(8)} ms  ${maxDelayMs.toFixed(1).padStart(8)} ms  ${figure.ratio.toFixed(3).padStart(6)}`);
  return result;
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A new RSA-2048 CA certificate and its key in PFX form, made by OpenSSL with the given PKCS#12 options. */
function caPfx(file: string, ...options: string[]): string {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${file}.key`, '-out', `${file}.pem`, '-subj', `/CN=Imported Bench CA ${file}`, '-days', '30',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('pkcs12', '-export', '-inkey', `${file}.key`, '-in', `${file}.pem`, '-passout', 'pass:Bench-PFX-1', '-out', file, ...options);
  return readFileSync(join(dir, file)).toString('base64');
}

/** A CSR with `count` DNS names (asn1js refuses much above 5,000: it caps a parse at 10,000 nodes). */
function bigCsr(count: number): string {
  const sans = Array.from({ length: count }, (_, i) => `DNS.${i + 1}=host${i}.bench.example`).join('\n');
  writeFileSync(join(dir, 'csr.cnf'), `[req]\ndistinguished_name=dn\nreq_extensions=ext\nprompt=no\n[dn]\nCN=bench.example\n[ext]\nsubjectAltName=@alt\n[alt]\n${sans}\n`);
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'csr.key', '-config', 'csr.cnf', '-out', 'big.csr');
  return readFileSync(join(dir, 'big.csr')).toString('base64');
}

/**
 * Copies of one issued certificate's row, revoked, so the CA's next CRL lists `count` entries. Written through
 * the record layer and revoked as CertDesk revokes, so each carries its MAC and the CA's revoked set holds it.
 */
function revokedCopies(certificateId: number, count: number): void {
  const vault = session.unlocked();
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(certificateId) as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  const ids = vault.transaction(() =>
    Array.from({ length: count }, () => vault.records.insert('certificates', { ...values, serial: '7' + randomBytes(15).toString('hex'), sha256: randomBytes(32).toString('hex'), key_id: null }).id as number),
  );
  revokeCertificates(vault, ids.filter((_, i) => i % 3 !== 0).map(String), 'superseded');
  revokeCertificates(vault, ids.filter((_, i) => i % 3 === 0).map(String), 'unspecified');
}

try {
  const usb = join(dir, 'usb');
  mkdirSync(usb);
  const modernPfx = caPfx('modern.pfx', '-iter', String(PFX_ITERATIONS));
  const legacyPfx = caPfx('legacy.pfx', '-iter', String(PFX_ITERATIONS), '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
  const csr = bigCsr(5000);
  const csv = Buffer.from('name,email\n' + Array.from({ length: csvRows }, (_, i) => `User ${i},user${i}@bench.example\n`).join('')).toString('base64');
  const batchCsv = Buffer.from('name,email\n' + Array.from({ length: 20 }, (_, i) => `Batch ${i},batch${i}@bench.example\n`).join('')).toString('base64');

  console.log(`Event-loop delay while each operation runs through the dispatch (${availableParallelism()} cores, Node ${process.versions.node})`);
  console.log(`${'operation'.padEnd(52)} ${'duration'.padStart(11)}  ${'max delay'.padStart(11)}  ${'ratio'.padStart(6)}`);

  await measure('vault.create (scrypt N=2^17)', () => call('vault.create', { passphrase: PASSPHRASE }));
  await call('vault.lock', {});
  await measure('vault.unlock (scrypt N=2^17)', () => call('vault.unlock', { passphrase: PASSPHRASE }));
  const root = (await measure('ca.create RSA-4096 root', () => call('ca.create', { name: 'Root', subject: 'CN=Bench Root, O=Bench, C=DE', keyType: 'rsa-4096' }))) as { id: number };
  const issuing = (await call('ca.create', { name: 'Issuing', subject: 'CN=Bench Issuing, O=Bench, C=DE', keyType: 'ec-p256', issuer: root.id })) as { id: number };
  await measure(`ca.import PFX AES + SHA-256 MAC, ${PFX_ITERATIONS} iterations`, () => call('ca.import', { name: 'Imported modern', pfx: { data: modernPfx, password: 'Bench-PFX-1' } }));
  await measure(`ca.import PFX 3DES + SHA-1 MAC, ${PFX_ITERATIONS} iterations`, () => call('ca.import', { name: 'Imported legacy', pfx: { data: legacyPfx, password: 'Bench-PFX-1' } }));
  const draft: RequestOf<'issue.check'> = { mode: 'per-user', profile: 'user', ca: issuing.id, recipient: { name: 'Alice Bench' }, sans: [{ type: 'email', value: 'alice@bench.example' }], keyType: 'ec-p256' };
  const issued = (await measure('issue.run ec-p256, legacy PFX', () => call('issue.run', { ...draft, delivery: { folder: usb, encryption: 'legacy' } }))) as { certificate: { id: number } };
  const id = issued.certificate.id;
  await measure('cert.export legacy PFX (3DES, SHA-1 MAC)', () => call('cert.export', { id, folder: usb, encryption: 'legacy' }));
  await measure('cert.export modern PFX (AES, SHA-256 MAC)', () => call('cert.export', { id, folder: usb, encryption: 'modern' }));
  await measure('cert.renew, legacy PFX', () => call('cert.renew', { id, revokeOld: false, folder: usb, encryption: 'legacy' }));
  await measure('csr.inspect, 5,000 DNS names', () => call('csr.inspect', { csr }));
  const signed = (await measure('csr.sign, 5,000 DNS names', () => call('csr.sign', { csr, ca: issuing.id, profile: 'server', folder: usb }))) as { certificate: { id: number } };
  await measure('cert.get, 5,000 DNS names', () => call('cert.get', { id: signed.certificate.id }));
  await measure('cert.iisMapping, 5,000 DNS names', () => call('cert.iisMapping', { id: signed.certificate.id }));
  revokedCopies(id, crlEntries);
  await measure(`crl.publish, ${crlEntries} entries`, () => call('crl.publish', { folder: usb }));
  await measure(`batch.check, ${csvRows} rows`, () => call('batch.check', { csv, ca: issuing.id, profile: 'user' }));
  await measure('batch.start to done, 20 rows rsa-2048, legacy PFX', async () => {
    let job = (await call('batch.start', { csv: batchCsv, fileName: 'rows.csv', ca: issuing.id, profile: 'user', folder: usb, passwordsFile: join(dir, 'pw.csv'), encryption: 'legacy', keyType: 'rsa-2048' })) as { jobId: string; state: string };
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      job = (await call('batch.progress', { jobId: job.jobId })) as typeof job;
    }
    if (job.state !== 'done') throw new Error(`batch ended ${job.state}`);
  });
  console.log(JSON.stringify({ bench: 'event-loop', cores: availableParallelism(), node: process.versions.node, figures: figures.map((f) => ({ ...f, ms: Math.round(f.ms), maxDelayMs: Math.round(f.maxDelayMs * 10) / 10, ratio: Math.round(f.ratio * 1000) / 1000 })) }));
} finally {
  session.close();
  rmSync(dir, { recursive: true, force: true });
}
