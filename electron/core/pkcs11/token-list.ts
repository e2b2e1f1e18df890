// What a PKCS#11 module shows without a PIN: its tokens (label, serial, maker, model, whether a login is needed)
// and the objects a public session sees on each (public keys and certificates, and any private key the token
// does not mark private), each by label, CKA_ID and type. `certdesk token list` and the token.list channel.
import type * as Pkcs11Js from 'pkcs11js';
import { withModule, type LoadedModule } from './library.js';
import { tokenError } from './token-errors.js';
import { trimmed } from './token.js';

export interface TokenObjectView {
  kind: 'public-key' | 'private-key' | 'certificate';
  label: string;
  /** CKA_ID, hex. */
  id: string;
  /** "rsa-3072", "ec-p384", "rsa", "ec", "x509" or "other". */
  type: string;
}

export interface TokenView {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  /** CKF_LOGIN_REQUIRED: a PIN is needed to use its private keys. */
  loginRequired: boolean;
  /** CKF_USER_PIN_LOCKED. */
  pinLocked: boolean;
  objects: TokenObjectView[];
}

export interface TokenListing {
  module: string;
  tokens: TokenView[];
}

const CURVES: Record<string, string> = { '06082a8648ce3d030107': 'ec-p256', '06052b81040022': 'ec-p384', '06052b81040023': 'ec-p521' };

function attr(m: LoadedModule, session: Buffer, handle: Buffer, type: number): Pkcs11Js.Attribute['value'] | undefined {
  try {
    return m.p11.C_GetAttributeValue(session, handle, [{ type }])[0]?.value;
  } catch {
    return undefined;
  }
}

function objectView(m: LoadedModule, session: Buffer, handle: Buffer): TokenObjectView | null {
  const l = m.lib;
  const cls = attr(m, session, handle, l.CKA_CLASS);
  const buf = (v: unknown) => (Buffer.isBuffer(v) ? v : Buffer.alloc(0));
  const num = (v: unknown) => (Buffer.isBuffer(v) && v.length > 0 ? Number(v.readUIntLE(0, Math.min(v.length, 6))) : typeof v === 'number' ? v : -1);
  const classNo = num(cls);
  const kind = classNo === l.CKO_PUBLIC_KEY ? 'public-key' : classNo === l.CKO_PRIVATE_KEY ? 'private-key' : classNo === l.CKO_CERTIFICATE ? 'certificate' : null;
  if (!kind) return null;
  const label = buf(attr(m, session, handle, l.CKA_LABEL)).toString('utf8');
  const id = buf(attr(m, session, handle, l.CKA_ID)).toString('hex');
  let type = 'other';
  if (kind === 'certificate') type = 'x509';
  else {
    const keyType = num(attr(m, session, handle, l.CKA_KEY_TYPE));
    if (keyType === l.CKK_RSA) {
      const modulus = buf(attr(m, session, handle, l.CKA_MODULUS));
      let bits = modulus.length * 8;
      if (modulus.length && modulus[0] === 0) bits -= 8;
      type = modulus.length ? `rsa-${bits}` : 'rsa';
    } else if (keyType === l.CKK_EC) {
      type = CURVES[buf(attr(m, session, handle, l.CKA_EC_PARAMS)).toString('hex')] ?? 'ec';
    }
  }
  return { kind, label, id, type };
}

/**
 * The tokens in the module at `modulePath` and their objects visible without a PIN. Throws PKCS11_MODULE_FAILED
 * (the module cannot be loaded or fails). A token that goes away while it is read is left out.
 */
export async function listTokens(modulePath: string): Promise<TokenListing> {
  return withModule(modulePath, (m) => {
    const l = m.lib;
    let slots: Buffer[];
    try {
      slots = m.p11.C_GetSlotList(true);
    } catch (e) {
      throw tokenError(e, { module: modulePath }, 'listing slots');
    }
    const tokens: TokenView[] = [];
    for (const slot of slots) {
      let info: Pkcs11Js.TokenInfo;
      try {
        info = m.p11.C_GetTokenInfo(slot);
      } catch {
        continue;
      }
      if (!(info.flags & l.CKF_TOKEN_INITIALIZED)) continue; // a free slot (SoftHSM keeps one), nothing on it
      const objects: TokenObjectView[] = [];
      try {
        const session = m.p11.C_OpenSession(slot, l.CKF_SERIAL_SESSION);
        try {
          m.p11.C_FindObjectsInit(session, []);
          const handles: Buffer[] = [];
          for (;;) {
            const batch = m.p11.C_FindObjects(session, 64);
            if (batch.length === 0) break;
            handles.push(...batch);
          }
          m.p11.C_FindObjectsFinal(session);
          for (const h of handles) {
            const v = objectView(m, session, h);
            if (v) objects.push(v);
          }
        } finally {
          m.p11.C_CloseSession(session);
        }
      } catch {
        /* a token that went away: listed without objects */
      }
      objects.sort((a, b) => a.label.localeCompare(b.label) || a.kind.localeCompare(b.kind));
      tokens.push({
        label: trimmed(info.label),
        serial: trimmed(info.serialNumber),
        manufacturer: trimmed(info.manufacturerID),
        model: trimmed(info.model),
        loginRequired: (info.flags & l.CKF_LOGIN_REQUIRED) !== 0,
        pinLocked: (info.flags & l.CKF_USER_PIN_LOCKED) !== 0,
        objects,
      });
    }
    return { module: modulePath, tokens };
  });
}
