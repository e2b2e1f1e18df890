// SoftHSM2 tokens for the PKCS#11 tests (issue 15): each test makes its own token folder and configuration file
// in a temporary folder and points SOFTHSM2_CONF at it (for itself and for the CLI processes it starts).
// Under CI=true a missing softhsm2-util, pkcs11-tool or module is a failure, never a skip: .ci/run installs them.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { needTools, runOk } from './tools.js';

/** Debian's softhsm2 module. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const USER_PIN = '731942';
export const SO_PIN = '864205';

/** Whether SoftHSM2 and OpenSC's pkcs11-tool are here; skips the test, or throws under CI, otherwise. */
export function needSoftHsm(t: TestContext): boolean {
  if (!needTools(t, 'softhsm2-util', 'pkcs11-tool')) return false;
  if (existsSync(SOFTHSM_MODULE)) return true;
  if (process.env.CI === 'true') throw new Error(`required PKCS#11 module missing under CI: ${SOFTHSM_MODULE}`);
  t.skip(`not installed: ${SOFTHSM_MODULE}`);
  return false;
}

export interface SoftHsm {
  /** The configuration file (SOFTHSM2_CONF). */
  conf: string;
  /** The token folder. */
  tokens: string;
  env: { SOFTHSM2_CONF: string };
  /** softhsm2-util --init-token --free: a new token labelled `label` with USER_PIN and SO_PIN; returns its serial. */
  initToken(label: string): string;
  /** Runs pkcs11-tool on the module with this configuration. */
  tool(args: string[]): string;
  /**
   * Marks the token's user PIN locked the way SoftHSM itself records token flags: CKF_USER_PIN_LOCKED
   * (0x00040000) set in CKA_OS_TOKENFLAGS of its token.object file. SoftHSM 2.6.1 never locks a PIN by itself
   * (measured: twelve wrong PINs in a row, then the right one still logs in), so a test of a locked token has
   * the token report the flag a locking token reports.
   */
  lockUserPin(label: string): void;
}

/** A SoftHSM2 configuration and token folder under `dir`. */
export function softHsm(dir: string): SoftHsm {
  const tokens = join(dir, 'softhsm-tokens');
  mkdirSync(tokens, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf };
  const opts = { env: { ...process.env, ...env } };
  return {
    conf,
    tokens,
    env,
    initToken(label) {
      const out = runOk('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', USER_PIN, '--so-pin', SO_PIN], opts).stdout;
      const slot = /reassigned to slot (\d+)/.exec(out)?.[1];
      const show = runOk('softhsm2-util', ['--show-slots'], opts).stdout;
      const block = show.split(/\nSlot /).find((b) => slot !== undefined && b.startsWith(slot)) ?? '';
      return /Serial number:\s+(\S+)/.exec(block)?.[1] ?? '';
    },
    tool(args) {
      return runOk('pkcs11-tool', ['--module', SOFTHSM_MODULE, ...args], opts).stdout;
    },
    lockUserPin(label) {
      for (const folder of readdirSync(tokens)) {
        const file = join(tokens, folder, 'token.object');
        const data = readFileSync(file);
        if (!data.includes(Buffer.from(label.padEnd(32, ' '), 'latin1'))) continue;
        // CKA_OS_TOKENFLAGS (0x8000534b), stored as a CK_ULONG attribute (kind 2): its 8-byte value follows.
        const tag = Buffer.from('000000008000534b0000000000000002', 'hex');
        const at = data.indexOf(tag);
        if (at < 0) throw new Error(`no token flags in ${file}`);
        const value = at + tag.length;
        data.writeBigUInt64BE(data.readBigUInt64BE(value) | 0x40000n, value);
        writeFileSync(file, data);
        return;
      }
      throw new Error(`no token labelled ${label} in ${tokens}`);
    },
  };
}
