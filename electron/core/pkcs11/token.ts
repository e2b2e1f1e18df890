// One open session with one token: find the token by label (and serial), log in with the user PIN, find,
// read, generate and destroy objects, sign. PKCS#11 v2.40 base specification: C_GetSlotList / C_GetTokenInfo
// (5.5), C_OpenSession / C_Login / C_Logout (5.6), C_FindObjects / C_GetAttributeValue (5.7), C_Sign (5.11),
// C_GenerateKeyPair (5.14). The PIN is passed to C_Login and kept nowhere.
import type * as Pkcs11Js from 'pkcs11js';
import { acquireModule, releaseModule, type LoadedModule } from './library.js';
import { CKR, ckrOf, pinLocked, tokenError, tokenNotPresent, type TokenPlace } from './token-errors.js';

/** Where to find a token: its module, label and (when known) serial number. */
export interface TokenLocation {
  module: string;
  token: string;
  serial?: string;
}

/** CK_TOKEN_INFO's text fields without their padding. */
export function trimmed(s: string): string {
  return s.replace(/[\s\0]+$/, '');
}

/** Logged-in sessions per module and slot: the token's login state is shared by all our sessions with it. */
const logins = new Map<string, number>();

export class TokenConnection {
  private closed = false;
  private loginKey: string | null = null;

  private constructor(
    readonly module: LoadedModule,
    readonly slot: Buffer,
    readonly session: Buffer,
    /** The token's label and serial (trimmed). */
    readonly label: string,
    readonly serial: string,
    private readonly place: TokenPlace,
  ) {}

  /**
   * Opens a session with the token labelled `where.token` (and with `where.serial` when given) and logs in with
   * `pin` unless it is null. Throws PKCS11_MODULE_FAILED (module), TOKEN_NOT_PRESENT (no such token),
   * TOKEN_PIN_LOCKED (the token says its user PIN is locked: checked before the PIN is tried),
   * TOKEN_PIN_INCORRECT (with the tries left when the token tells: CKF_USER_PIN_COUNT_LOW / FINAL_TRY).
   * @param opts.rw a read/write session (key generation); opts.ca names the CA in messages
   */
  static async open(where: TokenLocation, pin: string | null, opts: { rw?: boolean; ca?: string } = {}): Promise<TokenConnection> {
    const m = await acquireModule(where.module);
    const place: TokenPlace = { module: where.module, token: where.token, ...(opts.ca !== undefined ? { ca: opts.ca } : {}) };
    let session: Buffer | null = null;
    try {
      const found = findSlot(m, where, place);
      const { CKF_SERIAL_SESSION, CKF_RW_SESSION } = m.lib;
      try {
        session = m.p11.C_OpenSession(found.slot, CKF_SERIAL_SESSION | (opts.rw ? CKF_RW_SESSION : 0));
      } catch (e) {
        throw tokenError(e, place, 'opening a session');
      }
      const conn = new TokenConnection(m, found.slot, session, found.label, found.serial, place);
      if (pin !== null) conn.login(pin, found.info);
      return conn;
    } catch (e) {
      if (session) {
        try {
          m.p11.C_CloseSession(session);
        } catch {
          /* going away anyway */
        }
      }
      releaseModule(m);
      throw e;
    }
  }

  private login(pin: string, info: Pkcs11Js.TokenInfo): void {
    const { p11, lib } = this.module;
    if (info.flags & lib.CKF_USER_PIN_LOCKED) throw pinLocked(this.place);
    const key = `${this.module.path}\0${this.slot.toString('hex')}`;
    const already = logins.get(key) ?? 0;
    if (already === 0) {
      try {
        p11.C_Login(this.session, lib.CKU_USER, pin);
      } catch (e) {
        if (ckrOf(e) !== CKR.USER_ALREADY_LOGGED_IN) throw tokenError(e, this.place, 'logging in', ckrOf(e) === CKR.PIN_INCORRECT ? this.triesHint() : '');
      }
    }
    // Already logged in by another session of ours (another CA on the same token): the token's login state is
    // per application (PKCS#11 v2.40 5.6 C_Login), so this session is logged in too.
    logins.set(key, already + 1);
    this.loginKey = key;
  }

