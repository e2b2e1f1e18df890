// Two-officer control from the command line (issue 15, README "Two-officer control (quorum)"):
//   certdesk quorum set CA --shares N --threshold K --holders NAME,... --out DIR [--holder-passphrase-file FILE]
//   certdesk quorum reissue CA --share FILE... --shares N --threshold K --holders NAME,... --out DIR
//   certdesk quorum show CA
// and the global --share FILE (repeatable) with --share-passphrase-file FILE (repeatable, same order) that any
// command signing with a quorum CA takes (the shares of several CAs for crl publish): context.ts hands them to
// unlockGivenShares when it opens the vault.
import { CertDeskError } from '../../shared/errors.js';
import type { ShareHeader } from '../core/quorum/share-file.js';
import type { QuorumSplitResult } from '../core/quorum/split.js';
import type { ShareInput } from '../core/quorum/unlock.js';
import type { Vault } from '../core/vault/vault.js';
import type { Command } from './commands.js';
import type { CommandContext, CommandResult } from './context.js';
import { readInputFile } from '../core/read-input.js';
import { promptHidden, readSecretFile } from './secrets.js';
import { UsageError } from './usage.js';

const s = { type: 'string' } as const;

const SPLIT_OPTIONS = { shares: s, threshold: s, holders: s, out: s, 'holder-passphrase-file': s } as const;

/**
 * The --share files as the quorum engine reads them, each with its passphrase: the matching
 * --share-passphrase-file (one per --share, same order), else asked on the terminal once the file's header names
 * its holder. UsageError when the counts differ or no terminal is there to ask.
 */
export function shareInputsOf(ctx: CommandContext): ShareInput[] {
  const files = ctx.list('share');
  const passFiles = ctx.list('share-passphrase-file');
  if (passFiles.length > 0 && passFiles.length !== files.length) {
    throw new UsageError(`--share-passphrase-file: give one per --share, in the same order (${files.length} --share, ${passFiles.length} --share-passphrase-file)`);
  }
  return files.map((file, i) => ({
    data: readInputFile(file, 'secret', 'share file'),
    label: file,
    passphrase: passFiles[i] !== undefined ? readSecretFile(passFiles[i]!, 'share passphrase') : (h: ShareHeader, label: string) => askSharePassphrase(h, label),
  }));
}

async function askSharePassphrase(h: ShareHeader, label: string): Promise<string> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`the passphrase of ${h.holder}'s share (${label}): use --share-passphrase-file FILE (one per --share, in the same order), or run on a terminal to be asked`);
  }
  return promptHidden(`${h.holder}'s share passphrase (${label}): `);
}

/** Unlocks the quorum CAs the --share files belong to, for this run (context.ts calls it when it opens the vault). */
export async function unlockGivenShares(ctx: CommandContext, vault: Vault): Promise<void> {
  const { unlockQuorumShares } = await import('../core/quorum/unlock.js');
  await unlockQuorumShares(vault, shareInputsOf(ctx));
}

