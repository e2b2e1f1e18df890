// The batch screen's validation table: every row's problems (preflight errors among them) and preflight warnings.
import type { BatchCheck } from '../../../shared/api.js';

/** One line of the table: a problem (an error: nothing is issued until it is fixed) or a warning (shown, not blocking). */
export interface RowFinding {
  line: number;
  column: string | null;
  severity: 'error' | 'warning';
  reason: string;
}

/** Problems and warnings by line (as main sorted each), a line's errors before its warnings. */
export function rowFindings(check: BatchCheck): RowFinding[] {
  const all: RowFinding[] = [
    ...check.problems.map((p) => ({ ...p, severity: 'error' as const })),
    ...check.warnings.map((w) => ({ ...w, severity: 'warning' as const })),
  ];
  // Stable: within a line and severity, main's order stays.
  return all.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** The table's heading: how many errors and warnings in how many rows, and what they mean. */
export function findingsSummary(check: BatchCheck): string {
  const e = check.problems.length;
  const w = check.warnings.length;
  const parts = [e ? `${e} problem${e === 1 ? '' : 's'}` : null, w ? `${w} warning${w === 1 ? '' : 's'}` : null].filter(Boolean).join(' and ');
  const meaning = e ? 'Nothing will be issued until the file is corrected.' : 'Warnings do not stop the batch; read them before issuing.';
  return `${parts} in ${check.total} row${check.total === 1 ? '' : 's'}. ${meaning}`;
}
