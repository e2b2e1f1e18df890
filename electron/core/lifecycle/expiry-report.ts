// The expiry report: which certificates must be renewed, and by when, for the people who act on it.
// expiryItems() works out each certificate's renewal date from its profile's "renew before" days;
// expiryCsv() writes them for a spreadsheet, and icalendar.ts for a calendar.
import type { CertificateRecord, Profile } from '../../../shared/domain.js';
import { csvText } from '../csv-writer.js';

/** Renewal lead time for a certificate without a profile (imported, CA, or a profile no longer defined). */
export const DEFAULT_RENEW_BEFORE_DAYS = 30;

const DAY_MS = 86_400_000;

export interface ExpiryItem {
  certificate: CertificateRecord;
  /** From the certificate's profile, DEFAULT_RENEW_BEFORE_DAYS (30) if it has none. */
  renewBeforeDays: number;
  /** ISO date (UTC, 'YYYY-MM-DD'): notAfter minus renewBeforeDays, but never before today. */
  renewOn: string;
  /** Whole days from now to notAfter, rounded down: 0 in its last day, negative once expired. */
  daysLeft: number;
}

/** The UTC calendar date of a time, 'YYYY-MM-DD'. */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${JSON.stringify(iso)}`);
  return t;
}

/** Revoked certificates are replaced, not renewed; a renewed (superseded) one has been dealt with. */
function needsRenewal(c: CertificateRecord): boolean {
  return c.status !== 'revoked' && c.supersededBy == null && c.deleted !== true;
}

/**
 * The certificates to renew, soonest expiry first (by notAfter, then id). Revoked, already renewed
 * (supersededBy set) and deleted certificates are left out. Expired ones stay in (renewOn is then today).
 */
export function expiryItems(certs: CertificateRecord[], profiles: Profile[], now: Date): ExpiryItem[] {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now is not a valid date');
  const today = utcDate(now);
  const renewBefore = new Map(profiles.map((p) => [p.id, p.renewBeforeDays] as const));
  const items = certs
    .filter(needsRenewal)
    .map((c): ExpiryItem & { notAfterMs: number } => {
      const notAfterMs = timeOf(c.notAfter);
      const days = (c.profile !== null ? renewBefore.get(c.profile) : undefined) ?? DEFAULT_RENEW_BEFORE_DAYS;
      const due = utcDate(new Date(notAfterMs - days * DAY_MS));
      return {
        certificate: c,
        renewBeforeDays: days,
        renewOn: due < today ? today : due,
        daysLeft: Math.floor((notAfterMs - nowMs) / DAY_MS),
        notAfterMs,
      };
    });
  items.sort((a, b) => a.notAfterMs - b.notAfterMs || a.certificate.id - b.certificate.id);
  return items.map(({ notAfterMs: _omit, ...item }) => item);
}

export const EXPIRY_CSV_COLUMNS = [
  'holder',
  'alias',
  'profile',
  'ca',
  'serial',
  'sha256',
  'not_after',
  'days_left',
  'renew_on',
  'status',
  'recipient_email',
  'recipient_phone',
] as const;

/**
 * The report as CSV (RFC 4180): a header row, CRLF line endings, fields with commas, quotes or line
 * breaks quoted, and a UTF-8 byte order mark so Excel reads non-Latin names correctly. Written by
 * csv-writer.ts: text fields are neutralised against formula injection; days_left stays a plain number.
 */
export function expiryCsv(items: ExpiryItem[]): string {
  const rows = items.map(({ certificate: c, daysLeft, renewOn }) => [
    c.holder,
    c.alias,
    c.profile,
    c.issuerName,
    c.serial,
    c.sha256,
    c.notAfter,
    daysLeft,
    renewOn,
    c.status,
    c.recipient?.email,
    c.recipient?.phone,
  ]);
  return csvText(rows, { header: EXPIRY_CSV_COLUMNS, bom: true });
}
