// PKCS#12 codec: round trips, errors, the exact algorithms written, and the RFC 7292 appendix B KDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, getCiphers, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { pkijs } from '../../electron/core/pki/provider.js';
import { buildPfx, parsePfx, type PfxBuildOptions, type PfxEncryption } from '../../electron/core/pki/pkcs12.js';
import { bmpPassword, pkcs12Kdf, type KdfId, type Pkcs12Hash } from '../../electron/core/pki/pkcs12-kdf.js';
import { computeMac, decryptWith, pfxPassword } from '../../electron/core/pki/pkcs12-cipher.js';
import { derOf, explicit, integer, octetString, oid, sequence } from '../../electron/core/pki/pkcs12-asn1.js';
import { CertDeskError } from '../../shared/errors.js';
import { fixture, type KeyKind } from '../helpers/pfx-fixtures.js';
import { allBlocks, allOids, decode, dissect, kids, oidText, primitiveBytes, STRUCTURE_OIDS } from '../helpers/pfx-inspect.js';

const NON_ASCII = 'P\u00e4ssw\u00f6rd-\u5bc6\u7801'; // 'Pässwörd-密码', escaped so editors cannot renormalise it

async function build(kind: KeyKind, encryption: PfxEncryption, extra: Partial<PfxBuildOptions> = {}): Promise<Uint8Array> {
  const f = await fixture(kind);
  return buildPfx({
    privateKeyPkcs8: f.pkcs8,
    certificate: f.leaf,
    chain: f.chain,
    password: 'correct horse',
    encryption,
    friendlyName: 'Alice Example',
    ...extra,
  });
}

