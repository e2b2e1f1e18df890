// The hand-over part of export, issue and renew: the options, and what is printed (the bundle, the password
// shown once). The slip and the letter carry the password, so they are refused inside the bundle folder; the
// delivery (core/delivery) writes them.
import { statSync } from 'node:fs';
import type { DeviceId } from '../../shared/devices.js';
import type { PfxEncryption } from '../../shared/domain.js';
import type { BundleTarget } from '../core/delivery/issue-deliver.js';
import type { ExportResult } from '../core/export/export-bundle.js';
import { isWithin } from '../core/files.js';
import type { Vault } from '../core/vault/vault.js';
import type { CommandContext, CommandResult } from './context.js';
import { readSecretFile } from './secrets.js';
import { UsageError } from './usage.js';

export const HANDOVER_OPTIONS = {
  pfx: { type: 'string' },
  devices: { type: 'string' },
  'password-file': { type: 'string' },
  slip: { type: 'string' },
  letter: { type: 'string' },
} as const;

/** True when --out names a folder: an existing one, or a path ending in a separator. */
export function outIsFolder(out: string): boolean {
  if (out.endsWith('/') || out.endsWith('\\')) return true;
  try {
    return statSync(out).isDirectory();
  } catch {
    return false;
  }
}

export interface HandoverOptions {
  outDir: string;
  encryption: PfxEncryption | undefined;
  /** --devices (issue 14): what will install the bundle; the encryption follows from it. */
  devices: DeviceId[] | undefined;
  password: string | undefined;
  slip: string | undefined;
  letter: string | undefined;
}

/** Reads and checks the hand-over options before anything is issued or written. */
export async function handoverOptions(ctx: CommandContext, outDir: string): Promise<HandoverOptions> {
  const pfx = ctx.str('pfx');
  if (pfx !== undefined && pfx !== 'modern' && pfx !== 'legacy') throw new UsageError('--pfx is modern or legacy');
  const devices = await devicesOption(ctx, pfx);
  const passwordFile = ctx.str('password-file');
  const slip = ctx.str('slip');
  const letter = ctx.str('letter');
  if (slip) checkOutside(outDir, slip, '--slip');
  if (letter) checkOutside(outDir, letter, '--letter');
  return { outDir, encryption: pfx, devices, password: passwordFile ? readSecretFile(passwordFile, 'PFX password') : undefined, slip, letter };
}

/** Files that carry passwords (slip, letter, password list) must not travel with the bundles. */
export function checkOutside(outDir: string, file: string, opt: string): void {
  if (isWithin(outDir, file)) throw new UsageError(`${opt} must be outside ${outDir}: it carries the password, which never travels with the bundle`);
}

/** The engine's bundle target for these options: the folder, the PFX, the password, and the slip and letter that receive it. */
export function bundleTarget(opts: HandoverOptions): BundleTarget {
  return { outDir: opts.outDir, encryption: opts.encryption, devices: opts.devices, password: opts.password, sinks: { slip: opts.slip, letter: opts.letter } };
}

/**
 * Reads --devices ID,ID (shared/devices.ts DEVICE_IDS; issue 14): undefined when absent. A UsageError names an
 * unknown or repeated id; INVALID_INPUT "--devices: ..." when --pfx contradicts the devices (resolveDeliveryForm).
 */
export async function devicesOption(ctx: CommandContext, pfx: string | undefined): Promise<DeviceId[] | undefined> {
  const text = ctx.str('devices');
  if (text === undefined) return undefined;
  // Loaded here, not at start: only a delivery needs the device rules and their request schema (zod).
  const { DEVICE_IDS, resolveDeliveryForm } = await import('../../shared/devices.js');
  const { devicesSchema } = await import('../../shared/devices-schema.js');
  const ids = text.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = ids.filter((x) => !(DEVICE_IDS as readonly string[]).includes(x));
  if (unknown.length) throw new UsageError(`--devices: unknown device ${unknown.map((x) => `"${x}"`).join(', ')}; the devices are ${DEVICE_IDS.join(', ')}`);
  const parsed = devicesSchema.safeParse(ids);
  if (!parsed.success) throw new UsageError(`--devices: ${parsed.error.issues[0]!.message} (the devices are ${DEVICE_IDS.join(', ')})`);
  resolveDeliveryForm({ devices: parsed.data, encryption: pfx as PfxEncryption | undefined }, '--devices');
  return parsed.data;
}

/**
 * Exports a certificate's bundle (the slip and letter are written by the delivery) and says what was written;
 * `toTerminal`: whether stdout is a terminal (handoverOutput).
 */
export async function handOver(vault: Vault, cert: string, opts: HandoverOptions, toTerminal: boolean): Promise<{ result: ExportResult; extra: CommandResult }> {
  const { exportBundle } = await import('../core/export/export-bundle.js');
  const result = await exportBundle(vault, { cert, outDir: opts.outDir, encryption: opts.encryption, devices: opts.devices, password: opts.password, sinks: { slip: opts.slip, letter: opts.letter } });
  return { result, extra: await handoverOutput(result, opts, toTerminal) };
}

/**
 * What the CLI prints for a bundle: its files and, for a generated password, the password in --json output or
 * to a person at a terminal (`toTerminal`: the command's stdout is one); never into a pipe or log as text.
 */
export async function handoverOutput(result: ExportResult, opts: Pick<HandoverOptions, 'slip' | 'letter'>, toTerminal: boolean): Promise<CommandResult> {
  // Loaded here, not at start: the export module's graph (PFX, QR, XML) is only for commands that hand over a bundle.
  const { ENCRYPTION_ADVICE } = await import('../core/export/export-bundle.js');
  const showPassword = result.summary.passwordGenerated;
  const passwordLine = !showPassword
    ? 'The PFX opens with the password you set.\n'
    : toTerminal
      ? `PFX password (shown once): ${result.password}\n`
      : `A password was generated; it is shown only with --json or on a terminal${opts.slip || opts.letter ? ', and is on the slip/letter' : ''}.\n`;
  const data: Record<string, unknown> = {
    bundle: result.summary,
    ...(showPassword ? { password: result.password } : {}),
    slip: opts.slip ?? null,
    letter: opts.letter ?? null,
  };
  const text =
    `Wrote bundle ${result.summary.folder} (${result.summary.encryption} PFX: ${ENCRYPTION_ADVICE[result.summary.encryption]})\n` +
    result.summary.files.map((f) => `  ${f.name}  ${f.purpose}\n`).join('') +
    passwordLine +
    (opts.slip ? `Hand-over slip: ${opts.slip}\n` : '') +
    (opts.letter ? `Hand-over letter: ${opts.letter}\n` : '');
  return { data, text };
}
