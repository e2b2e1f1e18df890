// Certificate requests for the CSR tests: made by openssl where it can, and by hand (asn1js, pkijs,
// @peculiar/x509) for what openssl refuses to write (a 65-character CN, C=USA, invalid UTF-8, e = 1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { pkijs, x509 } from '../../electron/core/pki/provider.js';
import { runOk } from './tools.js';

const pemToDer = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

/**
 * A request made by `openssl req -new` in `dir` with an EC P-256 key (or the key in `keyFile`), `-subj subj`
 * (with -utf8) and each of `addext`; returns its DER.
 */
export function opensslCsr(dir: string, file: string, subj: string, addext: string[] = [], keyFile?: string): Uint8Array {
  const key = keyFile ? ['-key', keyFile] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${file}.key`];
  runOk('openssl', ['req', '-new', ...key, '-utf8', '-subj', subj, ...addext.flatMap((e) => ['-addext', e]), '-out', file], { cwd: dir });
  return pemToDer(readFileSync(join(dir, file), 'utf8'));
}

export async function ecKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

/** A validly self-signed EC request with this subject (x509.Name or JSON) and these extensions, made by @peculiar/x509. */
export async function libraryCsr(name: x509.Name | x509.JsonName, extensions: x509.Extension[] = [], keys?: webcrypto.CryptoKeyPair): Promise<Uint8Array> {
  const k = keys ?? (await ecKeys());
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: name instanceof x509.Name ? name : new x509.Name(name),
    keys: k as never,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as never,
    extensions,
  });
  return new Uint8Array(csr.rawData);
}

/** A subjectAltName extension whose GeneralNames hold these raw [tag] primitive values, bytes as given. */
export function rawSanExtension(names: { tag: number; bytes: Uint8Array }[]): x509.Extension {
  const seq = new asn1js.Sequence({
    value: names.map((n) => new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: n.tag }, valueHex: n.bytes })),
  });
  return new x509.Extension('2.5.29.17', false, seq.toBER());
}

/** A DER RSA SubjectPublicKeyInfo (rsaEncryption) with this modulus and exponent, whatever they are. */
export function rsaSpki(modulus: bigint, exponent: bigint): Uint8Array {
  const key = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(modulus), asn1js.Integer.fromBigInt(exponent)] });
  const spki = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.1' }), new asn1js.Null()] }),
      new asn1js.BitString({ valueHex: key.toBER() }),
    ],
  });
  return new Uint8Array(spki.toBER());
}

/** The modulus of a DER RSA SubjectPublicKeyInfo, from Node's JWK export. */
export function modulusOf(spkiDer: Uint8Array): bigint {
  const n = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }).export({ format: 'jwk' }).n as string;
  return BigInt(`0x${Buffer.from(n, 'base64url').toString('hex')}`);
}

/**
 * A request built by pkijs with these subject attributes (each its own RDN, values as given, bytes and all) and
 * `spki` (any key, even one no signature can be made with), signed with `signingKey` (ECDSA or RSA PKCS#1 v1.5,
 * SHA-256): its self-signature verifies only when `spki` is that key's public key.
 */
export async function handCsr(subject: [string, asn1js.BaseBlock][], spki: Uint8Array, signingKey: webcrypto.CryptoKey): Promise<Uint8Array> {
  const csr = new pkijs.CertificationRequest();
  for (const [type, value] of subject) {
    csr.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type, value: value as never }));
  }
  csr.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spki);
  await csr.sign(signingKey as never, 'SHA-256');
  return new Uint8Array(csr.toSchema().toBER());
}