async function rejectsWith(p: Promise<unknown>, code: string, notInMessage?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CertDeskError, `expected CertDeskError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (notInMessage) assert.ok(!e.message.includes(notInMessage), 'the message must not contain the password');
    return true;
  });
}

async function decryptedCertBags(pfx: Uint8Array, password: string): Promise<asn1js.AsnType[]> {
  const { certsAlgorithm, certsCiphertext } = dissect(pfx);
  const algorithm = new pkijs.AlgorithmIdentifier({ schema: certsAlgorithm });
  const plain = await decryptWith(algorithm, primitiveBytes(certsCiphertext), pfxPassword(password), 'test');
  return kids(decode(plain));
}

/** Attribute OID -> first value, for one SafeBag. */
function attributesOf(bag: asn1js.AsnType | undefined): Map<string, asn1js.AsnType> {
  const out = new Map<string, asn1js.AsnType>();
  const set = kids(bag)[2];
  if (!set) return out;
  for (const attr of kids(set)) out.set(oidText(kids(attr)[0]), kids(kids(attr)[1])[0]!);
  return out;
}

// ---- tests ----

test('node:crypto on this Node offers des-ede3-cbc (needed for legacy PKCS#12)', () => {
  assert.ok(getCiphers().includes('des-ede3-cbc'));
});

test('RFC 7292 appendix B KDF matches OpenSSL 3 (openssl kdf ... PKCS12KDF)', () => {
  // Expected bytes printed by OpenSSL 3.0.19, e.g.:
  //   openssl kdf -keylen 24 -kdfopt digest:SHA1 -kdfopt hexpass:<bmp> -kdfopt hexsalt:<salt> \
  //     -kdfopt iter:<n> -kdfopt id:<id> PKCS12KDF
  // where <bmp> is the password as big-endian UTF-16 with the 00 00 terminator ("" = no bytes).
  const vectors: Array<[Pkcs12Hash, string | null, string, number, KdfId, number, string]> = [
    ['sha1', 'smeg', '0a58cf64530d823f', 1, 1, 24, '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3'],
    ['sha1', 'smeg', '0a58cf64530d823f', 1, 2, 8, '79993dfe048d3b76'],
    ['sha1', 'queeg', '3d83c0e4546ac140', 1000, 3, 20, '17b9e78ea534fc2b6a35512d03799d9ea3c461c0'],
    ['sha1', NON_ASCII, '00112233445566778899aabbccddeeff', 10000, 1, 24, '7c8887befc716866ef790a2a54485ed5d031dd5b45fab099'],
    ['sha1', NON_ASCII, '00112233445566778899aabbccddeeff', 10000, 2, 8, '9279e75feed9f1e3'],
    // SHA-224 keeps 7 of its 8 state words per round (pki/noble-rounds.ts); 61 bytes: three hash chains.
    ['sha224', 'smeg', '0a58cf64530d823f', 1000, 1, 61, '8b95b921032b0d91cca1d19e997ffb935d6786ddc0057fd5a709b7edd8c3d1737e7fc3677a3bc6c7ac3293f242d951730a35e8af0f2ae30b4114b9fd5a'],
    ['sha256', NON_ASCII, '00112233445566778899aabbccddeeff', 2048, 3, 32, 'a813c12108ff5302a94d71b99ca14382da420b4e9cd1b18047e5673a6e11b57e'],
    [
      'sha256',
      'a password longer than thirty-two characters, so more than one block',
      '0102030405060708',
      3,
      1,
      70,
      'ca24b0a786002d57cdafc1ece0b5a44ec515d07a073337bbdd7d91ad0335b76e4608340c855a52c710c434754cdc50ab106f1c7dd28ef97acd6eb9ba64196f4361c38ff95a13',
    ],
    [
      'sha512',
      NON_ASCII,
      '0102030405060708',
      5,
      3,
      64,
      '250abc4c73db84de30a5c299c458e408eb2022fa6cd7a89855ab7f9b05ab55ea5afd41f1132554e69d58d9e1a8c1baa757b2e13ce770bb51db9f6fc214f904eb',
    ],
    ['sha1', '', '0102030405060708', 2048, 3, 20, '422271a0229a8e68e59672d9278fe548eb74b013'],
    ['sha1', null, '0102030405060708', 2048, 3, 20, '02a96a93d81846d839232c0a09e94b1102a70d9e'], // NULL password
  ];
  for (const [hash, password, salt, iterations, id, length, expected] of vectors) {
    const pw = password === null ? new Uint8Array(0) : bmpPassword(password);
    const got = Buffer.from(pkcs12Kdf(hash, pw, Buffer.from(salt, 'hex'), id, iterations, length)).toString('hex');
    assert.equal(got, expected, `${hash} id ${id} iter ${iterations} password ${JSON.stringify(password)}`);
  }
});

test('BMPString password encoding is big-endian UTF-16 with a zero terminator', () => {
  assert.equal(Buffer.from(bmpPassword('smeg')).toString('hex'), '0073006d006500670000');
  assert.equal(Buffer.from(bmpPassword(NON_ASCII)).toString('hex'), '005000e400730073007700f600720064002d5bc678010000');
  assert.equal(Buffer.from(bmpPassword('')).toString('hex'), '0000');
});

for (const kind of ['ec-p256', 'rsa-2048'] as const) {
  for (const encryption of ['modern', 'legacy'] as const) {
    test(`round trip ${kind} ${encryption}`, async () => {
      const f = await fixture(kind);
      const pfx = await build(kind, encryption);
      const back = await parsePfx(pfx, 'correct horse');
      assert.deepEqual(Buffer.from(back.privateKeyPkcs8), Buffer.from(f.pkcs8));
      assert.deepEqual(Buffer.from(back.certificate), Buffer.from(f.leaf));
      assert.deepEqual(back.chain.map((c) => Buffer.from(c)), f.chain.map((c) => Buffer.from(c)));
      assert.equal(back.friendlyName, 'Alice Example');
    });
  }
}

for (const encryption of ['modern', 'legacy'] as const) {
  test(`non-ASCII password round trip (${encryption})`, async () => {
    const pfx = await build('ec-p256', encryption, { password: NON_ASCII });
    const back = await parsePfx(pfx, NON_ASCII);
    assert.equal(back.friendlyName, 'Alice Example');
    await rejectsWith(parsePfx(pfx, 'Passwort-'), 'PFX_BAD_PASSWORD');
    await rejectsWith(parsePfx(pfx, NON_ASCII.normalize('NFD')), 'PFX_BAD_PASSWORD');
  });

  test(`wrong password is PFX_BAD_PASSWORD and not echoed (${encryption})`, async () => {
    const pfx = await build('ec-p256', encryption);
    await rejectsWith(parsePfx(pfx, 'wrong horse'), 'PFX_BAD_PASSWORD', 'wrong horse');
    await rejectsWith(parsePfx(pfx, ''), 'PFX_BAD_PASSWORD');
  });

  test(`every OCTET STRING written is primitive (${encryption})`, async () => {
    const pfx = await build('rsa-2048', encryption);
    const d = dissect(pfx);
    assert.ok(d.keyCiphertext instanceof asn1js.OctetString, 'shrouded key bag encryptedData is an OCTET STRING');
    assert.equal(d.keyCiphertext.idBlock.isConstructed, false, 'shrouded key bag encryptedData is primitive');
    assert.equal(d.certsCiphertext?.idBlock.isConstructed, false, 'EncryptedData content is primitive');
    const trees = [d.root, d.authSafe, d.keySafeContents, ...(await decryptedCertBags(pfx, 'correct horse'))];
    let seen = 0;
    for (const tree of trees) {
      for (const b of allBlocks(tree)) {
        if (b.idBlock.tagClass === 1 && b.idBlock.tagNumber === 4) {
          seen++;
          assert.equal(b.idBlock.isConstructed, false, 'constructed OCTET STRING found');
        }
        assert.equal(b.lenBlock.isIndefiniteForm, false, 'indefinite length found');
      }
    }
    assert.ok(seen >= 8);
  });

  test(`bag attributes: friendlyName and localKeyId on key and leaf only (${encryption})`, async () => {
    const f = await fixture('rsa-2048');
    const pfx = await build('rsa-2048', encryption);
    const keyAttrs = attributesOf(dissect(pfx).keyBag);
    const [leafBag, ...chainBags] = await decryptedCertBags(pfx, 'correct horse');
    const leafAttrs = attributesOf(leafBag);
    const keyId = createHash('sha1').update(f.leaf).digest();
    for (const attrs of [keyAttrs, leafAttrs]) {
      assert.deepEqual([...attrs.keys()].sort(), ['1.2.840.113549.1.9.20', '1.2.840.113549.1.9.21']);
      const name = attrs.get('1.2.840.113549.1.9.20');
      assert.ok(name instanceof asn1js.BmpString);
      assert.equal(name.getValue(), 'Alice Example');
      assert.deepEqual(Buffer.from(primitiveBytes(attrs.get('1.2.840.113549.1.9.21'))), keyId);
    }
    assert.equal(chainBags.length, 1);
    for (const bag of chainBags) assert.equal(kids(bag).length, 2, 'chain cert bags carry no attributes');
  });
}

test('legacy file uses only pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC', async () => {
  const pfx = await build('rsa-2048', 'legacy');
  const d = dissect(pfx);
  const certBags = await decryptedCertBags(pfx, 'correct horse');
  // The cert bags themselves hold only certificates: check their bag-level OIDs, not the certificates.
  const certBagOids = new Set(certBags.flatMap((b) => [oidText(kids(b)[0]), oidText(kids(kids(kids(b)[1])[0])[0])]));
  assert.deepEqual([...certBagOids].sort(), ['1.2.840.113549.1.12.10.1.3', '1.2.840.113549.1.9.22.1']);
  const algorithms = [...allOids(d.root, d.authSafe, d.keySafeContents)].filter((o) => !STRUCTURE_OIDS.has(o));
  assert.deepEqual(algorithms.sort(), ['1.2.840.113549.1.12.1.3', '1.3.14.3.2.26']);
  assert.equal(oidText(kids(d.keyAlgorithm)[0]), '1.2.840.113549.1.12.1.3');
  assert.equal(oidText(kids(d.certsAlgorithm)[0]), '1.2.840.113549.1.12.1.3');
  const [digestInfo, salt, iterations] = kids(d.macData);
  assert.equal(oidText(kids(kids(digestInfo)[0])[0]), '1.3.14.3.2.26');
  assert.equal(primitiveBytes(kids(digestInfo)[1]).length, 20);
  assert.ok(primitiveBytes(salt).length >= 8);
  assert.equal((iterations as asn1js.Integer).valueBlock.valueDec, 10_000);
  const pbeSalt = primitiveBytes(kids(kids(d.keyAlgorithm)[1])[0]);
  assert.ok(pbeSalt.length >= 8);
});

test('modern file uses PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and an HMAC-SHA256 MAC', async () => {
  const d = dissect(await build('ec-p256', 'modern'));
  const algorithms = [...allOids(d.root, d.authSafe, d.keySafeContents)].filter((o) => !STRUCTURE_OIDS.has(o));
  assert.deepEqual(algorithms.sort(), [
    '1.2.840.113549.1.5.12',
    '1.2.840.113549.1.5.13',
    '1.2.840.113549.2.9',
    '2.16.840.1.101.3.4.1.42',
    '2.16.840.1.101.3.4.2.1',
  ]);
  const [digestInfo, salt, iterations] = kids(d.macData);
  assert.equal(oidText(kids(kids(digestInfo)[0])[0]), '2.16.840.1.101.3.4.2.1');
  assert.ok(primitiveBytes(salt).length >= 16);
  assert.equal((iterations as asn1js.Integer).valueBlock.valueDec, 10_000);
  // PBES2 -> PBKDF2 params: salt >= 16 bytes, 10 000 iterations; AES IV 16 bytes.
  for (const alg of [d.keyAlgorithm, d.certsAlgorithm]) {
    const [kdf, scheme] = kids(kids(alg)[1]);
    const [kdfSalt, kdfIterations] = kids(kids(kdf)[1]);
    assert.ok(primitiveBytes(kdfSalt).length >= 16);
    assert.equal((kdfIterations as asn1js.Integer).valueBlock.valueDec, 10_000);
    assert.equal(primitiveBytes(kids(scheme)[1]).length, 16);
  }
  // Salts and IVs are fresh per encryption.
  assert.notDeepEqual(Buffer.from(derOf(d.keyAlgorithm!)), Buffer.from(derOf(d.certsAlgorithm!)));
});

test('garbage, empty and non-PKCS#12 input is PFX_MALFORMED', async () => {
  const f = await fixture('ec-p256');
  const pfx = await build('ec-p256', 'modern');
  await rejectsWith(parsePfx(randomBytes(300), 'x'), 'PFX_MALFORMED');
  await rejectsWith(parsePfx(new Uint8Array(0), 'x'), 'PFX_MALFORMED');
  await rejectsWith(parsePfx(Buffer.from('-----BEGIN PKCS12-----\nabc\n'), 'x'), 'PFX_MALFORMED');
  await rejectsWith(parsePfx(f.leaf, 'x'), 'PFX_MALFORMED');
  await rejectsWith(parsePfx(pfx.subarray(0, pfx.length - 10), 'correct horse'), 'PFX_MALFORMED');
  await rejectsWith(parsePfx(Buffer.concat([pfx, Buffer.from([0])]), 'correct horse'), 'PFX_MALFORMED');
});

/** Re-packs ContentInfos into a fresh, correctly MACed PFX (to test the reader on odd layouts). */
function repack(contentInfos: asn1js.AsnType[], password: string): Uint8Array {
  const authSafe = derOf(sequence(...contentInfos));
  const salt = randomBytes(16);
  const mac = computeMac({ hash: 'sha256', salt, iterations: 10_000 }, bmpPassword(password), authSafe);
  const digestInfo = sequence(sequence(oid('2.16.840.1.101.3.4.2.1'), new asn1js.Null()), octetString(mac));
  return derOf(
    sequence(integer(3), sequence(oid('1.2.840.113549.1.7.1'), explicit(0, octetString(authSafe))), sequence(digestInfo, octetString(salt), integer(10_000))),
  );
}

test('no key or no matching certificate is PFX_MALFORMED; two keys are PFX_UNSUPPORTED, named', async () => {
  const pw = 'correct horse';
  const d = dissect(await build('ec-p256', 'modern'));
  const [certsInfo, keyInfo] = kids(d.authSafe);
  await rejectsWith(parsePfx(repack([certsInfo!], pw), pw), 'PFX_MALFORMED');
  await assert.rejects(parsePfx(repack([certsInfo!, keyInfo!, keyInfo!], pw), pw), {
    name: 'CertDeskError',
    code: 'PFX_UNSUPPORTED',
    message: 'the PKCS#12 file holds 2 private keys (friendly names "Alice Example", "Alice Example"); CertDesk imports a file with one key and its certificate',
  });
  const other = dissect(await build('rsa-2048', 'modern'));
  await rejectsWith(parsePfx(repack([kids(other.authSafe)[0]!, keyInfo!], pw), pw), 'PFX_MALFORMED');
  // The reader does accept the parts in another order.
  const back = await parsePfx(repack([keyInfo!, certsInfo!], pw), pw);
  assert.equal(back.chain.length, 1);
});

test('an unknown encryption algorithm is PFX_UNSUPPORTED and named by name and OID', async () => {
  const pw = 'correct horse';
  const d = dissect(await build('ec-p256', 'legacy'));
  // Swap the key bag's algorithm for pbeWithSHAAnd128BitRC4, keeping its parameters.
  const rc4 = '1.2.840.113549.1.12.1.1';
  const keyBag = d.keyBag!;
  const [, explicitValue, attributes] = kids(keyBag);
  const [algorithm, ciphertext] = kids(kids(explicitValue)[0]);
  const swapped = sequence(oid(rc4), kids(algorithm)[1]!);
  const bag = sequence(oid('1.2.840.113549.1.12.10.1.2'), explicit(0, sequence(swapped, ciphertext!)), attributes!);
  const keyInfo = sequence(oid('1.2.840.113549.1.7.1'), explicit(0, octetString(derOf(sequence(bag)))));
  await assert.rejects(parsePfx(repack([kids(d.authSafe)[0]!, keyInfo], pw), pw), (e: unknown) => {
    assert.ok(e instanceof CertDeskError);
    assert.equal(e.code, 'PFX_UNSUPPORTED');
    assert.equal(e.message, 'PKCS#12 file uses an unsupported encryption algorithm for SafeContents 2 bag 1: pbeWithSHAAnd128BitRC4 (OID 1.2.840.113549.1.12.1.1)');
    return true;
  });
});

test('buildPfx rejects weak iteration counts, empty passwords and a key that does not fit', async () => {
  await rejectsWith(build('ec-p256', 'modern', { iterations: 9_999 }), 'INVALID_INPUT');
  await rejectsWith(build('ec-p256', 'legacy', { iterations: 2048 }), 'INVALID_INPUT');
  await rejectsWith(build('ec-p256', 'modern', { password: '' }), 'INVALID_INPUT');
  await rejectsWith(build('ec-p256', 'modern', { privateKeyPkcs8: (await fixture('rsa-2048')).pkcs8 }), 'KEY_MISMATCH');
  await rejectsWith(build('ec-p256', 'modern', { privateKeyPkcs8: new Uint8Array([1, 2, 3]) }), 'INVALID_INPUT');
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
  await rejectsWith(build('ec-p256', 'modern', { privateKeyPkcs8: ed }), 'UNSUPPORTED_KEY');
  const pfx = await build('ec-p256', 'legacy', { iterations: 12_345, friendlyName: '' });
  assert.equal((await parsePfx(pfx, 'correct horse')).friendlyName, null);
});
