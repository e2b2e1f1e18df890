// "Override with reason" as the signing forms hold it (CSR screen, renew dialog; the issue wizard keeps its own in state/issue.ts).
import type { PreflightFinding } from '../../../shared/domain.js';

/** An override as a form holds it: ticked or not, and the reason typed. */
export interface OverrideDraft {
  on: boolean;
  reason: string;
}

export const NO_OVERRIDE: OverrideDraft = { on: false, reason: '' };

/** The reason to send (trimmed), or undefined when the override is off or blank (main then stops on the errors). */
export function overrideReason(o: OverrideDraft): string | undefined {
  return o.on && o.reason.trim() ? o.reason.trim() : undefined;
}

/** What stops the form's action: an error finding without an override reason (the message the form shows), else null. */
export function overrideBlocker(findings: PreflightFinding[], o: OverrideDraft, action: string): string | null {
  if (!findings.some((f) => f.severity === 'error') || overrideReason(o) !== undefined) return null;
  return `Preflight found an error: fix it, or tick “Override with reason” and give the reason to ${action} anyway.`;
}
