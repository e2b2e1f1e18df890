// certdesk backup --out FILE, backup verify FILE, backup status, restore FILE --vault NEW (README "Backups").
// The passphrase is read once (--passphrase-file, $CERTDESK_PASSPHRASE or the prompt): it opens the vault and
// encrypts the backup, or opens the backup and the vault inside it.
// Backup shares (issue 15): backup --shares N --threshold K --holders NAME,... --shares-out DIR
// [--holder-passphrase-file FILE] adds a key slot K of N officers open together (quorum set's options and
// passphrase handling); restore and backup verify take the global --share FILE (repeated, with
// --share-passphrase-file FILE or a prompt) instead of the vault passphrase, and restore then asks the restored
// vault's new passphrase (--new-passphrase-file FILE, $CERTDESK_NEW_PASSPHRASE, or asked twice).
import type { BackupVerification, KeySlotCheck } from '../core/backup/verify-backup.js';
import { holderPassphrases, shareInputsOf, splitArgs } from './quorum-commands.js';
import { readPassphrase } from './secrets.js';
import type { Command } from './commands.js';
import type { CommandContext, CommandResult } from './context.js';

const s = { type: 'string' } as const;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const SHARE_SPLIT_OPTIONS = ['shares', 'threshold', 'holders', 'shares-out', 'holder-passphrase-file'] as const;

/** One line per key slot, for a backup with a shares slot (a passphrase-only backup says nothing more). */
function slotLines(slots: KeySlotCheck[]): string {
  if (!slots.some((s) => s.method === 'shares')) return '';
  return slots
    .map((s) => {
      const name = s.method === 'shares' ? `backup shares (${s.k} of ${s.n}: ${s.holders!.join(', ')})` : 'vault passphrase';
      if (s.opened) return `  key slot ${name}: opened${s.openedBy ? ` with the shares of ${s.openedBy.join(', ')}` : ''}, everything behind it verified\n`;
      const how = s.method === 'shares' ? 'give K shares with --share FILE' : 'give the vault passphrase with --passphrase-file FILE or $CERTDESK_PASSPHRASE';
      return `  key slot ${name}: not opened (its structure checked; ${how} to open it)\n`;
    })
    .join('');
}

/** Two verifications of one file (its passphrase slot and its shares slot): a slot opened by either is opened. */
function mergeSlots(a: BackupVerification, b: BackupVerification): BackupVerification {
  return { ...a, slots: a.slots.map((s) => (s.opened ? s : (b.slots.find((t) => t.method === s.method && t.opened) ?? s))) };
}

/** Runs fn with the vault at ctx.vaultPath unlocked with `passphrase`, and closes it. */
async function withVault<T>(ctx: CommandContext, passphrase: string, fn: (vault: import('../core/vault/vault.js').Vault) => Promise<T>): Promise<T> {
  const { Vault } = await import('../core/vault/vault.js');
  const vault = Vault.open(ctx.vaultPath);
  try {
    await vault.unlock(passphrase);
    return await fn(vault);
  } finally {
    vault.close();
  }
}

