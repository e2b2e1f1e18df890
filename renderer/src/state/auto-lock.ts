// The auto-lock setting as typed in Settings: empty is not zero. Empty (or not a whole number) is a field
// error beside the field and nothing is sent; 0 is the explicit "never" choice, shown with a warning;
// 1-1440 are minutes. The range is settings.update's (shared/api.ts); its errors come back in plain words.
import type { Settings } from '../../../shared/api.js';
import { call, messageOf } from './api.js';

export const MAX_AUTO_LOCK_MINUTES = 1440;

/** The minutes typed in `text` (trimmed), or the problem to show beside the field. */
export function parseAutoLock(text: string): { minutes: number } | { problem: string } {
  const t = text.trim();
  if (t === '') return { problem: 'Enter minutes, or 0 for never.' };
  if (!/^\d+$/.test(t)) return { problem: `Enter a whole number of minutes from 0 to ${MAX_AUTO_LOCK_MINUTES} (0 for never).` };
  const minutes = Number(t);
  if (minutes > MAX_AUTO_LOCK_MINUTES) return { problem: `At most ${MAX_AUTO_LOCK_MINUTES} minutes (24 hours); 0 for never.` };
  return { minutes };
}

/** The warning for 0 ("never"), or null. */
export function autoLockWarning(text: string): string | null {
  const p = parseAutoLock(text);
  return 'minutes' in p && p.minutes === 0 ? 'Never: the vault stays unlocked until you lock it, so anyone at this computer can sign with your CAs’ keys.' : null;
}

/** What the saved setting means, in plain words. */
export function autoLockSaved(s: Settings): string {
  return s.autoLockMinutes ? `The vault locks after ${s.autoLockMinutes} minute${s.autoLockMinutes === 1 ? '' : 's'} without use.` : 'Auto-lock is off: the vault locks only when you lock it.';
}

/**
 * Saves the auto-lock minutes typed in `text` (settings.update); nothing is sent when the field has a problem.
 * Resolves to the saved settings' message, or the problem in plain words (main's field errors too).
 */
export async function saveAutoLock(text: string): Promise<{ saved: string } | { problem: string }> {
  const parsed = parseAutoLock(text);
  if ('problem' in parsed) return parsed;
  try {
    return { saved: autoLockSaved(await call('settings.update', { autoLockMinutes: parsed.minutes })) };
  } catch (e) {
    // Main's schema names its fields ("settings.update: autoLockMinutes: ..."); the person sees the rule instead.
    const message = messageOf(e);
    return { problem: /autoLockMinutes/.test(message) ? `Enter a whole number of minutes from 0 to ${MAX_AUTO_LOCK_MINUTES} (0 for never).` : message };
  }
}
