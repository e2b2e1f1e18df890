// The issue wizard's "checked as typed": the same rules issueCertificate applies, run without a key or a
// signature, and every problem collected by field instead of stopping at the first; then preflight's findings.
import type { KeyType, PreflightFinding, San } from '../../../shared/domain.js';
import { isCertDeskError } from '../../../shared/errors.js';
import { keyUsageFor } from '../pki/certificates.js';
import { dnFromName, formatDn } from '../pki/names.js';
import { runPreflight } from '../preflight/run.js';
import { profileTargets } from '../preflight/targets.js';
import { plannedValidity } from '../preflight/validity.js';
import { sidOf } from '../preflight/vault-plan.js';
import { dedupeSans, normalizeSan } from '../pki/sans.js';
import type { Vault } from '../vault/vault.js';
import { refuseCaSubject } from './ca-subjects.js';
import { caChain } from './cas.js';
import { applyProfileToSans, checkAlias, checkHolder, endEntitySubject, type IssueRequest } from './issue.js';
import { checkRecipientWindowsIds } from './recipients.js';
import { getProfile, resolveCa } from './records.js';
import { sidFor } from './windows-rules.js';
import { accountKindOf } from '../windows/account-kind.js';

export interface IssueProblem {
  field: string;
  message: string;
}

export interface IssueCheckResult {
  problems: IssueProblem[];
  subject: string;
  sans: San[];
  keyType: KeyType;
  days: number;
  notAfter: string | null;
  /**
   * Preflight's findings (preflight/run.ts runPreflight) for the certificate as drafted, each with the wizard
   * field it belongs to; empty while a problem prevents building the certificate. The serial is not drawn yet,
   * so its uniqueness is checked at issuance.
   */
  findings: PreflightFinding[];
}

export function checkIssueRequest(vault: Vault, req: IssueRequest): IssueCheckResult {
  vault.requireUnlocked();
  const profile = getProfile(vault, req.profile);
  const ca = resolveCa(vault, req.ca);
  const issuer = caChain(vault, ca)[0]!;
  const problems: IssueProblem[] = [];
  const attempt = <T>(field: string, fn: () => T): T | null => {
    try {
      return fn();
    } catch (e) {
      if (!isCertDeskError(e)) throw e;
      problems.push({ field, message: e.message });
      return null;
    }
  };
  const holder = attempt('name', () => checkHolder(req.name));
  const normalized: San[] = [];
  req.sans.forEach((san, i) => {
    const n = attempt(`sans.${i}`, () => normalizeSan(san));
    if (n) normalized.push(n);
  });
  const sans = dedupeSans(normalized);
  // Only when every SAN parsed: otherwise "a required e-mail is missing" would repeat the typing error.
  const kept = normalized.length === req.sans.length ? (attempt('sans', () => applyProfileToSans(profile, sans, 'strict').kept) ?? sans) : sans;
  if (holder) attempt('name', () => refuseCaSubject(vault, formatDn(endEntitySubject(holder, kept, issuer)), 'name'));
  attempt('alias', () => checkAlias(req.alias));
  attempt('sid', () => sidFor(profile, req.sid));
  // The recipient's own SID and account name, each reported on its field.
  attempt('recipient.sid', () => checkRecipientWindowsIds({ sid: req.recipient?.sid }, accountKindOf(profile.id, req.recipient?.kind)));
  attempt('account', () => checkRecipientWindowsIds({ account: req.recipient?.account }, accountKindOf(profile.id, req.recipient?.kind)));
  const days = req.days ?? profile.validityDays;
  const now = vault.now();
  const window = attempt('days', () => plannedValidity(days, now, issuer));
  const keyType = req.keyType ?? profile.defaultKey;
  let findings: PreflightFinding[] = [];
  if (problems.length === 0 && holder && window) {
    findings = runPreflight(
      {
        subject: endEntitySubject(holder, kept, issuer)
          .flat()
          .map((a) => ({ oid: a.oid, value: a.value })),
        sans: kept,
        keyType,
        keyUsage: keyUsageFor(profile.keyUsage, keyType),
        extendedKeyUsage: profile.extendedKeyUsage,
        notBefore: window.notBefore,
        notAfter: window.notAfter,
        requestedNotAfter: window.requestedNotAfter,
        now,
        issuer: { name: dnFromName(issuer.subjectName), notBefore: issuer.notBefore, notAfter: issuer.notAfter },
        crlUrl: ca.crlUrl,
        serialInUse: null,
        sid: sidOf(req),
      },
      profileTargets(profile),
    );
  }
  return {
    problems,
    subject: holder ? formatDn(endEntitySubject(holder, kept, issuer)) : '',
    sans: kept,
    keyType,
    days,
    notAfter: window ? window.notAfter.toISOString() : null,
    findings,
  };
}
