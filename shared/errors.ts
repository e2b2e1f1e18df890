// Error codes shared by the engine, the service layer, the CLI and the renderer.
// Messages name what is wrong and where; they never contain a key, passphrase or password.

export const ERROR_CODES = [
  'INVALID_INPUT', // a request field, CLI option or file content is malformed
  'INVALID_NAME', // a distinguished name or subject alternative name is malformed
  'UNSUPPORTED_KEY', // a key algorithm or size CertDesk does not accept
  'WEAK_KEY', // a key below the minimum strength (RSA < 2048, curves other than P-256/P-384)
  'CSR_INVALID', // a PKCS#10 request that cannot be parsed
  'CSR_BAD_SIGNATURE', // a PKCS#10 request whose self-signature does not verify
  'PROFILE_NOT_FOUND',
  'PROFILE_VIOLATION', // a request breaks a profile's rules (a required SAN is missing, a SAN type is not allowed)
  'CA_NOT_FOUND',
  'CA_EXISTS', // a CA with that name is already in the vault
  'NOT_A_CA', // the certificate cannot sign certificates (basicConstraints, keyUsage)
  'CA_KEY_MISSING', // the CA's private key is not in the vault
  'PATH_LENGTH_EXCEEDED', // a new intermediate would break the issuer's path length constraint
  'VALIDITY_EXCEEDS_ISSUER', // the requested end date is past the issuing CA's own end date
  'ISSUER_NOT_VALID', // the issuing CA is expired, not yet valid or revoked
  'CERT_NOT_FOUND',
  'AMBIGUOUS_REFERENCE', // a reference (serial, name) matches more than one record
  'DUPLICATE_SERIAL', // a serial number already used by that CA
  'ALREADY_REVOKED',
  'NOT_EXPORTABLE', // a revoked or expired certificate is not handed out
  'KEY_MISMATCH', // a private key does not belong to the certificate
  'KEY_NOT_KEPT', // the certificate's private key is not in the vault, so no PFX can be made
  'KEY_BAD_PASSWORD', // an encrypted PKCS#8 key could not be decrypted with the given password
  'PFX_BAD_PASSWORD', // a PKCS#12 file whose MAC or encryption does not match the password
  'PFX_MALFORMED', // a PKCS#12 file that cannot be parsed
  'PFX_UNSUPPORTED', // a PKCS#12 file using an algorithm CertDesk does not read
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_WRONG_PASSPHRASE',
  'VAULT_TOO_NEW', // the vault was written by a newer CertDesk; it is not modified
  'VAULT_CORRUPT', // the vault file is not a CertDesk vault or its records do not decrypt
  'VAULT_TAMPERED', // a record's MAC, a table's record set or a CA's revoked set does not hold: the vault was changed outside CertDesk
  'AUDIT_BROKEN', // the audit chain does not verify
  'IO_ERROR', // a file could not be read or written
  'INTERNAL',
  // K-of-N control of a CA key (issue 15, electron/core/quorum/):
  'QUORUM_REQUIRED', // the CA is under K-of-N control and fewer than K valid shares were given in this session
  'SHARE_REJECTED', // a quorum share file that is damaged or altered, of another CA or split, or given twice
  'SHARE_BAD_PASSPHRASE', // a quorum share that does not open with the passphrase given for it
  // CA keys on a PKCS#11 token (issue 15, electron/core/pkcs11/):
  'TOKEN_PIN_REQUIRED', // signing with a token CA needs its PIN in this session (details: ca, token)
  'TOKEN_PIN_INCORRECT', // the token refused the PIN (CKR_PIN_INCORRECT); nothing was signed
  'TOKEN_PIN_LOCKED', // the token's user PIN is locked (CKR_PIN_LOCKED): its security officer must reset it
  'TOKEN_NOT_PRESENT', // no token with that label (or serial) in the module's slots: removed or never there
  'TOKEN_KEY_NOT_FOUND', // the token holds no private key with that label or id
  'PKCS11_MODULE_FAILED', // the PKCS#11 module could not be loaded or initialized (missing file, not a PKCS#11 library)
  'CA_KEY_NOT_EXPORTABLE', // the CA's key lives on a token and never leaves it (export with key refused)
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error type the engine throws on purpose. Anything else is a bug (INTERNAL). */
export class CertDeskError extends Error {
  readonly code: ErrorCode;
  /** Structured context (a field name, a line number); never secret material. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CertDeskError';
    this.code = code;
    this.details = details;
  }
}

export function isCertDeskError(e: unknown): e is CertDeskError {
  return e instanceof CertDeskError;
}

/** What an error looks like once it has crossed a transport (IPC, the CLI's --json). */
export interface ErrorResult {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toErrorResult(e: unknown): ErrorResult {
  if (isCertDeskError(e)) {
    return e.details ? { ok: false, code: e.code, message: e.message, details: { ...e.details } } : { ok: false, code: e.code, message: e.message };
  }
  // Unexpected errors keep only their message: library messages can be long but carry no secrets we put there.
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, code: 'INTERNAL', message: `internal error: ${message}` };
}
