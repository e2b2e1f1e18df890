// The service's state between calls: which vault file, whether it is unlocked, the idle timer that
// locks it, and the batch jobs in progress. One session per host (the Electron main process, or one
// test harness). Locking drops every key from memory; the renderer learns of it from the next status.
import { existsSync } from 'node:fs';
import { CertDeskError } from '../../shared/errors.js';
import type { SessionStatus, VaultState } from '../../shared/api.js';
import { Vault, MIN_PASSPHRASE_LENGTH, type VaultOptions } from '../core/vault/vault.js';
import { DEFAULT_KDF } from '../core/vault/vault-crypto.js';
import { createVault } from '../core/issuance/new-vault.js';
import type { BatchJobRunner } from './batch-jobs.js';
import { ReadGrants } from './read-grants.js';
import { WriteGrants } from './write-grants.js';

export const AUTO_LOCK_SETTING = 'auto_lock_minutes';
export const DEFAULT_AUTO_LOCK_MINUTES = 10;

export interface ServiceOptions {
  vaultPath: string;
  /** Clock and KDF cost for the vault (tests lower the cost). */
  vault?: VaultOptions;
  /** Called after the vault locked itself (idle) so a host can tell its window. */
  onAutoLock?: () => void;
}

export class ServiceSession {
  vaultPath: string;
  readonly vaultOptions: VaultOptions;
  private vault: Vault | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly onAutoLock: (() => void) | undefined;
  readonly jobs = new Map<string, BatchJobRunner>();
  /** What the officer chose in a dialog this session: the only places a request may name for writing (write-grants.ts). */
  readonly grants = new WriteGrants();
  /** The files the officer picked in an open dialog this session: the only files a request may name for reading (read-grants.ts). */
  readonly reads = new ReadGrants();

  constructor(opts: ServiceOptions) {
    this.vaultPath = opts.vaultPath;
    this.vaultOptions = opts.vault ?? {};
    this.onAutoLock = opts.onAutoLock;
  }

  state(): VaultState {
    if (this.vault) return this.vault.unlocked ? 'unlocked' : 'locked';
    return existsSync(this.vaultPath) ? 'locked' : 'no-vault';
  }

  status(): SessionStatus {
    const kdf = this.vaultOptions.kdf ?? DEFAULT_KDF;
    return {
      state: this.state(),
      vaultPath: this.vaultPath,
      autoLockMinutes: this.autoLockMinutes(),
      // scrypt needs 128 * N * r bytes; about 0.3 s for the default on one laptop core (README, field notes).
      kdf: { alg: kdf.alg, memoryMiB: Math.round((128 * kdf.N * kdf.r) / 2 ** 20), approxSeconds: Math.max(0.01, 0.3 * ((kdf.N * kdf.r) / (DEFAULT_KDF.N * DEFAULT_KDF.r))) },
      minPassphraseLength: MIN_PASSPHRASE_LENGTH,
    };
  }

  /** The vault file, opened (locked) on first use. */
  opened(): Vault {
    if (!this.vault) this.vault = Vault.open(this.vaultPath, this.vaultOptions);
    return this.vault;
  }

  /** The unlocked vault, or VAULT_LOCKED; every use counts as activity for the idle timer. */
  unlocked(): Vault {
    const vault = this.opened();
    vault.requireUnlocked();
    this.touch();
    return vault;
  }

  async create(passphrase: string, path?: string): Promise<void> {
    // Refused before anything changes: naming an existing file must not close the vault that is open.
    const target = path ?? this.vaultPath;
    if (existsSync(target)) throw new CertDeskError('VAULT_EXISTS', `a vault already exists at ${target}; unlock it, or choose another file`, { path: target });
    if (path !== undefined) this.switchTo(path);
    this.vault = await createVault(this.vaultPath, passphrase, this.vaultOptions);
    this.touch();
  }

  /** Points the session at another vault file; the current one is locked and closed first. */
  switchTo(path: string): void {
    if (this.runningJobs() > 0) throw new CertDeskError('INVALID_INPUT', 'a batch is still running: wait for it or stop it before switching vaults', {});
    this.close();
    this.vaultPath = path;
  }

  async unlock(passphrase: string): Promise<void> {
    await this.opened().unlock(passphrase);
    this.touch();
  }

  lock(): void {
    this.clearTimer();
    this.vault?.lock();
  }

  close(): void {
    this.clearTimer();
    this.vault?.close();
    this.vault = null;
  }

  autoLockMinutes(): number {
    if (!this.vault) return DEFAULT_AUTO_LOCK_MINUTES;
    return this.vault.getSetting<number>(AUTO_LOCK_SETTING) ?? DEFAULT_AUTO_LOCK_MINUTES;
  }

  /** Restarts the idle timer. A running batch keeps the vault open until it ends. */
  touch(): void {
    this.clearTimer();
    const minutes = this.autoLockMinutes();
    if (minutes <= 0 || !this.vault?.unlocked) return;
    this.idleTimer = setTimeout(() => this.idle(), minutes * 60_000);
    this.idleTimer.unref();
  }

  private idle(): void {
    if (this.runningJobs() > 0) return this.touch();
    this.lock();
    this.onAutoLock?.();
  }

  runningJobs(): number {
    return [...this.jobs.values()].filter((j) => j.running).length;
  }

  private clearTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
