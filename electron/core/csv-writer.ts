// The one CSV writer behind every CSV file CertDesk writes for people to open (password lists, expiry
// reports): RFC 4180 text through csv-stringify, with every text cell neutralised against CSV (formula)
// injection as OWASP describes it (https://owasp.org/www-community/attacks/CSV_Injection).
import { stringify } from 'csv-stringify/sync';
import { CertDeskError } from '../../shared/errors.js';

/** A cell: text (neutralised when it could start a formula), a finite number (written as is), or empty. */
export type CsvCell = string | number | null | undefined;

/**
 * Text a spreadsheet could run as a formula: it starts with = + - @ TAB or CR (OWASP), NUL (OWASP ASVS 1.2.10),
 * the full-width = + - @ (U+FF1D U+FF0B U+FF0D U+FF20, which Apple Numbers and Excel with East Asian input map
 * to the ASCII ones), or = + - @ after leading white space (an import that trims spaces would expose them).
 */
const FORMULA_START = /^[\t\r\0]|^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/u; // \s includes NBSP and U+3000

/** The printable ASCII characters of FORMULA_START: no password may start with one (passwords.ts). */
export const FORMULA_START_CHARACTERS = '=+-@' as const;

/**
 * A semicolon followed by formula text: Excel in a locale whose list separator is ";" (most of continental
 * Europe) splits an unquoted comma-separated line on ";", so "Dave;=cmd|..." would give a cell "=cmd|...".
 */
const FORMULA_AFTER_SEMICOLON = /;\s*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r\0]/u;

/** True when a spreadsheet could read `text` as a formula (see FORMULA_START), or a part of it after a ";". */
export function startsLikeFormula(text: string): boolean {
  return FORMULA_START.test(text) || FORMULA_AFTER_SEMICOLON.test(text);
}

/**
 * OWASP's neutralisation of one cell: text that could start a formula gets a leading apostrophe, which
 * Excel, LibreOffice and Numbers show as text. Other text is returned unchanged.
 */
export function neutraliseFormula(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

export interface CsvOptions {
  /** Column names for a first row (neutralised like any cell). */
  header?: readonly string[];
  /** Start with a UTF-8 byte order mark, so Excel reads non-Latin text correctly. Default false. */
  bom?: boolean;
}

function checkCell(value: CsvCell, row: number, column: number): CsvCell {
  if (value === null || value === undefined || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new CertDeskError('INTERNAL', `CSV row ${row}, column ${column + 1}: ${String(value)} is not text or a finite number`, { row, column });
}

/**
 * Rows as CSV text (RFC 4180): CRLF after every row, a field quoted when it holds a comma, a semicolon, a quote,
 * CR or LF (quotes doubled), and every text cell neutralised (neutraliseFormula), also one whose text after a
 * ";" could start a formula. Numbers are written as they are, so
 * a negative count stays a number. `rows` are numbered from 1 after the header in errors. Throws CertDeskError
 * INTERNAL for a cell that is neither text, a finite number nor empty (a programming error, not user input).
 */
export function csvText(rows: readonly (readonly CsvCell[])[], opts: CsvOptions = {}): string {
  const all = opts.header ? [opts.header, ...rows] : rows;
  const cells = all.map((r, i) => r.map((v, j) => checkCell(v, opts.header ? i : i + 1, j)));
  return stringify(cells, {
    cast: {
      // A neutralised cell is always quoted, as OWASP recommends; so is any cell holding ";", which a
      // spreadsheet set to ";" as its separator would otherwise split (quotes keep it one cell).
      string: (v) => (startsLikeFormula(v) ? { value: `'${v}`, quoted: true } : v.includes(';') ? { value: v, quoted: true } : v),
      number: (v) => String(v),
    },
    bom: opts.bom === true,
    record_delimiter: '\r\n',
    // Giving record_delimiter turns off quoting of a lone \n or \r: turn it back on.
    quote_record_delimiter: true,
    // cell() does the neutralising; csv-stringify's own escape_formulas would miss leading white space.
    escape_formulas: false,
  });
}
