// Reading a spreadsheet's CSV export of the people or devices a batch issues certificates to.
// Nothing here throws on bad input: every defect becomes a RowProblem naming the physical line
// (as a text editor numbers it) so the officer can fix the file and load it again.
import { parse } from 'csv-parse/sync';
import { formatBytes, INPUT_LIMITS, MAX_CSV_ROWS } from '../input-limits.js';

export const BATCH_COLUMNS = ['name', 'email', 'upn', 'dns', 'ip', 'uri', 'device', 'sid', 'account', 'alias', 'days', 'phone', 'description'] as const;
export type BatchColumn = (typeof BATCH_COLUMNS)[number];

export interface RowProblem {
  /** Physical line (1-based) where the record starts; the header is line 1. */
  line: number;
  /** The column the problem is in, or null for the whole row or file. */
  column: BatchColumn | null;
  reason: string;
}

export interface RawRow {
  /** Physical line (1-based) where the record starts in the file; the header is line 1. */
  line: number;
  /** The row's cells by column (only the columns the header has), trimmed, line breaks as "\n". */
  cells: Partial<Record<BatchColumn, string>>;
}

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const KNOWN = BATCH_COLUMNS.join(', ');

/** Sorts by line, then by column in BATCH_COLUMNS order (whole-row problems first). Stable. */
export function sortProblems(problems: RowProblem[]): RowProblem[] {
  const rank = (c: BatchColumn | null) => (c === null ? -1 : BATCH_COLUMNS.indexOf(c));
  return problems.sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
}

/** Thrown inside csv-parse's on_record to stop reading past MAX_CSV_ROWS. */
class TooManyRows extends Error {}

/**
 * Parses a batch CSV: UTF-8 (with or without BOM), comma or semicolon delimited (detected from
 * the header), CRLF, LF or CR line ends. Rows with a problem of their own (wrong field count) are
 * left out of `rows`; when the header has no `name` column, `rows` is empty. A file over
 * INPUT_LIMITS.csv bytes is not parsed (one problem on line 1); reading stops at the record after
 * MAX_CSV_ROWS data rows (core/input-limits.ts), with a problem on that record's line.
 */
export function parseBatchCsv(data: Uint8Array): { rows: RawRow[]; problems: RowProblem[]; delimiter: ',' | ';' } {
  if (data.length > INPUT_LIMITS.csv) {
    return {
      rows: [],
      problems: [{ line: 1, column: null, reason: `the file is ${formatBytes(data.length)}; a batch CSV may be at most ${formatBytes(INPUT_LIMITS.csv)}: split it into several files` }],
      delimiter: ',',
    };
  }
  let bytes = data;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      rows: [],
      problems: [
        {
          line: 1,
          column: null,
          reason: 'the file is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8" (not in a Windows or Mac code page)',
        },
      ],
      delimiter: ',',
    };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiter = detectDelimiter(buf);
  const lines = lineCounter(buf);

  // csv-parse's own line count is where a record ends, and counts a CRLF inside quotes twice;
  // so each record's start is taken from the byte offset where the previous one ended.
  const records: { start: number; fields: string[] }[] = [];
  let prevEnd = 0;
  let failure: { start: number; error: unknown } | null = null;
  try {
    parse(buf, {
      delimiter,
      quote: '"',
      escape: '"',
      // All three, so a file whose line ends were mixed by an editor still splits into records.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context) => {
        // The header and MAX_CSV_ROWS rows; blank rows count, as they cost the same to read.
        if (records.length > MAX_CSV_ROWS) throw new TooManyRows();
        records.push({ start: skipBlankLines(buf, prevEnd), fields: record });
        prevEnd = context.bytes;
        return null;
      },
    });
  } catch (error) {
    failure = { start: skipBlankLines(buf, prevEnd), error };
  }

  const problems: RowProblem[] = [];
  if (failure) problems.push({ line: lines(failure.start), column: null, reason: csvErrorReason(failure.error) });

  const header = records[0];
  if (!header) {
    if (!failure) problems.push({ line: 1, column: null, reason: `the file is empty: the first line must be a header naming the columns (${KNOWN})` });
    return { rows: [], problems: sortProblems(problems), delimiter };
  }
  const headerLine = lines(header.start);
  const index = new Map<BatchColumn, number>();
  const unnamed: number[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (name === '') {
      unnamed.push(i);
      return;
    }
    const column = (BATCH_COLUMNS as readonly string[]).includes(name) ? (name as BatchColumn) : null;
    if (column === null) {
      problems.push({ line: headerLine, column: null, reason: `unknown column "${raw.trim()}": the known columns are ${KNOWN}` });
    } else if (index.has(column)) {
      problems.push({ line: headerLine, column, reason: `the column "${column}" appears more than once in the header (columns ${index.get(column)! + 1} and ${i + 1})` });
    } else {
      index.set(column, i);
    }
  });
  const hasName = index.has('name');
  if (!hasName) {
    problems.push({ line: headerLine, column: 'name', reason: `the header has no "name" column (the holder's name); the known columns are ${KNOWN}` });
  }

  const rows: RawRow[] = [];
  for (const record of records.slice(1)) {
    const line = lines(record.start);
    const fields = record.fields.map(cleanCell);
    // A row of empty cells is what a spreadsheet writes for a blank row: skip it like an empty line.
    if (fields.every((f) => f === '')) continue;
    if (fields.length !== header.fields.length) {
      const more = fields.length > header.fields.length;
      problems.push({
        line,
        column: null,
        reason:
          `this row has ${fields.length} fields but the header has ${header.fields.length}` +
          (more ? ` (a value containing "${delimiter}" must be in double quotes)` : ''),
      });
      continue;
    }
    for (const i of unnamed) {
      if (fields[i] !== '') {
        problems.push({ line, column: null, reason: `column ${i + 1} has a value ("${fields[i]}") but no name in the header` });
      }
    }
    if (!hasName) continue;
    const cells: Partial<Record<BatchColumn, string>> = {};
    for (const [column, i] of index) cells[column] = fields[i]!;
    rows.push({ line, cells });
  }
  return { rows, problems: sortProblems(problems), delimiter };
}

