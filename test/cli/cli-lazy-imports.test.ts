// Each certdesk command loads only its own module graph (electron/cli/commands.ts imports engine modules inside
// each command, and the bundled CLI keeps npm packages in chunks of their own: build/cli-bundle.mjs): the quick
// commands never load the PFX (node-forge), QR (qrcode), XML (xmlbuilder2) or IPC schema (zod) libraries. The packages a real `certdesk` process loads are traced with a module hook.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certdeskAsync, initTestVault } from '../helpers/cli.js';
import { importTrace, packagesOf } from '../helpers/import-trace.js';
import { tempDir } from '../helpers/tmp.js';

const PASS = 'lazy imports passphrase';
const EXPORT_ONLY = ['qrcode', 'xmlbuilder2', 'node-forge', 'zod'];

test('packagesOf names the package after the last node_modules, scoped or not', () => {
  assert.deepEqual(
    [...packagesOf(['file:///a/node_modules/qrcode/lib/index.js', '/a/node_modules/pkijs/node_modules/asn1js/build/index.js', 'file:///a/node_modules/%40peculiar/x509/build/x509.cjs.js', '/a/dist/electron/cli/certdesk.js', 'node:fs'])],
    ['qrcode', 'asn1js', '@peculiar/x509'],
  );
  // The bundled CLI (dist/cli): a chunk stands for the packages the build put in it.
  const chunks = { 'certdesk.js': [], 'npm-qrcode-AbC.js': ['dijkstrajs', 'qrcode'], 'npm-@peculiar_x509-XyZ.js': ['@peculiar/x509', 'tsyringe'] };
  assert.deepEqual(
    [...packagesOf(['file:///a/dist/cli/certdesk.js', 'file:///a/dist/cli/npm-qrcode-AbC.js', '/a/dist/cli/npm-%40peculiar_x509-XyZ.js', 'node:fs', 'file:///a/node_modules/better-sqlite3/lib/index.js'], chunks)],
    ['dijkstrajs', 'qrcode', '@peculiar/x509', 'tsyringe', 'better-sqlite3'],
  );
});

test('ca list, list, show, profile list, audit, issue to a PEM file and crl publish do not load the export libraries; issue with a bundle does', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: PASS };
  await initTestVault(env.CERTDESK_VAULT, PASS);
  const run = async (name: string, ...args: string[]) => {
    const trace = importTrace(dir, name);
    const r = await certdeskAsync(args, { ...env, ...trace.env }, dir, trace.nodeArgs);
    assert.equal(r.status, 0, `certdesk ${args.join(' ')}: ${r.stderr}`);
    return { ...r, packages: trace.packages() };
  };
  const create = await run('ca-create', 'ca', 'create', '--name', 'Root', '--subject', 'CN=Lazy Root', '--key', 'ec-p256');
  // The positive control: the trace sees what a command does load (the X.509 libraries signing a CA needs).
  assert.ok(create.packages.has('@peculiar/x509') && create.packages.has('pkijs'), `ca create loaded ${[...create.packages].join(', ')}`);

  const caList = await run('ca-list', 'ca', 'list');
  assert.match(caList.stdout, /^1 +Root +valid +ec-p256 /m);
  for (const heavy of [...EXPORT_ONLY, 'pkijs', '@peculiar/x509', 'asn1js', 'csv-parse']) assert.ok(!caList.packages.has(heavy), `ca list loaded ${heavy}: ${[...caList.packages].join(', ')}`);
  assert.ok(caList.packages.has('better-sqlite3'), 'ca list opens the vault through better-sqlite3');

  await run('issue', 'issue', '--ca', 'Root', '--profile', 'server', '--name', 'www.example.org', '--dns', 'www.example.org', '--key', 'ec-p256');
  for (const args of [['list'], ['show', '1'], ['profile', 'list'], ['audit', 'verify'], ['audit', 'list']]) {
    const r = await run(args.slice(0, 2).join('-'), ...args);
    for (const heavy of EXPORT_ONLY) assert.ok(!r.packages.has(heavy), `certdesk ${args.join(' ')} loaded ${heavy}: ${[...r.packages].join(', ')}`);
  }

  // Commands that write no bundle load none of the bundle's builders: a PEM (the engine's jobs load per job,
  // engine-handlers.ts, and issuing loads the bundle writer only for --out DIR) and a CRL publish.
  const pem = await run('issue-pem', 'issue', '--ca', 'Root', '--profile', 'user', '--name', 'Pem', '--email', 'pem@example.org', '--key', 'ec-p256', '--out', join(dir, 'pem.pem'));
  mkdirSync(join(dir, 'crl'));
  const crl = await run('crl-publish', 'crl', 'publish', '--out', join(dir, 'crl'));
  for (const [name, r] of [['issue --out FILE.pem', pem], ['crl publish', crl]] as const) {
    for (const heavy of EXPORT_ONLY) assert.ok(!r.packages.has(heavy), `certdesk ${name} loaded ${heavy}: ${[...r.packages].join(', ')}`);
  }

  // A bundle needs the QR code (hand-over sheet), so this command does load qrcode: the trace is not blind to it.
  const bundle = await run('bundle', 'issue', '--ca', 'Root', '--profile', 'user', '--name', 'Ada', '--email', 'ada@example.org', '--key', 'ec-p256', '--out', dir);
  assert.ok(bundle.packages.has('qrcode'), `issue with a bundle loaded ${[...bundle.packages].join(', ')}`);
});

