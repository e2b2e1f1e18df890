// Formatting for people: dates, durations, thumbprints, key types.
import type { KeyType } from '../../../shared/domain.js';

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—';
}

export function duration(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `${seconds} s left`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s left`;
}

/** A SHA-256 thumbprint as administrators compare it: upper-case pairs, first and last groups. */
export function shortThumb(hex: string): string {
  const pairs = hex.toUpperCase().match(/../g) ?? [];
  return pairs.length > 8 ? `${pairs.slice(0, 4).join(':')}…${pairs.slice(-4).join(':')}` : pairs.join(':');
}

export function fullThumb(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

export const KEY_LABELS: Record<KeyType, string> = {
  'ec-p256': 'ECDSA P-256',
  'ec-p384': 'ECDSA P-384',
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
};
