// Looks inside a PKCS#12 file the way a reviewer would: decode the ASN.1, list every algorithm identifier.
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';

export function decode(bytes: Uint8Array): asn1js.AsnType {
  const r = asn1js.fromBER(bytes, { parseEmbedded: false });
  assert.equal(r.offset, bytes.length, 'DER must decode completely');
  return r.result;
}

export function kids(block: asn1js.AsnType | undefined): asn1js.AsnType[] {
  assert.ok(block && block.idBlock.isConstructed, 'expected a constructed element');
  return (block.valueBlock as unknown as { value: asn1js.AsnType[] }).value;
}

export function oidText(block: asn1js.AsnType | undefined): string {
  assert.ok(block instanceof asn1js.ObjectIdentifier);
  return block.valueBlock.toString();
}

export function primitiveBytes(block: asn1js.AsnType | undefined): Uint8Array {
  assert.ok(block && !block.idBlock.isConstructed, 'expected a primitive element');
  return (block.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView;
}

/** The parts of our PFX layout: [EncryptedData(certs), Data(key bag)] and the MacData. */
export function dissect(pfx: Uint8Array) {
  const root = decode(pfx);
  const [version, authSafeInfo, macData] = kids(root);
  assert.equal((version as asn1js.Integer).valueBlock.valueDec, 3);
  const authSafeOctets = kids(authSafeInfo)[1];
  const authSafe = decode(primitiveBytes(kids(authSafeOctets)[0]));
  const [certsInfo, keyInfo] = kids(authSafe);
  const encryptedContentInfo = kids(kids(kids(certsInfo)[1])[0])[1];
  const [, certsAlgorithm, certsCiphertext] = kids(encryptedContentInfo);
  const keySafeContents = decode(primitiveBytes(kids(kids(keyInfo)[1])[0]));
  const keyBag = kids(keySafeContents)[0];
  const [keyAlgorithm, keyCiphertext] = kids(kids(kids(keyBag)[1])[0]);
  return { root, macData, authSafe, keySafeContents, keyBag, certsAlgorithm, certsCiphertext, keyAlgorithm, keyCiphertext };
}

/** Every element of a decoded tree, depth first (primitive contents are not decoded). */
export function* allBlocks(block: asn1js.AsnType): Generator<asn1js.AsnType> {
  yield block;
  if (block.idBlock.isConstructed) for (const child of kids(block)) yield* allBlocks(child);
}

export function allOids(...trees: asn1js.AsnType[]): Set<string> {
  const oids = new Set<string>();
  for (const tree of trees) for (const b of allBlocks(tree)) if (b instanceof asn1js.ObjectIdentifier) oids.add(b.valueBlock.toString());
  return oids;
}

/** Structural OIDs (content types, bag types, attribute types); everything else is an algorithm. */
export const STRUCTURE_OIDS = new Set([
  '1.2.840.113549.1.7.1',
  '1.2.840.113549.1.7.6',
  '1.2.840.113549.1.12.10.1.2',
  '1.2.840.113549.1.9.20',
  '1.2.840.113549.1.9.21',
]);

/** The algorithm OIDs a PFX uses (structural OIDs left out). */
export function pfxAlgorithms(pfx: Uint8Array): string[] {
  const d = dissect(pfx);
  return [...allOids(d.root, d.authSafe, d.keySafeContents)].filter((o) => !STRUCTURE_OIDS.has(o));
}
