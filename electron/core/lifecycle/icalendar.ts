// The expiry report as an iCalendar file (RFC 5545): one all-day event per certificate on the day it
// should be renewed, with a reminder a week before. Written by hand, no library at run time.
// Each event's UID is derived from the certificate's SHA-256 thumbprint, so importing a newer export
// updates the events already in a calendar rather than adding duplicates.
import type { ExpiryItem } from './expiry-report.js';

export const DEFAULT_PRODUCT_ID = '-//CertDesk//Expiry//EN';
export const CALENDAR_NAME = 'Certificate renewals';

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/**
 * Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma get a backslash, and a line
 * break (CRLF, CR or LF) becomes \n. Other control characters are not allowed in TEXT and are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * Folds a content line (RFC 5545 3.1): no line longer than 75 octets of UTF-8, continued with CRLF
 * and a space. Never splits a character (nor a surrogate pair), nor a backslash escape like \n or \,
 * which some clients mishandle when it straddles a fold. Returns the line with its final CRLF.
 */
export function foldLine(line: string): string {
  const units: string[] = [];
  const chars = Array.from(line);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) {
      units.push(c + chars[++i]!);
    } else {
      units.push(c);
    }
  }
  let out = '';
  let current = '';
  let octets = 0;
  for (const unit of units) {
    const size = Buffer.byteLength(unit, 'utf8');
    if (octets + size > MAX_LINE_OCTETS && current !== '') {
      out += current + CRLF;
      current = ' ';
      octets = 1;
    }
    current += unit;
    octets += size;
  }
  return out + current + CRLF;
}

/** 'YYYY-MM-DD' to the DATE form 'YYYYMMDD'. */
function icsDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`not an ISO date: ${JSON.stringify(isoDate)}`);
  return isoDate.replace(/-/g, '');
}

function nextDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A UTC DATE-TIME, 'YYYYMMDDTHHMMSSZ'. */
function icsUtc(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('not a valid date');
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function readableUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** The event's title: "Renew certificate: <holder> (<alias, else profile>)". */
export function eventSummary(item: ExpiryItem): string {
  const c = item.certificate;
  const label = c.alias ?? c.profile;
  return `Renew certificate: ${c.holder}${label ? ` (${label})` : ''}`;
}

export function eventUid(item: ExpiryItem): string {
  return `${item.certificate.sha256.toLowerCase()}@certdesk`;
}

function eventDescription(item: ExpiryItem): string {
  const c = item.certificate;
  return [
    `Holder: ${c.holder}`,
    ...(c.alias ? [`Alias: ${c.alias}`] : []),
    ...(c.profile ? [`Profile: ${c.profile}`] : []),
    `CA: ${c.issuerName ?? '(not in this vault)'}`,
    `Serial: ${c.serial}`,
    `SHA-256: ${c.sha256}`,
    `Expires: ${readableUtc(c.notAfter)}`,
    `Renew ${item.renewBeforeDays} days before expiry, on ${item.renewOn}.`,
    `Renew with: certdesk renew ${c.id}`,
  ].join('\n');
}

/** The calendar, as text with CRLF line endings (encode it as UTF-8, without a BOM). */
export function expiryCalendar(items: ExpiryItem[], opts: { now: Date; productId?: string }): string {
  const stamp = icsUtc(opts.now);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(opts.productId ?? DEFAULT_PRODUCT_ID)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(CALENDAR_NAME)}`,
  ];
  for (const item of items) {
    const summary = eventSummary(item);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(eventUid(item))}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(item.renewOn)}`,
      `DTEND;VALUE=DATE:${icsDate(nextDay(item.renewOn))}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(eventDescription(item))}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-P7D',
      `DESCRIPTION:${escapeText(summary)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('');
}