  /** What the token says about the PIN's remaining tries after a wrong one, or ''. */
  private triesHint(): string {
    try {
      const { p11, lib } = this.module;
      const flags = p11.C_GetTokenInfo(this.slot).flags;
      if (flags & lib.CKF_USER_PIN_LOCKED) return 'the PIN is now locked';
      if (flags & lib.CKF_USER_PIN_FINAL_TRY) return 'one try is left before the PIN locks';
      if (flags & lib.CKF_USER_PIN_COUNT_LOW) return 'the token says few tries are left before the PIN locks';
    } catch {
      /* the hint is optional */
    }
    return '';
  }

  /** Handles of the objects matching `template` (C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal). */
  find(template: Pkcs11Js.Template): Buffer[] {
    const { p11 } = this.module;
    try {
      p11.C_FindObjectsInit(this.session, template);
      try {
        const out: Buffer[] = [];
        for (;;) {
          const batch = p11.C_FindObjects(this.session, 64);
          if (batch.length === 0) break;
          out.push(...batch);
        }
        return out;
      } finally {
        p11.C_FindObjectsFinal(this.session);
      }
    } catch (e) {
      throw tokenError(e, this.place, 'searching the token');
    }
  }

  /** The values of `types` on object `handle` (C_GetAttributeValue); a type the object lacks or hides throws. */
  attributes(handle: Buffer, types: number[]): Pkcs11Js.Attribute[] {
    try {
      return this.module.p11.C_GetAttributeValue(this.session, handle, types.map((type) => ({ type })));
    } catch (e) {
      throw tokenError(e, this.place, 'reading an object');
    }
  }

  /** One attribute as a Buffer, or null when the object does not have it or keeps it sensitive. */
  bytes(handle: Buffer, type: number): Buffer | null {
    try {
      const [a] = this.module.p11.C_GetAttributeValue(this.session, handle, [{ type }]);
      return Buffer.isBuffer(a?.value) ? a.value : null;
    } catch {
      return null;
    }
  }

  /** Signs `data` with `key` through `mechanism` (C_SignInit, C_Sign). Throws the mapped error (tokenError). */
  sign(mechanism: number, key: Buffer, data: Buffer): Buffer {
    const { p11 } = this.module;
    try {
      p11.C_SignInit(this.session, { mechanism }, key);
      return Buffer.from(p11.C_Sign(this.session, data, Buffer.alloc(1024)));
    } catch (e) {
      throw tokenError(e, this.place, 'signing');
    }
  }

  /** C_GenerateKeyPair with the given templates. */
  generateKeyPair(mechanism: number, publicTemplate: Pkcs11Js.Template, privateTemplate: Pkcs11Js.Template): Pkcs11Js.KeyPair {
    try {
      return this.module.p11.C_GenerateKeyPair(this.session, { mechanism }, publicTemplate, privateTemplate);
    } catch (e) {
      throw tokenError(e, this.place, 'generating a key pair');
    }
  }

  /** C_DestroyObject; never throws (used to undo a key generation whose CA was not created). */
  destroy(handle: Buffer): void {
    try {
      this.module.p11.C_DestroyObject(this.session, handle);
    } catch {
      /* best effort: the caller reports the first failure */
    }
  }

  /** Logs out (when this is our token's last logged-in session), closes the session, releases the module. Never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { p11 } = this.module;
    if (this.loginKey) {
      const left = (logins.get(this.loginKey) ?? 1) - 1;
      if (left > 0) logins.set(this.loginKey, left);
      else {
        logins.delete(this.loginKey);
        try {
          p11.C_Logout(this.session);
        } catch {
          /* a removed token is logged out already */
        }
      }
    }
    try {
      p11.C_CloseSession(this.session);
    } catch {
      /* idem */
    }
    releaseModule(this.module);
  }
}

/** The slot holding the token labelled `where.token` (and with `where.serial` when given); TOKEN_NOT_PRESENT otherwise. */
function findSlot(m: LoadedModule, where: TokenLocation, place: TokenPlace): { slot: Buffer; info: Pkcs11Js.TokenInfo; label: string; serial: string } {
  let slots: Buffer[];
  try {
    slots = m.p11.C_GetSlotList(true);
  } catch (e) {
    throw tokenError(e, place, 'listing slots');
  }
  for (const slot of slots) {
    let info: Pkcs11Js.TokenInfo;
    try {
      info = m.p11.C_GetTokenInfo(slot);
    } catch {
      continue; // a slot whose token went away while we looked
    }
    const label = trimmed(info.label);
    const serial = trimmed(info.serialNumber);
    if (label === where.token && (!where.serial || serial === where.serial)) return { slot, info, label, serial };
  }
  throw tokenNotPresent(place, where.serial);
}
