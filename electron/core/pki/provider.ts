// Wires @peculiar/x509 and pkijs to Node's WebCrypto. Import this module before using either library.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle;

x509.cryptoProvider.set(webcrypto as never);
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

export { x509, pkijs };
