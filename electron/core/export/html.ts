// Printable, self-contained HTML pages (install sheet, hand-over slip). Inline CSS only, no scripts, no
// external resources: the pages are opened on an air-gapped machine and printed. The CSP meta tag makes
// a browser refuse anything else, should a later change slip a remote URL in.

import { CertDeskError } from '../../../shared/errors.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const CSS = `
@page { size: auto; margin: 15mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { color: #111; background: #fff; }
body { font: 11pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 4mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #bbb; padding-bottom: 1mm; break-after: avoid; }
p, ol, ul, table { margin: 0 0 3mm; }
ol, ul { padding-left: 6mm; }
li { margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1mm 2mm; border-bottom: 1px solid #ddd; }
th { width: 32%; font-weight: 600; }
code, .mono { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", Menlo, monospace; }
.fingerprint { font-size: 10pt; word-break: break-all; }
.note { border: 1px solid #999; background: #f4f4f4; padding: 2mm 3mm; }
.qr { display: block; width: 42mm; height: 42mm; image-rendering: pixelated; }
.platform { break-inside: avoid; }
.platform.chosen { border-left: 1.5mm solid #222; padding-left: 3mm; }
.small { font-size: 9pt; color: #444; }
@media print { a { color: inherit; text-decoration: none; } }
`;

/** A complete HTML document. `body` and `css` are trusted, built by the caller from escaped parts. */
export function printablePage(o: { title: string; body: string; lang?: string; css?: string }): string {
  const lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(o.lang ?? '') ? o.lang! : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${CSS}${o.css ?? ''}</style>
</head>
<body>
${o.body}
</body>
</html>
`;
}

/** Hex fingerprint normalised to lowercase (colons, spaces and case ignored); `bytes` is its length. */
export function normalizeHex(value: string, bytes: number, field: string): string {
  const hex = typeof value === 'string' ? value.replace(/[:\s]/g, '').toLowerCase() : '';
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex)) {
    throw new CertDeskError('INVALID_INPUT', `${field}: must be ${bytes * 2} hexadecimal digits`, { field });
  }
  return hex;
}

/** `AB:CD:EF...`: how Firefox, Android and openssl print fingerprints. */
export function groupHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** An ISO 8601 time as `2026-05-01 14:30 UTC`: unambiguous in every locale. */
export function formatUtc(iso: string, field: string): string {
  const d = new Date(iso);
  if (typeof iso !== 'string' || Number.isNaN(d.getTime())) {
    throw new CertDeskError('INVALID_INPUT', `${field}: not a valid date`, { field });
  }
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A required, non-blank string field. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new CertDeskError('INVALID_INPUT', `${field}: empty`, { field });
  return value;
}
