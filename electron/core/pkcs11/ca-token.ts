// A CA key on a token, for createCa and importCa (issuance/cas.ts): generate a new non-extractable key pair on
// the token, or adopt a key pair already there by label after checking it belongs to the CA certificate. What
// the vault keeps is a token reference (token-ref.ts): module, token label and serial, CKA_ID, CKA_LABEL.
import { createVerify, randomBytes } from 'node:crypto';
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { EXTERNAL_SIGN, type ExternalPrivateKey } from '../pki/external-key.js';
import { keyTypeOfSpki } from '../pki/keys.js';
import type { Vault } from '../vault/vault.js';
import { rememberTokenSession } from './session.js';
import { TokenConnection } from './token.js';
import { findPrivateKey, generateTokenKeyPair } from './token-keys.js';
import { tokenPrivateKey } from './token-key.js';
import { encodeTokenReference, type TokenReference } from './token-ref.js';

/** Where the CA's key is (or is to be made), and the user PIN (used for this call and never stored). */
export interface TokenKeyRequest {
  /** The PKCS#11 module's absolute path. */
  module: string;
  /** The token's label. */
  token: string;
  /** CKA_LABEL of the key: for a new key, default the CA's name; to adopt a key, required. */
  keyLabel?: string;
  pin: string;
}

/** A CA key on a token, ready to sign with and to seal (as a token reference) into the vault. */
export interface TokenCaKey {
  keyType: KeyType;
  spki: Uint8Array;
  privateKey: ExternalPrivateKey;
  /** The token reference bytes to seal in place of a PKCS#8. */
  sealed: Uint8Array;
  /** Keeps the logged-in session in the vault for key `keyId` (call once the CA is committed). */
  keep(vault: Vault, keyId: string): void;
  /** Undoes what was done on the token (a generated key is destroyed) and closes the session; never throws. */
  abandon(): void;
}

function keyOn(conn: TokenConnection, keyType: KeyType, handle: Buffer): ExternalPrivateKey {
  const l = conn.module.lib;
  return tokenPrivateKey(keyType, { rsaPkcs: l.CKM_RSA_PKCS, ecdsa: l.CKM_ECDSA }, (mechanism, input) => conn.sign(mechanism, handle, input));
}

function referenceOf(conn: TokenConnection, req: TokenKeyRequest, id: string, label: string): TokenReference {
  return { module: req.module, token: conn.label, serial: conn.serial, id, label };
}

/**
 * Logs in to the token and generates a `keyType` key pair on it (token-keys.ts generateTokenKeyPair),
 * labelled `req.keyLabel` or `caName`. Throws PKCS11_MODULE_FAILED, TOKEN_NOT_PRESENT, TOKEN_PIN_LOCKED,
 * TOKEN_PIN_INCORRECT, INVALID_INPUT (label taken), or the token's refusal (PKCS11_MODULE_FAILED with its CKR_).
 */
export async function generateCaKeyOnToken(req: TokenKeyRequest, keyType: KeyType, caName: string): Promise<TokenCaKey> {
  const conn = await TokenConnection.open({ module: req.module, token: req.token }, req.pin, { rw: true, ca: caName });
  try {
    const pair = generateTokenKeyPair(conn, keyType, req.keyLabel || caName);
    let kept = false;
    return {
      keyType,
      spki: pair.spki,
      privateKey: keyOn(conn, keyType, pair.privateKey),
      sealed: encodeTokenReference(referenceOf(conn, req, pair.id, pair.label)),
      keep(vault, keyId) {
        kept = true;
        rememberTokenSession(vault, keyId, { token: conn.label, sign: (m, d) => conn.sign(m, pair.privateKey, d), close: () => conn.close() });
      },
      abandon() {
        if (kept) return;
        conn.destroy(pair.privateKey);
        conn.destroy(pair.publicKey);
        conn.close();
      },
    };
  } catch (e) {
    conn.close();
    throw e;
  }
}

/**
 * Logs in to the token and finds the private key labelled `req.keyLabel`; then proves it belongs to the CA
 * certificate's public key `certSpki` by signing a random challenge on the token and verifying it with that
 * public key (so no public key object on the token is needed). Throws TOKEN_KEY_NOT_FOUND, KEY_MISMATCH
 * ("the key labelled L on token T does not belong to the certificate"), and the errors of generateCaKeyOnToken.
 */
export async function adoptCaKeyOnToken(req: TokenKeyRequest, certSpki: Uint8Array, caName: string): Promise<TokenCaKey> {
  if (!req.keyLabel) throw new CertDeskError('INVALID_INPUT', 'pkcs11-key-label: name the key on the token to adopt', { field: 'keyLabel' });
  const keyType = keyTypeOfSpki(certSpki, 'cert public key');
  const conn = await TokenConnection.open({ module: req.module, token: req.token }, req.pin, { ca: caName });
  try {
    const found = findPrivateKey(conn, { label: req.keyLabel }, caName);
    const challenge = randomBytes(32);
    const privateKey = keyOn(conn, keyType, found.handle);
    const hash = keyType === 'ec-p384' ? 'SHA-384' : 'SHA-256';
    let signature: Uint8Array;
    try {
      signature = await privateKey[EXTERNAL_SIGN]({ name: keyType.startsWith('ec') ? 'ECDSA' : 'RSASSA-PKCS1-v1_5', hash }, challenge);
    } catch (e) {
      if (e instanceof CertDeskError && e.code === 'PKCS11_MODULE_FAILED') {
        throw new CertDeskError('KEY_MISMATCH', `the key labelled "${req.keyLabel}" on token "${conn.label}" cannot make a ${keyType} signature, so it is not the key of the CA certificate`, { token: conn.label, keyLabel: req.keyLabel });
      }
      throw e;
    }
    const verifier = createVerify(hash.replace('-', '').toLowerCase());
    verifier.update(challenge);
    const ok = verifier.verify({ key: Buffer.from(certSpki), format: 'der', type: 'spki', ...(keyType.startsWith('ec') ? { dsaEncoding: 'ieee-p1363' as const } : {}) }, signature);
    if (!ok) {
      throw new CertDeskError('KEY_MISMATCH', `the key labelled "${req.keyLabel}" on token "${conn.label}" does not belong to the CA certificate (its signature does not verify with the certificate's public key)`, {
        token: conn.label,
        keyLabel: req.keyLabel,
      });
    }
    let kept = false;
    return {
      keyType,
      spki: certSpki,
      privateKey,
      sealed: encodeTokenReference(referenceOf(conn, req, found.id, found.label)),
      keep(vault, keyId) {
        kept = true;
        rememberTokenSession(vault, keyId, { token: conn.label, sign: (m, d) => conn.sign(m, found.handle, d), close: () => conn.close() });
      },
      abandon() {
        if (!kept) conn.close();
      },
    };
  } catch (e) {
    conn.close();
    throw e;
  }
}
