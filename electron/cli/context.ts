// What every CLI command gets: its parsed options, the vault (opened and unlocked on first use), file helpers.
import type { InputKind } from '../core/input-limits.js';
import { defaultVaultPath } from '../core/vault/location.js';
import { Vault } from '../core/vault/vault.js';
import { unlockGivenShares } from './quorum-commands.js';
import { useCliTokenPins } from './token-commands.js';
import { readInputFile } from '../core/read-input.js';
import { readPassphrase } from './secrets.js';
import { UsageError } from './usage.js';

export type OptionValue = string | boolean | string[] | undefined;

export interface CommandResult {
  /** The --json object (ok: true is added). */
  data: Record<string, unknown>;
  /** What a person reads on stdout. */
  text: string;
  /** Part of the work failed: said on stderr, exit status 1, while stdout still carries what was done (a password shown once). */
  failure?: string;
}

/** Where a command's output goes: the process's stdout and stderr in the bin (run.ts). */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** The part of a stream the CLI uses; isTTY decides whether a password may be shown as text (never into a pipe or a log). */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export class CommandContext {
  readonly values: Record<string, OptionValue>;
  readonly positionals: string[];
  readonly json: boolean;
  readonly vaultPath: string;
  /** Where the command writes besides its result: warnings and progress on io.stderr. */
  readonly io: CliIo;
  private opened: Vault | null = null;

  constructor(values: Record<string, OptionValue>, positionals: string[], io: CliIo) {
    this.values = values;
    this.io = io;
    this.positionals = positionals;
    this.json = values.json === true;
    this.vaultPath = this.str('vault') ?? process.env.CERTDESK_VAULT ?? defaultVaultPath();
  }

  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
    return v;
  }

  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} takes a whole number, got "${v}"`);
    return Number(v);
  }

  positional(index: number, what: string): string {
    const v = this.positionals[index];
    if (v === undefined) throw new UsageError(`missing ${what}`);
    return v;
  }

  passphrase(confirm = false): Promise<string> {
    return readPassphrase({ file: this.str('passphrase-file'), envName: 'CERTDESK_PASSPHRASE', what: 'vault passphrase', confirm });
  }

  /**
   * The vault, opened and unlocked; with --share files (issue 15), the quorum CA they belong to unlocked too,
   * unless `unlockShares` is false (quorum reissue reads them itself).
   */
  async vault(opts: { unlockShares?: boolean } = {}): Promise<Vault> {
    if (!this.opened) {
      const vault = Vault.open(this.vaultPath);
      try {
        await vault.unlock(await this.passphrase());
        // A CA key on a PKCS#11 token (issue 15): its PIN from $CERTDESK_PKCS11_PIN or a prompt, when one signs.
        useCliTokenPins(vault);
        // Two-officer control (issue 15): the engine's quorum module is loaded only when --share is given.
        if (opts.unlockShares !== false && this.list('share').length > 0) await unlockGivenShares(this, vault);
      } catch (e) {
        vault.close();
        throw e;
      }
      this.opened = vault;
    }
    return this.opened;
  }

  /** A file named on the command line, checked against its kind's size limit before it is read (read-input.ts). */
  readInput(path: string, kind: InputKind): Uint8Array {
    return readInputFile(path, kind, kind);
  }

  close(): void {
    this.opened?.close();
    this.opened = null;
  }
}