function cleanCell(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** The delimiter of the header: whichever of "," and ";" occurs more often outside quotes in the first record. */
function detectDelimiter(buf: Buffer): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  let content = false;
  for (const c of buf) {
    if (c === QUOTE) {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (c === CR || c === LF) {
      if (content) break; // blank lines before the header do not end it
    } else if (c === 0x2c) commas++;
    else if (c === 0x3b) semicolons++;
    else if (c !== 0x20 && c !== 0x09) content = true;
  }
  return semicolons > commas ? ';' : ',';
}

/** Skips blank (or only spaces and tabs) lines from offset, as csv-parse's skip_empty_lines with trim does. */
function skipBlankLines(buf: Buffer, offset: number): number {
  let pos = offset;
  for (;;) {
    let q = pos;
    while (q < buf.length && (buf[q] === 0x20 || buf[q] === 0x09)) q++;
    if (q < buf.length && (buf[q] === CR || buf[q] === LF)) {
      pos = q + (buf[q] === CR && buf[q + 1] === LF ? 2 : 1);
    } else {
      return pos;
    }
  }
}

/** The 1-based line of a byte offset, counting CRLF, LF and a lone CR as one line break each, as text editors do. */
function lineCounter(buf: Buffer): (offset: number) => number {
  const starts: number[] = []; // offsets where a line other than the first starts
  for (let pos = 0; pos < buf.length; pos++) {
    const c = buf[pos];
    if (c === LF || (c === CR && buf[pos + 1] !== LF)) starts.push(pos + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

function csvErrorReason(error: unknown): string {
  if (error instanceof TooManyRows) return `the file has more than ${MAX_CSV_ROWS.toLocaleString('en-US')} rows, the most one batch takes: split it into several files (the rows from this one on were not read)`;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value starting in this row has no closing double quote before the end of the file';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a closing double quote is followed by other characters instead of the delimiter or the end of the line (write a quote inside a quoted value as ""); the rows after it were not read';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      // csv-parse's own line numbers count differently; the problem's line is the one to go by.
      return `the CSV cannot be read from this row on (the rows after it were not read): ${message.replace(/\s*(at|on) line \d+/g, '')}`;
    }
  }
}
