// PKCS#11 return values as CertDesk errors (PKCS#11 v2.40 base specification, section 5.1 "Return values").
// Messages name the module, the token and the CA; never a PIN (pkcs11js's messages carry only the CKR_ name).
import { CertDeskError } from '../../../shared/errors.js';

/** The CKR_ values CertDesk tells apart (PKCS#11 v2.40 pkcs11t.h). */
export const CKR = {
  SLOT_ID_INVALID: 0x03,
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

/** Where an error happened, for its message and details. */
export interface TokenPlace {
  module: string;
  /** The token's label, when known. */
  token?: string;
  /** The CA whose key it is, when known. */
  ca?: string;
}

/** The CKR_ code of a pkcs11js error, or null for another error. */
export function ckrOf(e: unknown): number | null {
  return e instanceof Error && e.name === 'Pkcs11Error' && typeof (e as { code?: unknown }).code === 'number' ? (e as unknown as { code: number }).code : null;
}

function placeText(p: TokenPlace): string {
  return `${p.token !== undefined ? `token "${p.token}"` : 'the token'}${p.ca !== undefined ? ` (CA "${p.ca}")` : ''} in PKCS#11 module ${p.module}`;
}

/** TOKEN_NOT_PRESENT naming the token and module. */
export function tokenNotPresent(p: TokenPlace, serial?: string): CertDeskError {
  const which = `token "${p.token ?? ''}"${serial ? ` (serial ${serial})` : ''}`;
  return new CertDeskError('TOKEN_NOT_PRESENT', `${which} is not present in PKCS#11 module ${p.module}${p.ca !== undefined ? ` (CA "${p.ca}")` : ''}: insert it, or check the module and label`, {
    module: p.module,
    token: p.token ?? null,
    ...(p.ca !== undefined ? { ca: p.ca } : {}),
  });
}

/** TOKEN_PIN_LOCKED naming the token. */
export function pinLocked(p: TokenPlace): CertDeskError {
  return new CertDeskError('TOKEN_PIN_LOCKED', `the user PIN of ${placeText(p)} is locked: the token's security officer must unlock or reset it; nothing was signed`, {
    module: p.module,
    token: p.token ?? null,
    ...(p.ca !== undefined ? { ca: p.ca } : {}),
  });
}

/**
 * The CertDeskError for an error thrown by a PKCS#11 call (`action`, e.g. "log in"): TOKEN_PIN_INCORRECT
 * (with `triesHint`, e.g. "one try is left before the PIN locks"), TOKEN_PIN_LOCKED, TOKEN_NOT_PRESENT for a
 * token or device that went away, PKCS11_MODULE_FAILED for anything else. A CertDeskError passes unchanged.
 */
export function tokenError(e: unknown, p: TokenPlace, action: string, triesHint = ''): CertDeskError {
  if (e instanceof CertDeskError) return e;
  const code = ckrOf(e);
  const details = { module: p.module, token: p.token ?? null, ...(p.ca !== undefined ? { ca: p.ca } : {}) };
  switch (code) {
    case CKR.PIN_INCORRECT:
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      return new CertDeskError('TOKEN_PIN_INCORRECT', `${placeText(p)} refused the PIN${triesHint ? `; ${triesHint}` : ''}; nothing was signed`, details);
    case CKR.PIN_LOCKED:
    case CKR.PIN_EXPIRED:
      return pinLocked(p);
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.TOKEN_NOT_RECOGNIZED:
    case CKR.DEVICE_REMOVED:
    case CKR.SLOT_ID_INVALID:
      return tokenNotPresent(p);
    default: {
      const name = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
      return new CertDeskError('PKCS11_MODULE_FAILED', `${placeText(p)}: ${action} failed (${name})`, details);
    }
  }
}