export const BACKUP_COMMANDS: Command[] = [
  {
    path: ['backup'],
    options: { out: s, shares: s, threshold: s, holders: s, 'shares-out': s, 'holder-passphrase-file': s },
    positionals: 0,
    async run(ctx): Promise<CommandResult> {
      const out = ctx.required('out');
      const withShares = SHARE_SPLIT_OPTIONS.some((o) => ctx.str(o) !== undefined);
      const split = withShares ? splitArgs(ctx, 'shares-out') : null;
      const passphrase = await ctx.passphrase();
      const { createBackup } = await import('../core/backup/create-backup.js');
      const result = await withVault(ctx, passphrase, async (vault) => {
        const shares = split ? { ...split, passphrases: await holderPassphrases(ctx, split.holders) } : undefined;
        return createBackup(vault, passphrase, out, undefined, shares ? { shares } : {});
      });
      const m = result.manifest;
      const sh = result.shares;
      const shareText = sh
        ? `Backup shares: any ${sh.k} of ${sh.n} restore it without the vault passphrase (split ${sh.splitId}). Give each officer their own share file or sheet, then delete them here:\n` +
          sh.files.map((f) => `  ${f.index}. ${f.holder}: ${f.share}\n     sheet: ${f.sheet}\n`).join('')
        : '';
      return {
        data: { backup: result },
        text: `Backed up ${ctx.vaultPath} to ${result.file} (${result.bytes} bytes): ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}; verified ${result.verifiedAt}\n${shareText}`,
      };
    },
  },
  {
    path: ['backup', 'verify'],
    options: {},
    positionals: 1,
    async run(ctx): Promise<CommandResult> {
      const file = ctx.positional(0, 'FILE (the backup)');
      const { verifyBackupFile } = await import('../core/backup/verify-backup.js');
      let v: BackupVerification;
      if (ctx.list('share').length > 0) {
        v = await verifyBackupFile(file, { shares: shareInputsOf(ctx) });
        // The passphrase slot too, when the passphrase is given without a prompt (the shares are what was asked for).
        if (ctx.str('passphrase-file') !== undefined || process.env.CERTDESK_PASSPHRASE) v = mergeSlots(v, await verifyBackupFile(file, await ctx.passphrase()));
      } else {
        v = await verifyBackupFile(file, await ctx.passphrase());
      }
      const m = v.manifest;
      return {
        data: { backup: v },
        text:
          `ok: ${file}: backup format ${v.format}, taken ${m.createdAt}, vault format ${m.certdeskSchema}\n` +
          `  ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}; ${plural(v.verification.records.checked, 'record')} and ${v.verification.audit.entries} audit entr${v.verification.audit.entries === 1 ? 'y' : 'ies'} verified\n` +
          slotLines(v.slots),
      };
    },
  },
  {
    path: ['backup', 'status'],
    options: { 'remind-days': s },
    positionals: 0,
    async run(ctx): Promise<CommandResult> {
      const { backupStatus, setBackupReminderDays } = await import('../core/backup/status.js');
      const vault = await ctx.vault();
      const days = ctx.int('remind-days');
      if (days !== undefined) setBackupReminderDays(vault, days);
      const st = backupStatus(vault);
      const last = st.lastVerifiedBackup;
      return {
        data: { status: st },
        text:
          `Last verified backup: ${last ? `${last.at} (${last.file})` : 'none'}\n` +
          `Last issued certificate: ${st.lastIssuedAt ?? 'none'}\n` +
          `Reminder: after ${plural(st.reminderDays, 'day')}${st.reminderDue ? `; due: ${st.reason}` : '; not due'}\n`,
      };
    },
  },
  {
    path: ['restore'],
    options: { 'new-passphrase-file': s },
    positionals: 1,
    async run(ctx): Promise<CommandResult> {
      const file = ctx.positional(0, 'FILE (the backup)');
      const { restoreBackup } = await import('../core/backup/restore-backup.js');
      const byShares = ctx.list('share').length > 0;
      let key: Parameters<typeof restoreBackup>[1];
      if (byShares) {
        const shares = shareInputsOf(ctx);
        const newPassphrase = await readPassphrase({ file: ctx.str('new-passphrase-file'), envName: 'CERTDESK_NEW_PASSPHRASE', what: 'new vault passphrase', confirm: true });
        key = { shares, newPassphrase };
      } else {
        key = await ctx.passphrase();
      }
      const r = await restoreBackup(file, key, ctx.vaultPath);
      const m = r.manifest;
      const via = r.holders ? ` with the backup shares of ${r.holders.join(', ')}` : '';
      const set = r.holders ? '; the new vault passphrase is set' : '';
      return {
        data: { restore: r },
        text: `Restored ${file} (taken ${m.createdAt})${via} into the new vault ${r.vault}: ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}${set}; vault verify: ok\n`,
      };
    },
  },
];
