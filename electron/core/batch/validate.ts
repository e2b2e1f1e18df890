// Checking every row of a batch before anything is issued: all problems at once, each on its line and column.
import { createHash } from 'node:crypto';
import type { Profile, San, SanType } from '../../../shared/domain.js';
import { isCertDeskError } from '../../../shared/errors.js';
import { applyProfileToSans, checkAlias, checkHolder } from '../issuance/issue.js';
import { checkRecipientWindowsIds } from '../issuance/recipients.js';
import { recipientKindOfProfile } from '../windows/account-kind.js';
import { sidFor } from '../issuance/windows-rules.js';
import { dedupeSans, normalizeSan } from '../pki/sans.js';
import { preflightRow, type BatchPreflight } from '../preflight/batch.js';
import { parseBatchCsv, sortProblems, type BatchColumn, type RawRow, type RowProblem } from './csv.js';

export interface BatchRow {
  line: number;
  /** The holder (certificate common name), trimmed, Unicode NFC. */
  name: string;
  /** Normalised SANs in column order (email, upn, dns, ip, uri, device), repeats dropped. */
  sans: San[];
  alias: string | null;
  days: number;
  /** The holder's Windows SID (the `sid` column, windows-rules.ts sidFor), canonical; null when the cell is empty. */
  sid: string | null;
  /** The recipient's Active Directory account name (the `account` column, checked as recipients.ts checkRecipientWindowsIds does for the profile's account kind: a computer's with its `$`); null when empty. */
  account: string | null;
  /** The recipient's e-mail address: the row's first e-mail SAN. */
  email: string | null;
  phone: string | null;
  description: string | null;
  /**
   * stable identity of the row's content for resuming (sha256 hex of a canonical JSON of name, sans, alias, days,
   * and the SID when given). The account is the recipient's, not the certificate's: it is not part of the key.
   */
  key: string;
}

export interface BatchContext {
  profile: Profile;
  caName: string;
  caNotAfter: Date;
  now: Date;
  /** Preflight (README "Preflight"): each valid row is checked against the profile's targets (preflight/batch-context.ts batchPreflight). */
  preflight?: BatchPreflight;
}

/** Columns holding SANs; each column is named after its SAN type. Several values in a cell are separated by ";". */
const SAN_COLUMNS = ['email', 'upn', 'dns', 'ip', 'uri', 'device'] as const satisfies readonly (SanType & BatchColumn)[];
/** The order in which a row's SANs identify its holder, for finding the same holder twice. */
const HOLDER_ID_ORDER: readonly SanType[] = ['email', 'upn', 'device', 'dns', 'ip', 'uri'];
const BAD_VALUE: Record<SanType, string> = {
  email: 'bad e-mail address',
  upn: 'bad UPN (user principal name)',
  dns: 'bad DNS name',
  ip: 'bad IP address',
  uri: 'bad URI',
  device: 'bad device identifier',
  krb5: 'bad Kerberos principal',
};
const DAY_MS = 86_400_000;

/** The CSV column a preflight finding's field belongs to (null: the row as a whole, e.g. the profile's EKU). */
function findingColumn(field: string): BatchColumn | null {
  return field === 'name' || field === 'days' ? field : null;
}

/**
 * Validates every row and collects all problems, sorted by line then column. `rows` holds only
 * the rows without a problem; a batch should be issued only when `problems` (and the parser's) are empty.
 * With `ctx.preflight`, each otherwise valid row is checked by preflight: its errors are problems
 * ("preflight TARGET: message"; a batch has no override), its warnings go to `warnings`.
 */
