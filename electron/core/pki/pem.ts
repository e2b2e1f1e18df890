// PEM armour (RFC 7468, with RFC 1421 headers tolerated) for certificates, CRLs, requests and keys.
// Reading is one pass over the lines: no regular expression spans lines, so the time is linear in
// the input whatever it holds (an earlier regex took 52 s on 2 MiB of unterminated BEGIN lines).
import { CertDeskError } from '../../../shared/errors.js';

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const DASHES = '-----';
/** RFC 7468 labels are printable ASCII without '-' at the ends; CertDesk's are capitals, digits and spaces. */
const LABEL = /^[A-Z0-9 ]*$/;
/** Base64 text after whitespace is removed (RFC 4648 4): the alphabet, then at most two '='. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The label of a "-----BEGIN X-----" (kind 'BEGIN') or "-----END X-----" line, else null. */
function armourLabel(line: string, kind: 'BEGIN' | 'END'): string | null {
  const prefix = `${DASHES}${kind} `;
  if (line.length < prefix.length + DASHES.length || !line.startsWith(prefix) || !line.endsWith(DASHES)) return null;
  const label = line.slice(prefix.length, line.length - DASHES.length);
  return LABEL.test(label) ? label : null;
}

function pemError(field: string, message: string, line: number): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field, line });
}

interface OpenBlock {
  readonly label: string;
  readonly line: number;
  readonly body: string[];
}

/**
 * Every PEM block in the text, in order: `{ label, der }` with the DER decoded from the base64
 * body. Text outside blocks (OpenSSL's "Bag Attributes", subject= lines) is ignored, as are
 * RFC 1421 header lines ("Proc-Type: ...", "DEK-Info: ...") inside one; LF, CRLF and CR line ends
 * and surrounding spaces are accepted. A BEGIN line inside an open block starts over there.
 * Linear time in `text.length`.
 * Throws INVALID_INPUT (message starting with `field`; details.field and details.line, 1-based)
 * for a body line that is not base64, an END whose label differs from its BEGIN, or a block that
 * is never closed.
 */
export function pemBlocks(text: string, field = 'PEM text'): PemBlock[] {
  const out: PemBlock[] = [];
  let open: OpenBlock | null = null;
  let lineNo = 0;
  for (let pos = 0; pos <= text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const raw = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    // A lone CR also ends a line (old Mac files): split the piece on it, still one pass.
    for (const piece of raw.includes('\r') ? raw.split('\r') : [raw]) {
      for (const segment of armourSegments(piece)) {
        const line = segment.trim();
        const begin = armourLabel(line, 'BEGIN');
        if (begin !== null) {
          open = { label: begin, line: lineNo, body: [] };
          continue;
        }
        if (!open) continue;
        const endLabel = armourLabel(line, 'END');
        if (endLabel !== null) {
          if (endLabel !== open.label) throw pemError(field, `block "${open.label}" opened on line ${open.line} is closed by "END ${endLabel}" on line ${lineNo}`, lineNo);
          out.push({ label: open.label, der: new Uint8Array(Buffer.from(open.body.join(''), 'base64')) });
          open = null;
          continue;
        }
        if (line.includes(':')) continue; // an RFC 1421 header
        const chunk = line.replace(/\s+/g, '');
        if (!BASE64.test(chunk)) throw pemError(field, `line ${lineNo} in block "${open.label}" (opened on line ${open.line}) is not base64`, lineNo);
        open.body.push(chunk);
      }
    }
  }
  if (open) throw pemError(field, `block "${open.label}" opened on line ${open.line} has no "-----END ${open.label}-----" line`, open.line);
  return out;
}

/** BEGIN and END markers anywhere in a line (labels cannot hold '-', so no match rescans text). */
const MARKER = /-----(?:BEGIN|END) [A-Z0-9 ]*-----/g;

/**
 * A line split so that each armour marker stands alone: a block pasted onto one line (mail clients and
 * web forms drop the line breaks) reads as its BEGIN, body and END. Linear in the line's length.
 */
function armourSegments(line: string): string[] {
  if (!line.includes(DASHES)) return [line];
  const out: string[] = [];
  let from = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(line); m; m = MARKER.exec(line)) {
    if (m.index > from) out.push(line.slice(from, m.index));
    out.push(m[0]);
    from = m.index + m[0].length;
  }
  if (from < line.length) out.push(line.slice(from));
  return out;
}

/**
 * True when the bytes look like PEM text rather than DER: they do not start with a DER SEQUENCE
 * (0x30) and hold "-----BEGIN " somewhere (after any Bag Attributes text). Linear time.
 */
export function isPem(data: Uint8Array): boolean {
  if (data.length === 0 || data[0] === 0x30) return false;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf('-----BEGIN ', 0, 'latin1') !== -1;
}
