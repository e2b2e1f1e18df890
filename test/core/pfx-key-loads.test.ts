// Issue 13: a private key is loaded (crypto.createPrivateKey: OpenSSL 3's decoder, about a millisecond of CPU
// each) as few times as the checks need. buildPfx loads it twice: once to check the options (its type, and that it
// pairs with the certificate) and once when the read-back parses the new file; the read-back compares bytes with
// the options instead of loading the key a third, fourth and fifth time. A batch's main thread loads no user key:
// the workers' DER goes into the certificate and the vault as it is. Counted by call, never by the clock.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { prepareIssue } from '../../electron/core/issuance/issue.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { listCertificates } from '../../electron/core/issuance/records.js';
import { buildPfx, parsePfx } from '../../electron/core/pki/pkcs12.js';
import { spkiOfCertificate, spkiOfPrivateKey } from '../../electron/core/pki/pkcs12-parse.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { newVault } from '../helpers/engine-vault.js';

const PW = 'Key-loads-1-abcdef';

/** Counts this thread's crypto.createPrivateKey calls while `run` runs (the ESM bindings follow the patched export). */
async function privateKeyLoads<T>(t: TestContext, run: () => Promise<T>): Promise<{ value: T; loads: number }> {
  const real = crypto.createPrivateKey;
  let loads = 0;
  crypto.createPrivateKey = ((...args: Parameters<typeof real>) => {
    loads++;
    return real(...args);
  }) as typeof real;
  syncBuiltinESMExports();
  t.after(() => {
    crypto.createPrivateKey = real;
    syncBuiltinESMExports();
  });
  try {
    return { value: await run(), loads };
  } finally {
    crypto.createPrivateKey = real;
    syncBuiltinESMExports();
  }
}

for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
  for (const encryption of ['modern', 'legacy'] as const) {
    test(`buildPfx (${keyType}, ${encryption}) loads the private key twice, and parsePfx once`, async (t) => {
      const f = await fixture(keyType);
      const built = await privateKeyLoads(t, () => buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PW, encryption, friendlyName: 'k' }));
      assert.equal(built.loads, 2, 'the option check and the read-back parse');
      const read = await privateKeyLoads(t, () => parsePfx(built.value, PW));
      assert.equal(read.loads, 1);
      assert.deepEqual(read.value.privateKeyPkcs8, f.pkcs8);
      assert.deepEqual(read.value.certificate, f.leaf);
    });
  }
}

test('buildPfx still refuses a key that does not belong to the certificate, with one load of each', async (t) => {
  const a = await fixture('ec-p256');
  const b = await fixture('rsa-2048');
  const refused = await privateKeyLoads(t, () =>
    buildPfx({ privateKeyPkcs8: b.pkcs8, certificate: a.leaf, chain: a.chain, password: PW, encryption: 'modern', friendlyName: 'k' }).then(
      () => 'built',
      (e: { code?: string }) => e.code,
    ),
  );
  assert.equal(refused.value, 'KEY_MISMATCH');
  assert.equal(refused.loads, 1);
});

test("a batch's main thread loads no user key: the same number of loads for 2 rows as for 6, and each stored key pairs with its certificate", async (t) => {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Key Loads CA', keyType: 'ec-p256' });
  updateProfile(vault, 'user', { keepKey: true });
  const batch = async (name: string, rows: number) => {
    const csv = 'name,email\n' + Array.from({ length: rows }, (_, i) => `${name} ${i},${name.toLowerCase()}${i}@example.com\n`).join('');
    mkdirSync(join(dir, name));
    const { value: report, loads } = await privateKeyLoads(t, () =>
      runBatch(vault, { ca: 'CA', profile: 'user', csv: Buffer.from(csv), sourceName: `${name}.csv`, outDir: join(dir, name), passwordsFile: join(dir, `${name}.csv`), keyType: 'ec-p256', workers: 1 }),
    );
    assert.equal(report.issued, rows);
    return loads;
  };
  assert.equal(await batch('Two', 2), await batch('Six', 6), 'what the main thread loads does not grow with the rows');
  // The worker's DER went into the vault unchanged: every kept key belongs to its certificate.
  const certs = listCertificates(vault, { kind: 'end-entity' });
  assert.equal(certs.length, 8);
  for (const c of certs) {
    const row = vault.db.prepare('SELECT key_id FROM certificates WHERE id = ?').get(c.id) as { key_id: string | null };
    assert.ok(row.key_id !== null, `${c.holder}: the profile keeps the key`);
    const pkcs8 = vault.loadKey(row.key_id);
    assert.ok(spkiOfCertificate(new crypto.X509Certificate(c.pem))!.equals(spkiOfPrivateKey(pkcs8)), `${c.holder}: the stored key belongs to the certificate`);
  }
});

test('a supplied key is checked from its public half: another type is refused, a weak one too, before anything is signed', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Key Check CA', keyType: 'ec-p256' });
  const der = (pair: crypto.KeyPairKeyObjectResult) => ({
    pkcs8: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
    spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
  });
  const request = (keyType: 'ec-p256' | 'rsa-2048') => ({ ca: 'CA', profile: 'user', name: 'Key Check', sans: [{ type: 'email' as const, value: 'check@example.com' }], keyType });
  const rsa2048 = der(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }));
  await assert.rejects(prepareIssue(vault, request('ec-p256'), { key: rsa2048 }), { code: 'INTERNAL', message: 'the supplied key is not a ec-p256 key' });
  const rsa1024 = der(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }));
  await assert.rejects(prepareIssue(vault, request('rsa-2048'), { key: rsa1024 }), { code: 'WEAK_KEY' });
  assert.equal(listCertificates(vault, { kind: 'end-entity' }).length, 0, 'nothing was issued');
  // The right type goes through, and its certificate carries exactly the supplied public key.
  const ec = der(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const prepared = await prepareIssue(vault, request('ec-p256'), { key: ec });
  assert.deepEqual(prepared.privateKeyPkcs8, ec.pkcs8);
  vault.transaction(() => prepared.commit());
  const { record } = prepared.result();
  assert.ok(spkiOfCertificate(new crypto.X509Certificate(record.pem))!.equals(spkiOfPrivateKey(ec.pkcs8)));
  prepared.privateKeyPkcs8.fill(0);
});