export function validateBatch(rows: RawRow[], ctx: BatchContext): { rows: BatchRow[]; problems: RowProblem[]; warnings: RowProblem[] } {
  const problems: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const out: BatchRow[] = [];
  const holders = new Map<string, number>();
  const aliases = new Map<string, number>();
  const caEnd = ctx.caNotAfter.toISOString();

  for (const raw of rows) {
    const found: RowProblem[] = [];
    const add = (column: BatchColumn | null, reason: string) => found.push({ line: raw.line, column, reason });

    // The rule issuing applies (holder-name.ts), so a dry run finds every name the run would refuse.
    let name = '';
    try {
      name = checkHolder(raw.cells.name ?? '', 'holder name');
    } catch (e) {
      if (!isCertDeskError(e)) throw e;
      add('name', e.message);
    }

    // Each value on its own, so every bad one is reported, not only the first.
    const sans: San[] = [];
    const given: San[] = []; // every value typed, valid or not: what the profile is checked against
    for (const type of SAN_COLUMNS) {
      for (const value of splitValues(raw.cells[type])) {
        given.push({ type, value });
        try {
          sans.push(normalizeSan({ type, value }));
        } catch (e) {
          if (!isCertDeskError(e) || e.code !== 'INVALID_NAME') throw e;
          add(type, `${BAD_VALUE[type]}: ${e.message}`);
        }
      }
    }
    const unique = dedupeSans(sans);

    // applyProfileToSans stops at the first SAN type the profile refuses: take that type out and ask again.
    let remaining = given;
    for (;;) {
      try {
        applyProfileToSans(ctx.profile, remaining, 'strict');
        break;
      } catch (e) {
        if (!isCertDeskError(e) || e.code !== 'PROFILE_VIOLATION') throw e;
        const field = e.details?.field as SanType | undefined;
        const column = field && (SAN_COLUMNS as readonly string[]).includes(field) ? (field as BatchColumn) : null;
        add(column, e.message);
        if (!field || !remaining.some((s) => s.type === field)) break; // the required-SAN check: it is the last one
        remaining = remaining.filter((s) => s.type !== field);
      }
    }

    let days: number | null = ctx.profile.validityDays;
    const daysCell = raw.cells.days?.trim() ?? '';
    if (daysCell !== '') {
      const n = /^[0-9]+$/.test(daysCell) ? Number(daysCell) : NaN;
      if (Number.isInteger(n) && n >= 1 && n <= 36500) days = n;
      else {
        add('days', `"${daysCell}" is not a whole number of days from 1 to 36500`);
        days = null;
      }
    }
    if (days !== null) {
      // The same arithmetic as validityWindow, so a row that passes here is not refused at issuance.
      const notAfter = new Date(ctx.now.getTime() + days * DAY_MS);
      if (notAfter > ctx.caNotAfter) {
        const most = Math.max(0, Math.floor((ctx.caNotAfter.getTime() - ctx.now.getTime()) / DAY_MS));
        add(
          'days',
          `${days} days would end on ${notAfter.toISOString()}, after the CA "${ctx.caName}" ends on ${caEnd}; ` +
            `at most ${most} days${daysCell === '' ? ` (the ${ctx.profile.id} profile's default is ${days})` : ''}`,
        );
      }
    }

    let sid: string | null = null;
    try {
      sid = sidFor(ctx.profile, raw.cells.sid);
    } catch (e) {
      if (!isCertDeskError(e)) throw e;
      add('sid', e.message.replace(/^sid: /, ''));
    }

    let account: string | null = null;
    try {
      account = checkRecipientWindowsIds({ account: raw.cells.account }, recipientKindOfProfile(ctx.profile.id)).account;
    } catch (e) {
      if (!isCertDeskError(e)) throw e;
      add('account', e.message.replace(/^account: /, ''));
    }

    let alias: string | null = null;
    try {
      alias = checkAlias(raw.cells.alias);
    } catch (e) {
      if (!isCertDeskError(e)) throw e;
      add('alias', e.message.replace(/^alias: /, 'the alias '));
    }
    if (name) {
      const idSan = HOLDER_ID_ORDER.map((t) => unique.find((s) => s.type === t)).find((s) => s !== undefined);
      const id = `${name.toLowerCase()}\u0000${idSan ? `${idSan.type}:${idSan.value.toLowerCase()}` : ''}`;
      const first = holders.get(id);
      if (first !== undefined) add('name', `duplicate holder: also on line ${first}`);
      else holders.set(id, raw.line);
    }
    if (alias) {
      const id = alias.normalize('NFC').toLowerCase();
      const first = aliases.get(id);
      if (first !== undefined) add('alias', `duplicate alias "${alias}": also on line ${first}`);
      else aliases.set(id, raw.line);
    }

    if (found.length === 0 && days !== null && ctx.preflight) {
      for (const f of preflightRow(ctx.preflight, ctx.profile, { name, sans: unique, days, sid }, ctx.now)) {
        (f.severity === 'error' ? found : warnings).push({ line: raw.line, column: findingColumn(f.field), reason: `preflight ${f.target}: ${f.message}` });
      }
    }
    problems.push(...found);
    if (found.length || days === null) continue;
    out.push({
      line: raw.line,
      name,
      sans: unique,
      alias,
      days,
      sid,
      account,
      email: unique.find((s) => s.type === 'email')?.value ?? null,
      phone: raw.cells.phone?.trim() || null,
      description: raw.cells.description?.trim() || null,
      key: rowKey(name, unique, alias, days, sid),
    });
  }
  return { rows: out, problems: sortProblems(problems), warnings: sortProblems(warnings) };
}

function splitValues(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * sha256 (hex) of a canonical JSON: fixed key order, normalised values, line breaks and spacing already gone. The
 * SID is in it only when the row has one, so rows without a SID keep the keys earlier versions gave them (resume).
 */
function rowKey(name: string, sans: San[], alias: string | null, days: number, sid: string | null): string {
  const canonical = JSON.stringify({ name, sans: sans.map((s) => ({ type: s.type, value: s.value })), alias, days, ...(sid ? { sid } : {}) });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface BatchCheckResult {
  /** Data rows in the file, good and bad. */
  rowCount: number;
  /** The rows to issue (empty when there is any problem). */
  rows: BatchRow[];
  /** The parser's problems, or else every row's. */
  problems: RowProblem[];
  /** Preflight warnings by line (shown, never blocking). */
  warnings: RowProblem[];
  delimiter: ',' | ';';
}

/** Parses a batch CSV and checks its rows: what the batch wizard shows and what runBatch issues from. */
export function checkBatchCsv(csv: Uint8Array, ctx: BatchContext): BatchCheckResult {
  const parsed = parseBatchCsv(csv);
  // A file the parser refuses (an unknown column, a broken quote) is not checked row by row.
  const validated = parsed.problems.length ? { rows: [], problems: [], warnings: [] } : validateBatch(parsed.rows, ctx);
  return { rowCount: parsed.rows.length, rows: validated.rows, problems: [...parsed.problems, ...validated.problems], warnings: validated.warnings, delimiter: parsed.delimiter };
}
