// Running preflight over a would-be certificate, and the gate: an error stops issuance unless overridden.
import type { PreflightFinding, PreflightTarget } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { CertificatePlan } from './plan.js';
import { rfc5280 } from './rfc5280.js';
import { TARGET_RULES } from './targets.js';

/**
 * Every finding for `plan`: the RFC 5280 rules, then each target's rules in the order given (README
 * "Preflight"). Pure: the plan carries what the vault knows (serial in use, SID).
 */
export function runPreflight(plan: CertificatePlan, targets: readonly PreflightTarget[]): PreflightFinding[] {
  return [...rfc5280(plan), ...targets.flatMap((t) => TARGET_RULES[t](plan))];
}

/** What the gate let through: the findings, and the reason and errors of an override (null when nothing was overridden). */
export interface PreflightOutcome {
  findings: PreflightFinding[];
  override: { reason: string; findings: PreflightFinding[] } | null;
}

/**
 * The override reason as recorded: trimmed, one line, 1 to 500 characters. Absent or blank: null. Throws
 * CertDeskError INVALID_INPUT ("override: ...") for a reason with control characters or too long.
 */
export function checkOverrideReason(reason: string | null | undefined): string | null {
  const text = reason?.trim().normalize('NFC') ?? '';
  if (text === '') return null;
  if (/\p{Cc}/u.test(text)) throw new CertDeskError('INVALID_INPUT', 'override: the reason must be one line without control characters', { field: 'override' });
  if ([...text].length > 500) throw new CertDeskError('INVALID_INPUT', `override: the reason is at most 500 characters, got ${[...text].length}`, { field: 'override' });
  return text;
}

/**
 * The gate before signing: with no error findings, passes; with errors and an override reason, passes and
 * returns the reason and the overridden errors (for the audit entry); with errors and no reason, throws
 * CertDeskError PROFILE_VIOLATION listing each error as "target field: message", details { field, findings }.
 */
export function gatePreflight(findings: PreflightFinding[], overrideReason: string | null | undefined): PreflightOutcome {
  const reason = checkOverrideReason(overrideReason);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return { findings, override: null };
  if (reason === null) {
    throw new CertDeskError(
      'PROFILE_VIOLATION',
      `preflight: ${errors.length === 1 ? 'an error stops' : `${errors.length} errors stop`} this certificate: ${errors.map((e) => `${e.target} ${e.field}: ${e.message}`).join('; ')}. ` +
        'Fix it, change the profile\'s targets, or override with a reason (--override "REASON"; in the wizard: Issue anyway)',
      { field: errors[0]!.field, findings },
    );
  }
  return { findings, override: { reason, findings: errors } };
}

/** The audit entry's part: the findings and the override, each only when there is one (older entries stay as they were). */
export function preflightAudit(outcome: PreflightOutcome): Record<string, unknown> {
  return {
    ...(outcome.findings.length ? { findings: outcome.findings } : {}),
    ...(outcome.override ? { override: outcome.override } : {}),
  };
}
