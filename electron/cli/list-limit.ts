// `--limit N` for the listing commands (list, recipient list): without it every match is listed; with it the
// first N, and the answer says that more match instead of cutting the list silently.
import type { CommandContext, CommandResult } from './context.js';
import { UsageError } from './usage.js';

/** What to ask the query for: every row, or one more than --limit so `listed` can tell that more match. Throws UsageError for a limit below 1. */
export function fetchLimit(ctx: CommandContext): { limit: number } {
  const limit = ctx.int('limit');
  if (limit === undefined) return { limit: Number.MAX_SAFE_INTEGER };
  if (limit < 1) throw new UsageError('--limit takes 1 or more');
  return { limit: limit + 1 };
}

/**
 * The command's answer for rows fetched with fetchLimit: at most --limit rows under `key`, `truncated: true`
 * in the JSON and a closing line in the text when more match.
 */
export function listed<T>(key: string, rows: T[], ctx: CommandContext, format: (rows: T[]) => string): CommandResult {
  const limit = ctx.int('limit');
  const truncated = limit !== undefined && rows.length > limit;
  const shown = truncated ? rows.slice(0, limit) : rows;
  return {
    data: { [key]: shown, ...(truncated ? { truncated: true } : {}) },
    text: format(shown) + (truncated ? `(the first ${limit} shown; more match: raise --limit or narrow the search)\n` : ''),
  };
}
