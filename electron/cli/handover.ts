// The hand-over part of export and issue: the bundle, the password shown once, the slip and the letter.
// The slip and the letter carry the password, so they are refused inside the bundle folder.
import { statSync } from 'node:fs';
import type { PfxEncryption } from '../../shared/domain.js';
import { ENCRYPTION_ADVICE, exportBundle, type ExportResult } from '../core/export/export-bundle.js';
import { renderHandoverSlip } from '../core/export/handover-slip.js';
import { DEFAULT_LETTER_TEMPLATE, renderLetter } from '../core/export/letter.js';
import { isWithin, writeFileAtomic } from '../core/files.js';
import type { Vault } from '../core/vault/vault.js';
import type { CommandContext, CommandResult } from './context.js';
import { readSecretFile } from './secrets.js';
import { UsageError } from './usage.js';

export const HANDOVER_OPTIONS = {
  pfx: { type: 'string' },
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
  password: string | undefined;
  slip: string | undefined;
  letter: string | undefined;
}

/** Reads and checks the hand-over options before anything is issued or written. */
export function handoverOptions(ctx: CommandContext, outDir: string): HandoverOptions {
  const pfx = ctx.str('pfx');
  if (pfx !== undefined && pfx !== 'modern' && pfx !== 'legacy') throw new UsageError('--pfx is modern or legacy');
  const passwordFile = ctx.str('password-file');
  const slip = ctx.str('slip');
  const letter = ctx.str('letter');
  if (slip) checkOutside(outDir, slip, '--slip');
  if (letter) checkOutside(outDir, letter, '--letter');
  return { outDir, encryption: pfx, password: passwordFile ? readSecretFile(passwordFile, 'PFX password') : undefined, slip, letter };
}

/** Files that carry passwords (slip, letter, password list) must not travel with the bundles. */
export function checkOutside(outDir: string, file: string, opt: string): void {
  if (isWithin(outDir, file)) throw new UsageError(`${opt} must be outside ${outDir}: it carries the password, which never travels with the bundle`);
}

export async function handOver(vault: Vault, ctx: CommandContext, cert: string, opts: HandoverOptions, privateKeyPkcs8?: Uint8Array): Promise<{ result: ExportResult; extra: CommandResult }> {
  const result = await exportBundle(vault, { cert, outDir: opts.outDir, encryption: opts.encryption, password: opts.password, privateKeyPkcs8 });
  const c = result.certificate;
  const pfxFile = result.summary.files.find((f) => f.name.endsWith('.pfx'))!.name;
  if (opts.slip) {
    writeFileAtomic(opts.slip, await renderHandoverSlip({ holder: c.holder, alias: c.alias, password: result.password, notAfter: c.notAfter, sha256: c.sha256, pfxFileName: pfxFile }), 0o600);
  }
  if (opts.letter) {
    const template = vault.getSetting<string>('letter_template') ?? DEFAULT_LETTER_TEMPLATE;
    const text = renderLetter(template, {
      $HolderName: c.holder,
      $ClientCertPwd: result.password,
      $ExpiryDate: c.notAfter.slice(0, 10),
      $Fingerprint: c.sha256.toUpperCase().match(/../g)!.join(':'),
      $Alias: c.alias ?? '',
      $CaName: c.issuerName ?? '',
      $PfxFile: pfxFile,
    });
    writeFileAtomic(opts.letter, text, 0o600);
  }
  // The generated password is shown in --json output, or to a person at a terminal; never into a pipe or log as text.
  const showPassword = result.summary.passwordGenerated;
  const passwordLine = !showPassword
    ? 'The PFX opens with the password you set.\n'
    : process.stdout.isTTY
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
  return { result, extra: { data, text } };
}