function int(ctx: CommandContext, name: string): number {
  const v = ctx.int(name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * --shares, --threshold, --holders and --out, checked against each other; the passphrases are read after.
 * `outOption` is the folder's option name (backup --shares-out, whose --out is the backup file).
 */
export function splitArgs(ctx: CommandContext, outOption = 'out'): { holders: string[]; threshold: number; out: string } {
  const n = int(ctx, 'shares');
  const threshold = int(ctx, 'threshold');
  const holders = ctx.required('holders').split(',').map((h) => h.trim());
  if (holders.length !== n) throw new UsageError(`--holders names ${holders.length} holder${holders.length === 1 ? '' : 's'}, --shares says ${n}: name one holder per share`);
  return { holders, threshold, out: ctx.required(outOption) };
}

/** Each holder's new passphrase: one line per holder from --holder-passphrase-file, else asked twice on the terminal. */
export async function holderPassphrases(ctx: CommandContext, holders: string[]): Promise<string[]> {
  const file = ctx.str('holder-passphrase-file');
  if (file) {
    const lines = Buffer.from(readInputFile(file, 'secret', 'holder passphrase file')).toString('utf8').split(/\r?\n/);
    if (lines.length > holders.length && lines.slice(holders.length).every((l) => l === '')) lines.length = holders.length;
    if (lines.length !== holders.length) {
      throw new UsageError(`--holder-passphrase-file: one line per holder, in the order of --holders (${holders.length} holders, ${lines.length} lines)`);
    }
    return lines;
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError('holder passphrases: use --holder-passphrase-file FILE (one line per holder, in the order of --holders), or run on a terminal to be asked');
  }
  const out: string[] = [];
  for (const h of holders) {
    const first = await promptHidden(`${h}'s new share passphrase: `);
    const second = await promptHidden(`${h}'s new share passphrase (again): `);
    if (first !== second) throw new CertDeskError('INVALID_INPUT', `the passphrase of holder "${h}": the two entries differ`, { field: 'passphrases', holder: h });
    out.push(first);
  }
  return out;
}

/** What the shares protect against, said where they are made (README "Two-officer control"). */
export function protectionText(ca: string, k: number, n: number): string {
  const spare = n - k;
  const loss = spare === 0 ? 'every share is needed: losing one loses the CA' : `up to ${spare} share${spare === 1 ? '' : 's'} can be lost without losing the CA`;
  return (
    `Each share alone signs nothing: any ${k} of the ${n}, each with its holder's own passphrase, are needed to sign with CA "${ca}". ` +
    `So no single officer, no stolen stick with its passphrase, and no copy of the vault with the vault passphrase can sign with it; ${loss} (${k} officers together can re-issue them).\n`
  );
}

function splitResult(r: QuorumSplitResult, verb: string): CommandResult {
  const lines = r.files.map((f) => `  ${f.index}. ${f.holder}: ${f.share}\n     sheet: ${f.sheet}\n`).join('');
  return {
    data: { quorum: r },
    text:
      `${verb} CA "${r.ca}" under ${r.k}-of-${r.n} control (split ${r.splitId}). Give each officer their own share file or sheet, then delete them here:\n${lines}${protectionText(r.ca, r.k, r.n)}` +
      (r.tokenPinSealed
        ? `Its key stays on its token; the token's PIN is sealed under the shares, so signing asks for the shares, never the PIN. After changing the token's PIN, re-issue the shares with the new one in $CERTDESK_PKCS11_PIN.\n`
        : ''),
  };
}

export const QUORUM_COMMANDS: Command[] = [
  {
    path: ['quorum', 'set'],
    options: SPLIT_OPTIONS,
    positionals: 1,
    async run(ctx) {
      const ca = ctx.positional(0, 'CA');
      const args = splitArgs(ctx);
      const vault = await ctx.vault();
      const passphrases = await holderPassphrases(ctx, args.holders);
      const { setQuorum } = await import('../core/quorum/split.js');
      return splitResult(await setQuorum(vault, ca, { ...args, passphrases }), 'Put');
    },
  },
  {
    path: ['quorum', 'reissue'],
    options: SPLIT_OPTIONS,
    positionals: 1,
    async run(ctx) {
      const ca = ctx.positional(0, 'CA');
      const args = splitArgs(ctx);
      if (ctx.list('share').length === 0) throw new UsageError('quorum reissue: give the current shares of K officers with --share FILE (repeated)');
      // The --share files authorise the re-issue: they are not used to unlock the vault for signing.
      const vault = await ctx.vault({ unlockShares: false });
      const shares = shareInputsOf(ctx);
      const passphrases = await holderPassphrases(ctx, args.holders);
      const { reissueQuorum } = await import('../core/quorum/split.js');
      // A token CA's changed PIN, from the same variable that gives PINs everywhere else; absent: the sealed one stays.
      const pin = process.env.CERTDESK_PKCS11_PIN;
      return splitResult(await reissueQuorum(vault, ca, shares, { ...args, passphrases, ...(pin ? { tokenPin: pin } : {}) }), 'Re-issued the shares of');
    },
  },
  {
    path: ['quorum', 'show'],
    options: {},
    positionals: 1,
    async run(ctx) {
      const ca = ctx.positional(0, 'CA');
      const vault = await ctx.vault();
      const { quorumStatus } = await import('../core/quorum/status.js');
      const { quorumHistory } = await import('../core/quorum/history.js');
      const { resolveCa } = await import('../core/issuance/records.js');
      const q = quorumStatus(vault, ca);
      // When the shares were made and the latest signings with them (audit "ca.quorum-use": which holders).
      const history = q.underQuorum && q.splitId ? quorumHistory(vault, resolveCa(vault, ca).id, q.splitId) : { setAt: null, lastUses: [] };
      const uses = history.lastUses.length ? history.lastUses.map((u) => `  used ${u.at} by ${u.holders.join(', ')}\n`).join('') : '  not used since its shares were made\n';
      const text = q.underQuorum
        ? `CA "${q.ca}": under ${q.k}-of-${q.n} control (split ${q.splitId})\n${q.holders.map((h, i) => `  share ${i + 1}: ${h}\n`).join('')}` +
          `  shares made: ${history.setAt ?? 'unknown (no audit entry)'}\n${uses}`
        : `CA "${q.ca}": not under quorum control (its key is sealed by the vault passphrase alone)\n`;
      return { data: { quorum: { ...q, setAt: history.setAt, lastUses: history.lastUses } }, text };
    },
  },
];
