// Formatting for people: dates (in the user's locale), durations, thumbprints, key types.
import type { CertSource, KeyType, ProfileId } from '../../../shared/domain.js';

/** Dates and times are shown in the user's locale and time zone (the system's settings), never as raw ISO 8601. */
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const DAY_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function parsed(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The calendar day of an ISO 8601 instant, in the user's locale and time zone ("1 Dec 2026", "Dec 1, 2026"); '—' for none. */
export function day(iso: string | null | undefined): string {
  const d = parsed(iso);
  return d ? DAY.format(d) : '—';
}

/** Day and time of an ISO 8601 instant, in the user's locale and time zone; '—' for none. */
export function dateTime(iso: string | null | undefined): string {
  const d = parsed(iso);
  return d ? DAY_TIME.format(d) : '—';
}

/** A calendar month "YYYY-MM" (as main counts them, UTC) in the user's locale: "Dec 26". */
export function month(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, 1)));
}

/** An ISO 8601 instant as main writes them (2026-12-01T10:00:00.000Z, or with an offset). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An audit entry's details as people read them: "key: value" pairs joined by "; ", instants in the user's
 * locale (dateTime), lists joined by ", ", nested objects as JSON. Keys stay as recorded (they name fields).
 */
export function auditDetails(details: Record<string, unknown>): string {
  const value = (v: unknown): string => {
    if (typeof v === 'string') return ISO_INSTANT.test(v) ? dateTime(v) : v;
    if (Array.isArray(v)) return v.map(value).join(', ');
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join('; ');
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

/** The built-in profiles by the names their definitions give (electron/core/issuance/builtin-profiles.ts). */
export const PROFILE_LABELS: Record<ProfileId, string> = {
  user: 'User',
  device: 'Device',
  server: 'Server',
  mail: 'Mail (S/MIME)',
  vpn: 'VPN client',
  kdc: 'Domain controller (KDC)',
};

/** Where a certificate came from, for one without a profile (a CA, an import). */
export const SOURCE_LABELS: Record<CertSource, string> = {
  issued: 'issued here',
  csr: 'signed from a request',
  imported: 'imported',
  created: 'created here',
};
