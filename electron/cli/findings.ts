// Preflight findings as the CLI prints them (issue, sign-csr, renew): one line each, under the result.
import type { PreflightFinding } from '../../shared/domain.js';

/**
 * Text lines for `findings`: "Preflight:" then, per finding, "  error (overridden: REASON) TARGET FIELD:
 * MESSAGE [SOURCE]" or "  warning TARGET FIELD: MESSAGE [SOURCE]". Errors are present only when an override
 * let them through. Empty string when there are none.
 */
export function findingsText(findings: PreflightFinding[], override: string | null | undefined, indent = ''): string {
  if (findings.length === 0) return '';
  const lines = findings.map((f) => {
    const severity = f.severity === 'error' ? `error (overridden: ${override ?? ''})` : 'warning';
    return `${indent}  ${severity} ${f.target} ${f.field}: ${f.message} [${f.source}]\n`;
  });
  return `${indent}Preflight:\n${lines.join('')}`;
}
