// Export failures: a bad password, a missing or read-only folder, a full disk, a revoked certificate.
// Each gives a clear error and leaves no partial bundle behind and no export recorded in the vault.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FAST_KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;

async function setup(t: TestContext) {
  const dir = tempDir(t);
  const vault = await createVault(join(dir, 'v.certdesk'), 'export failure passphrase', { kdf: FAST_KDF });
  t.after(() => vault.close());
  await createCa(vault, { name: 'CA', subject: 'CN=Failure CA', keyType: 'ec-p256', days: 3650 });
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Ola Nordmann', sans: [{ type: 'email', value: 'ola@example.no' }], keyType: 'ec-p256' });
  const out = join(dir, 'stick');
  mkdirSync(out);
  const exportsCount = () => (vault.db.prepare('SELECT count(*) AS n FROM exports').get() as { n: number }).n;
  return { dir, vault, id: String(record.id), out, exportsCount };
}

function expectCode(code: string, pattern: RegExp) {
  return (e: unknown) => {
    const err = e as { code?: string; message?: string };
    assert.equal(err.code, code, `code (${err.message})`);
    assert.match(err.message ?? '', pattern);
    return true;
  };
}

test('a set password must pass the rule; the message names the rule, never the password', async (t) => {
  const { vault, id, out, exportsCount } = await setup(t);
  for (const [password, why] of [
    ['', /empty/],
    ['Short1!', /at least 12/],
    ['alllowercaseletters', /groups/],
  ] as const) {
    await assert.rejects(exportBundle(vault, { cert: id, outDir: out, password }), (e: unknown) => {
      expectCode('INVALID_INPUT', why)(e);
      if (password) assert.doesNotMatch((e as Error).message, new RegExp(password.replace(/[!]/g, '\\$&')));
      return true;
    });
  }
  assert.deepEqual(readdirSync(out), []);
  assert.equal(exportsCount(), 0);
  const ok = await exportBundle(vault, { cert: id, outDir: out, password: 'Correct-Horse-42' });
  assert.equal(ok.password, 'Correct-Horse-42');
  assert.equal(ok.summary.passwordGenerated, false);
  assert.equal(exportsCount(), 1);
});

test('a missing folder and a file in place of a folder are named in the error', async (t) => {
  const { vault, id, dir, exportsCount } = await setup(t);
  await assert.rejects(exportBundle(vault, { cert: id, outDir: join(dir, 'no-such-stick') }), expectCode('IO_ERROR', /does not exist/));
  await assert.rejects(exportBundle(vault, { cert: id, outDir: join(dir, 'v.certdesk') }), expectCode('IO_ERROR', /not a folder/));
  assert.equal(exportsCount(), 0);
});

/** A sink that fails with the given errno after `okWrites` files, like a stick that fills up or is pulled. */
function failingSink(okWrites: number, code: string): FileSink {
  let writes = 0;
  return {
    ...nodeFileSink,
    writeNew(path, data, mode) {
      if (writes++ >= okWrites) throw Object.assign(new Error(`${code}: simulated`), { code });
      nodeFileSink.writeNew(path, data, mode);
    },
  };
}

test('the disk filling up at any file, or a permission error, leaves no partial bundle and records nothing', async (t) => {
  const { vault, id, out, exportsCount } = await setup(t);
  for (let okWrites = 0; okWrites < 10; okWrites++) {
    await assert.rejects(exportBundle(vault, { cert: id, outDir: out }, { sink: failingSink(okWrites, 'ENOSPC') }), expectCode('IO_ERROR', /the disk is full/));
    assert.deepEqual(readdirSync(out), [], `after ${okWrites} files`);
  }
  await assert.rejects(exportBundle(vault, { cert: id, outDir: out }, { sink: failingSink(3, 'EACCES') }), expectCode('IO_ERROR', /not writable/));
  assert.deepEqual(readdirSync(out), []);
  assert.equal(exportsCount(), 0);
  assert.equal((vault.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'cert.export'").get() as { n: number }).n, 0);
});

/** A real tmpfs (root only): a tiny one that fills up, and a read-only one. The caller unmounts. */
function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

test('a real full disk and a real read-only folder (tmpfs) give clear errors and leave nothing', async (t) => {
  const { vault, id, dir } = await setup(t);
  const full = join(dir, 'full');
  const ro = join(dir, 'ro');
  const mounted = [full, ro].filter((d, i) => mountTmpfs(d, i === 0 ? 'size=12k' : 'ro,size=64k'));
  try {
    if (mounted.length < 2) {
      t.skip('cannot mount tmpfs here (needs root); the simulated disk-full test above covers the same code');
      return;
    }
    await assert.rejects(exportBundle(vault, { cert: id, outDir: full }), expectCode('IO_ERROR', /the disk is full/));
    assert.deepEqual(readdirSync(full), []);
    await assert.rejects(exportBundle(vault, { cert: id, outDir: ro }), expectCode('IO_ERROR', /not writable/));
    assert.deepEqual(readdirSync(ro), []);
  } finally {
    for (const d of mounted) spawnSync('umount', [d], { stdio: 'ignore' });
  }
});

test('revoked certificates and certificates without a kept key are not exported', async (t) => {
  const { vault, id, out } = await setup(t);
  const keys = await x509.cryptoProvider.get().subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=kiosk-4', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'kiosk-4.example.com' }])] });
  const signed = await signCsr(vault, { ca: 'CA', profile: 'device', csr: new Uint8Array(csr.rawData) });
  await assert.rejects(exportBundle(vault, { cert: String(signed.record.id), outDir: out }), expectCode('KEY_NOT_KEPT', /signed from a CSR/));
  revokeCertificate(vault, id, 'affiliationChanged');
  await assert.rejects(exportBundle(vault, { cert: id, outDir: out }), expectCode('NOT_EXPORTABLE', /revoked/));
  await assert.rejects(exportBundle(vault, { cert: '1', outDir: out }), expectCode('NOT_EXPORTABLE', /CA certificate/));
  assert.deepEqual(readdirSync(out), []);
});
