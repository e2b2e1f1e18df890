// Human-readable output for the CLI. The --json output carries the same records unformatted. Every value
// from a record is shown through escapeTerminal: a control character in a name is printed as "\x1b".
import type { AuditEntry, CaRecord, CertificateRecord } from '../../shared/domain.js';
import stringWidth from 'string-width';
import { escapeTerminal } from './terminal-text.js';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-');

/**
 * Columns padded to their widest cell, in terminal columns (string-width: a CJK character takes two, a
 * combining mark none, so "王伟" and "Öztürk" line up); every cell escaped for the terminal first
 * (terminal-text.ts).
 */
export function table(cells: string[][]): string {
  if (cells.length === 0) return '';
  const rows = cells.map((r) => r.map(escapeTerminal));
  const cellWidths = rows.map((r) => r.map(columnsOf));
  // A loop, not Math.max(...column): a spread of many thousand rows can exceed the engine's argument limit.
  const widths = rows[0]!.map((_, i) => cellWidths.reduce((w, r) => Math.max(w, r[i] ?? 0), 0));
  return rows.map((r, j) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - cellWidths[j]![i]!))).join('  ')).join('\n') + '\n';
}

/** Printable ASCII (U+0020 to U+007E): one column per character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The terminal columns `text` takes: its length for printable ASCII (each character is one grapheme of East Asian
 * width Narrow, which is what string-width answers for it, only without segmenting it), else string-width's answer.
 */
export function columnsOf(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

export function caTable(cas: CaRecord[]): string {
  if (cas.length === 0) return 'No CAs yet. Create one with "certdesk ca create".\n';
  return table([
    ['ID', 'NAME', 'STATUS', 'KEY', 'NOT AFTER', 'ISSUER', 'PUBLISH CRL BY', 'SUBJECT'],
    ...cas.map((c) => [
      String(c.id),
      c.name,
      c.retired && c.status === 'valid' ? 'retired' : c.status,
      c.keyType,
      day(c.notAfter),
      c.issuerCaId === null ? '(root/external)' : String(c.issuerCaId),
      c.nextCrlUpdate ? c.nextCrlUpdate.slice(0, 16).replace('T', ' ') : 'not yet published',
      c.subject,
    ]),
  ]);
}

export function certTable(certs: CertificateRecord[]): string {
  if (certs.length === 0) return 'No certificates match.\n';
  return table([
    ['ID', 'HOLDER', 'ALIAS', 'PROFILE', 'STATUS', 'ISSUED', 'EXPIRES', 'CA', 'SHA-256'],
    ...certs.map((c) => [
      String(c.id),
      c.holder,
      c.alias ?? '-',
      c.profile ?? c.kind,
      c.status,
      day(c.issuedAt),
      day(c.notAfter),
      c.issuerName ?? '-',
      c.sha256.slice(0, 16) + '…',
    ]),
  ]);
}

export function certDetails(c: CertificateRecord): string {
  const lines: [string, string][] = [
    ['ID', String(c.id)],
    ['Holder', c.holder],
    ['Subject', c.subject],
    ['Alternative names', c.sans.map((s) => `${s.type}:${s.value}`).join(', ') || '-'],
    ['Kind', c.kind],
    ['Profile', c.profile ?? '-'],
    ['Status', c.status + (c.revocationReason ? ` (${c.revocationReason}, ${c.revokedAt})` : '')],
    ['Status changed', c.statusChangedAt],
    ['Issued by', c.issuerName ?? '(self-signed or external)'],
    ['Source', c.source],
    ['Serial', c.serial],
    ['Valid from', c.notBefore],
    ['Valid until', c.notAfter],
    ['Issued at', c.issuedAt],
    ['Key', c.keyType + (c.hasKey ? ' (private key kept in the vault)' : '')],
    ['Alias', c.alias ?? '-'],
    ['Automatic renewal', c.autoRenew ? 'yes' : 'no'],
    ['Renewal', [c.renewedFrom ? `renews ${c.renewedFrom}` : '', c.supersededBy ? `renewed by ${c.supersededBy}` : ''].filter(Boolean).join('; ') || '-'],
    ['Recipient', c.recipient ? `${c.recipient.name} (${c.recipient.kind}${c.recipient.email ? ', ' + c.recipient.email : ''}${c.recipient.phone ? ', ' + c.recipient.phone : ''}${c.recipient.account ? ', account ' + c.recipient.account : ''}${c.recipient.sid ? ', SID ' + c.recipient.sid : ''})` : '-'],
    ['SHA-1', c.sha1],
    ['SHA-256', c.sha256],
  ];
  const w = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(w)}  ${escapeTerminal(v)}`).join('\n') + '\n';
}

export function auditTable(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty.\n';
  return table([['SEQ', 'AT', 'ACTION', 'TARGET', 'DETAILS'], ...entries.map((e) => [String(e.seq), e.at, e.action, e.target ?? '-', JSON.stringify(e.details)])]);
}
