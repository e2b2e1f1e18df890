// certdesk backup --out FILE, backup verify FILE, backup status, restore FILE --vault NEW (README "Backups").
// The passphrase is read once (--passphrase-file, $CERTDESK_PASSPHRASE or the prompt): it opens the vault and
// encrypts the backup, or opens the backup and the vault inside it.
import type { Command } from './commands.js';
import type { CommandContext, CommandResult } from './context.js';

const s = { type: 'string' } as const;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

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
    options: { out: s },
    positionals: 0,
    async run(ctx): Promise<CommandResult> {
      const out = ctx.required('out');
      const passphrase = await ctx.passphrase();
      const { createBackup } = await import('../core/backup/create-backup.js');
      const result = await withVault(ctx, passphrase, (vault) => createBackup(vault, passphrase, out));
      const m = result.manifest;
      return {
        data: { backup: result },
        text: `Backed up ${ctx.vaultPath} to ${result.file} (${result.bytes} bytes): ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}; verified ${result.verifiedAt}\n`,
      };
    },
  },
  {
    path: ['backup', 'verify'],
    options: {},
    positionals: 1,
    async run(ctx): Promise<CommandResult> {
      const file = ctx.positional(0, 'FILE (the backup)');
      const passphrase = await ctx.passphrase();
      const { verifyBackupFile } = await import('../core/backup/verify-backup.js');
      const v = await verifyBackupFile(file, passphrase);
      const m = v.manifest;
      return {
        data: { backup: v },
        text:
          `ok: ${file}: backup format ${v.format}, taken ${m.createdAt}, vault format ${m.certdeskSchema}\n` +
          `  ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}; ${plural(v.verification.records.checked, 'record')} and ${v.verification.audit.entries} audit entr${v.verification.audit.entries === 1 ? 'y' : 'ies'} verified\n`,
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
    options: {},
    positionals: 1,
    async run(ctx): Promise<CommandResult> {
      const file = ctx.positional(0, 'FILE (the backup)');
      const passphrase = await ctx.passphrase();
      const { restoreBackup } = await import('../core/backup/restore-backup.js');
      const r = await restoreBackup(file, passphrase, ctx.vaultPath);
      const m = r.manifest;
      return {
        data: { restore: r },
        text: `Restored ${file} (taken ${m.createdAt}) into the new vault ${r.vault}: ${plural(m.counts.cas, 'CA')}, ${plural(m.counts.certificates, 'certificate')}; vault verify: ok\n`,
      };
    },
  },
];
