// The dashboard's figures as indexed aggregates: each a count over a range of the partial covering index
// certificates_live_status (status, not_after, issuer_ca_id, and the two columns of its condition, over live
// end-entity certificates: the condition's columns make it covering; schema.ts
// version 8), so no certificate row is read and nothing is counted in JavaScript.
import type Database from 'better-sqlite3';
import { prepared } from '../vault/statements.js';

/** The condition certificates_live_status is built on, written the same so SQLite can use the index. */
const LIVE = `kind = 'end-entity' AND deleted_at IS NULL`;

export interface CertificateCounts {
  valid: number;
  expired: number;
  revoked: number;
  /** Valid now and ending at or before `soon`. */
  expiringSoon: number;
}

/** Live end-entity certificates by effective status at `now` (ISO 8601), and those ending by `soon`. One query. */
export function certificateCounts(db: Database.Database, now: string, soon: string): CertificateCounts {
  return prepared(
    db,
    `SELECT
       (SELECT count(*) FROM certificates WHERE ${LIVE} AND status = 'valid' AND not_after > @now) AS valid,
       (SELECT count(*) FROM certificates WHERE ${LIVE} AND status = 'valid' AND not_after <= @now) AS expired,
       (SELECT count(*) FROM certificates WHERE ${LIVE} AND status = 'revoked') AS revoked,
       (SELECT count(*) FROM certificates WHERE ${LIVE} AND status = 'valid' AND not_after > @now AND not_after <= @soon) AS expiringSoon`,
  ).get({ now, soon }) as CertificateCounts;
}

/**
 * Valid live end-entity certificates ending after `now` and before `end` (ISO 8601), counted per issuing CA
 * and calendar month (YYYY-MM, UTC as stored). One query; one row per (CA, month) that has any.
 */
export function expiryCounts(db: Database.Database, now: string, end: string): { ca: number | null; month: string; n: number }[] {
  return prepared(
    db,
    `SELECT issuer_ca_id AS ca, substr(not_after, 1, 7) AS month, count(*) AS n FROM certificates
     WHERE ${LIVE} AND status = 'valid' AND not_after > ? AND not_after < ?
     GROUP BY issuer_ca_id, month`,
  ).all(now, end) as { ca: number | null; month: string; n: number }[];
}

/** Bars in the dashboard's expiry chart: this calendar month and the eleven after it, the "12 months" its label names. */
export const EXPIRY_MONTHS = 12;

/**
 * The dashboard chart's window at `now`: the EXPIRY_MONTHS calendar months (UTC, "YYYY-MM") from the current one,
 * and `end`, the first instant after the last of them (ISO 8601), for expiryCounts(db, now, end). The chart
 * draws exactly `months.length` bars and says so.
 */
export function expiryWindow(now: Date): { months: string[]; end: string } {
  const start = (i: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)).toISOString();
  return { months: Array.from({ length: EXPIRY_MONTHS }, (_, i) => start(i).slice(0, 7)), end: start(EXPIRY_MONTHS) };
}
