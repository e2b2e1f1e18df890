// Whether a backup is due: the last verified backup (setting backup_last_verified, written by create-backup.ts),
// the last issued certificate, and the reminder interval (setting backup_reminder_days, default 7 days).
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';

export const LAST_VERIFIED_SETTING = 'backup_last_verified';
export const REMINDER_DAYS_SETTING = 'backup_reminder_days';
export const DEFAULT_REMINDER_DAYS = 7;
export const MAX_REMINDER_DAYS = 3650;

/** The setting backup_last_verified: when the backup written to `file` passed verification. */
export interface LastVerifiedBackup {
  at: string;
  file: string;
  payloadSha256: string;
}

export interface BackupStatus {
  lastVerifiedBackup: LastVerifiedBackup | null;
  /** issued_at of the newest certificate CertDesk issued, signed or created (imported ones do not count), or null. */
  lastIssuedAt: string | null;
  reminderDays: number;
  /** Whether the officer should be reminded, and why (null when not due). */
  reminderDue: boolean;
  reason: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The backup status of the unlocked vault at vault.now(). Due when there is no verified backup, when the last
 * one is more than reminderDays days old, or when a certificate was issued after it.
 * @throws CertDeskError VAULT_LOCKED; VAULT_TAMPERED when a backup setting was changed outside CertDesk
 */
export function backupStatus(vault: Vault): BackupStatus {
  const last = vault.verifiedSetting<LastVerifiedBackup>(LAST_VERIFIED_SETTING) ?? null;
  const reminderDays = vault.verifiedSetting<number>(REMINDER_DAYS_SETTING) ?? DEFAULT_REMINDER_DAYS;
  const row = vault.db.prepare("SELECT max(issued_at) AS at FROM certificates WHERE source IN ('issued', 'csr', 'created')").get() as { at: string | null };
  const lastIssuedAt = row.at;
  const now = vault.now().getTime();
  let reason: string | null = null;
  if (!last) reason = 'no verified backup of this vault yet';
  else if (now - Date.parse(last.at) > reminderDays * DAY_MS) reason = `the last verified backup is more than ${reminderDays} day${reminderDays === 1 ? '' : 's'} old`;
  else if (lastIssuedAt !== null && Date.parse(lastIssuedAt) > Date.parse(last.at)) reason = 'a certificate was issued after the last verified backup';
  return { lastVerifiedBackup: last, lastIssuedAt, reminderDays, reminderDue: reason !== null, reason };
}

/**
 * Sets the reminder interval (setting backup_reminder_days, audited as a settings change).
 * @param days whole days, 1 to 3650
 * @throws CertDeskError INVALID_INPUT naming the value; VAULT_LOCKED
 */
export function setBackupReminderDays(vault: Vault, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_REMINDER_DAYS) {
    throw new CertDeskError('INVALID_INPUT', `backup reminder: days must be a whole number from 1 to ${MAX_REMINDER_DAYS}, got ${days}`, { field: 'reminderDays' });
  }
  vault.setSetting(REMINDER_DAYS_SETTING, days);
}
