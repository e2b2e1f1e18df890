// Loading PKCS#11 modules (shared libraries such as SoftHSM2's libsofthsm2.so or OpenSC's opensc-pkcs11.so)
// through pkcs11js, a Node-API addon: the same binary loads in Node and in Electron. One PKCS11 object per
// module path in this process, initialised once (C_Initialize) and finalised (C_Finalize) when its last user
// releases it, so a module is never initialised twice.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type * as Pkcs11Js from 'pkcs11js';
import { CertDeskError } from '../../../shared/errors.js';
import { CKR, ckrOf } from './token-errors.js';

export type Pkcs11Lib = typeof Pkcs11Js;

let lib: Pkcs11Lib | null = null;

/** The pkcs11js package, loaded on first use (it is a native addon: only token users load it). */
export async function pkcs11Lib(): Promise<Pkcs11Lib> {
  if (!lib) {
    const mod = (await import('pkcs11js')) as unknown as { default?: Pkcs11Lib } & Pkcs11Lib;
    lib = mod.default ?? mod;
  }
  return lib;
}

export interface LoadedModule {
  readonly path: string;
  readonly lib: Pkcs11Lib;
  readonly p11: Pkcs11Js.PKCS11;
  users: number;
}

const loaded = new Map<string, LoadedModule>();

function moduleFailed(path: string, why: string): CertDeskError {
  return new CertDeskError('PKCS11_MODULE_FAILED', `PKCS#11 module ${path}: ${why}`, { module: path });
}

/**
 * The module at `path`, loaded (dlopen) and initialised (C_Initialize) on first use; every acquire needs a
 * releaseModule. Throws PKCS11_MODULE_FAILED naming the path: not an absolute path, no such file, not a
 * loadable library, or C_Initialize failed.
 */
export async function acquireModule(path: string): Promise<LoadedModule> {
  const known = loaded.get(path);
  if (known) {
    known.users++;
    return known;
  }
  if (!isAbsolute(path)) throw moduleFailed(path, 'give the absolute path of the module file');
  if (!existsSync(path) || !statSync(path).isFile()) throw moduleFailed(path, 'no such file');
  const l = await pkcs11Lib();
  const p11 = new l.PKCS11();
  try {
    p11.load(path);
  } catch (e) {
    // dlopen's own message (e.g. "invalid ELF header", "wrong ELF class"), which names no secret.
    const why = (e as Error).message.split('\n', 1)[0]!.replace(`${path}: `, '');
    throw moduleFailed(path, `cannot be loaded as a PKCS#11 library (${why})`);
  }
  try {
    p11.C_Initialize();
  } catch (e) {
    if (ckrOf(e) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) {
      try {
        p11.close();
      } catch {
        /* the load failed already */
      }
      throw moduleFailed(path, `C_Initialize failed (${(e as Error).message.split('\n', 1)[0]})`);
    }
  }
  const m: LoadedModule = { path, lib: l, p11, users: 1 };
  loaded.set(path, m);
  return m;
}

/** Gives back an acquireModule; the last one finalises (C_Finalize) and unloads the module. Never throws. */
export function releaseModule(m: LoadedModule): void {
  m.users--;
  if (m.users > 0) return;
  if (loaded.get(m.path) === m) loaded.delete(m.path);
  try {
    m.p11.C_Finalize();
  } catch {
    /* a module that already went away */
  }
  try {
    m.p11.close();
  } catch {
    /* idem */
  }
}

/** Runs `fn` with the module loaded, and releases it after. */
export async function withModule<T>(path: string, fn: (m: LoadedModule) => Promise<T> | T): Promise<T> {
  const m = await acquireModule(path);
  try {
    return await fn(m);
  } finally {
    releaseModule(m);
  }
}

/** How many modules this process holds loaded (tests check that locking the vault releases them). */
export function loadedModuleCount(): number {
  return loaded.size;
}
