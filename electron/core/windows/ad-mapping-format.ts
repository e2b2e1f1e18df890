// The altSecurityIdentities mapping strings of one or more certificates (ad-mapping.ts) as text, as a PowerShell
// script for the ActiveDirectory module (Set-ADUser / Set-ADComputer -Add @{altSecurityIdentities=...}), and as
// JSON: what `certdesk ad-mapping` prints and a bundle's ad-mapping.txt and ad-mapping.ps1 hold.
import { CertDeskError } from '../../../shared/errors.js';
import { adMappingOf, mappingStrings, type AdMapping } from './ad-mapping.js';

export const AD_MAPPING_FORMATS = ['text', 'powershell', 'json'] as const;
export type AdMappingFormat = (typeof AD_MAPPING_FORMATS)[number];

/** One certificate to map: its DER, whom it names, and the account when the officer gave it. */
export interface AdMappingSubject {
  der: Uint8Array;
  holder: string;
  /** The vault's certificate id, when it comes from the vault. */
  certificateId?: number;
  /** A person maps to a user account (Set-ADUser), a device to a computer account (Set-ADComputer). */
  kind: 'person' | 'device';
  /** The sAMAccountName (ad-account.ts mappingAccount), or null when not known. */
  account: string | null;
  /** 'revoked' or 'expired': a mapping grants nothing and should be removed (warned, and the script uses -Remove); absent: valid. */
  state?: 'valid' | 'revoked' | 'expired';
  /** Said to the officer with the warnings (e.g. the `$` added to a computer account). */
  notes?: string[];
  /**
   * For a revoked or expired certificate: ids of valid certificates with the same key (a renewal with --same-key),
   * whose X509:<SKI> string is this one's. That string is kept on the account, not removed: removing it would
   * take the mapping away from a valid certificate. Absent or empty: none.
   */
  skiSharedWith?: number[];
  /** adMappingOf(der), when the caller made it already (a bundle makes it once for ad-mapping.txt and .ps1); absent: made here. */
  mapping?: AdMapping;
}

export interface AdMappingOptions {
  /**
   * How the text and the script name the CA certificate file for NTAuth (`certutil -dspublish -f FILE NTAuthCA`):
   * a bundle names its own DER file of the issuing CA; absent: `ca.cer`, with the command that writes it.
   */
  caFile?: string;
}

export interface AdMappingReport {
  /** The mappings in the format asked for. */
  output: string;
  /** The same as `json` gives, parsed: one object per certificate. */
  mappings: AdMappingJson[];
  /** Everything the officer should read: revoked or expired certificates, a form left out, an account name changed. */
  warnings: string[];
}

export interface AdMappingJson {
  certificateId?: number;
  holder: string;
  kind: 'person' | 'device';
  account: string | null;
  state: 'valid' | 'revoked' | 'expired';
  sid: string | null;
  altSecurityIdentities: { issuerSerial: string | null; ski: string | null; sha1PublicKey: string };
  warnings: string[];
}

/** The identity the script writes when neither the account nor the SID is known: the administrator replaces it (Set-AD* fails on it as it is). */
export const ACCOUNT_PLACEHOLDER = 'REPLACE-WITH-ACCOUNT-NAME';

/**
 * A PowerShell single-quoted string literal (about_Quoting_Rules): every single quote doubled, including the
 * typographic ones PowerShell also treats as single quotes (U+2018, U+2019, U+201A, U+201B), so the value
 * cannot end the literal; `$`, backticks and double quotes are literal inside single quotes. Throws CertDeskError
 * INVALID_INPUT for a line break or other control character (windows-name.ts keeps them out of the strings).
 */
export function psSingleQuoted(value: string): string {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) throw new CertDeskError('INVALID_INPUT', 'a PowerShell string may not hold a line break or control character here', { field: 'powershell' });
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Text safe inside a one-line `#` comment: control, line-separator and lone surrogate characters become spaces. */
const commentText = (s: string): string => s.replace(/[\p{Cc}\p{Cs}\u2028\u2029]/gu, ' ');

interface Mapped extends AdMappingSubject {
  mapping: AdMapping;
  state: 'valid' | 'revoked' | 'expired';
  warnings: string[];
}

function describe(m: AdMappingSubject): string {
  return `${commentText(m.holder)}${m.certificateId === undefined ? '' : ` (certificate ${m.certificateId})`}`;
}

function mapped(s: AdMappingSubject): Mapped {
  const mapping = s.mapping ?? adMappingOf(s.der);
  const state = s.state ?? 'valid';
  const warnings = [...(s.notes ?? [])];
  if (state !== 'valid') {
    warnings.push(`${describe(s)} is ${state}: a mapping to it grants nothing (a domain controller refuses ${state === 'revoked' ? 'a revoked' : 'an expired'} certificate) and should be removed from the account; the PowerShell script removes it (-Remove)`);
    if (mapping.ski && s.skiSharedWith?.length) warnings.push(`${describe(s)}: ${keptSki(mapping.ski, s.skiSharedWith)}`);
  }
  if (mapping.issuerSerialProblem) warnings.push(`${describe(s)}: ${mapping.issuerSerialProblem}`);
  return { ...s, mapping, state, warnings };
}

/** Why a revoked or expired certificate's X509:<SKI> string stays on the account. */
function keptSki(ski: string, ids: number[]): string {
  return `${ski} is kept: it also maps certificate${ids.length === 1 ? '' : 's'} ${ids.join(', ')} (valid, the same key)`;
}

/** The strings to remove for a revoked or expired certificate: all but an X509:<SKI> a valid certificate shares. */
function stringsToRemove(m: Mapped): string[] {
  return mappingStrings(m.mapping).filter((v) => !(v === m.mapping.ski && m.skiSharedWith?.length));
}

function ntAuthLine(opts: AdMappingOptions): string {
  return opts.caFile
    ? `# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ${opts.caFile} NTAuthCA (${opts.caFile}: the issuing CA certificate, in this bundle)`
    : '# The issuing CA must be in the NTAuth store, once per CA: certutil -dspublish -f ca.cer NTAuthCA (certdesk ca cert CA --out ca.cer --der)';
}

function asText(items: Mapped[], opts: AdMappingOptions): string {
  const blocks = items.map((m) => {
    const lines = [`# ${describe(m)}`];
    if (m.state !== 'valid') lines.push(`# ${m.state.toUpperCase()}: remove these strings from the account's altSecurityIdentities; they grant nothing`);
    if (m.mapping.sid) lines.push(`# SID ${m.mapping.sid} is in the certificate (SID extension): a domain controller maps it without these strings`);
    if (m.account) lines.push(`# account: ${m.account}`);
    if (m.mapping.issuerSerialProblem) lines.push(`# ${commentText(m.mapping.issuerSerialProblem)}`);
    if (m.state === 'valid' || !m.mapping.ski || !m.skiSharedWith?.length) return [...lines, ...mappingStrings(m.mapping)].join('\n');
    return [...lines, ...stringsToRemove(m), `# ${keptSki(m.mapping.ski, m.skiSharedWith)}: do not remove it`].join('\n');
  });
  return blocks.join('\n\n') + '\n\n' + ntAuthLine(opts) + '\n';
}

function asPowerShell(items: Mapped[], opts: AdMappingOptions): string {
  const head = [
    '# altSecurityIdentities for certificates issued by CertDesk: the strong explicit mappings of KB5014754.',
    '# Needs the ActiveDirectory module (RSAT) and the right to write altSecurityIdentities. One mapping per',
    '# certificate is enough: the first is added below, the others are there as alternatives.',
    '# A revoked or expired certificate grants nothing: its strings are removed (-Remove) instead; a string that is',
    '# not on the account is reported and skipped (-ErrorAction Continue).',
    `# Where the account was not known the script says ${ACCOUNT_PLACEHOLDER}: replace it with the sAMAccountName.`,
    ntAuthLine(opts),
    "$ErrorActionPreference = 'Stop'",
    'Import-Module ActiveDirectory',
  ];
  const blocks = items.map((m) => {
    const cmdlet = m.kind === 'device' ? 'Set-ADComputer' : 'Set-ADUser';
    const identity = psSingleQuoted(m.account ?? m.mapping.sid ?? ACCOUNT_PLACEHOLDER);
    const strings = mappingStrings(m.mapping);
    const comments = [`# ${describe(m)}`, ...(m.mapping.issuerSerialProblem ? [`# ${commentText(m.mapping.issuerSerialProblem)}`] : [])];
    if (m.state !== 'valid') {
      const remove = (value: string) => `${cmdlet} -Identity ${identity} -Remove @{altSecurityIdentities=${psSingleQuoted(value)}} -ErrorAction Continue`;
      const kept = m.mapping.ski && m.skiSharedWith?.length ? [`# ${keptSki(m.mapping.ski, m.skiSharedWith)}: not removed`] : [];
      return [...comments, `# ${m.state.toUpperCase()}: its mappings grant nothing; removing them`, ...stringsToRemove(m).map(remove), ...kept].join('\n');
    }
    const add = (value: string) => `${cmdlet} -Identity ${identity} -Add @{altSecurityIdentities=${psSingleQuoted(value)}}`;
    const [first, ...others] = strings;
    return [...comments, add(first!), ...others.map((v) => `# ${add(v)}`)].join('\n');
  });
  return [...head, '', blocks.join('\n\n'), ''].join('\n');
}

function asJson(m: Mapped): AdMappingJson {
  return {
    ...(m.certificateId === undefined ? {} : { certificateId: m.certificateId }),
    holder: m.holder,
    kind: m.kind,
    account: m.account,
    state: m.state,
    sid: m.mapping.sid,
    altSecurityIdentities: { issuerSerial: m.mapping.issuerSerial, ski: m.mapping.ski, sha1PublicKey: m.mapping.sha1PublicKey },
    warnings: m.warnings,
  };
}

/**
 * The mapping strings of `subjects` in `format`: `text` (a commented block per certificate, one string a line,
 * then the NTAuth line), `powershell` (a script: Set-ADUser for people, Set-ADComputer for devices, `-Add
 * @{altSecurityIdentities='...'}` with the account, else the SID, else ACCOUNT_PLACEHOLDER as identity, values
 * quoted by psSingleQuoted; `-Remove` of every string for a revoked or expired certificate, except an X509:<SKI>
 * that valid certificates with the same key share: `skiSharedWith`) or `json` (an array of
 * AdMappingJson), with the warnings an officer should read. Throws what adMappingOf throws (a CA certificate,
 * INVALID_INPUT).
 */
export function adMappingReport(subjects: AdMappingSubject[], format: AdMappingFormat, opts: AdMappingOptions = {}): AdMappingReport {
  const items = subjects.map(mapped);
  const mappings = items.map(asJson);
  const output = format === 'json' ? JSON.stringify(mappings, null, 2) + '\n' : format === 'powershell' ? asPowerShell(items, opts) : asText(items, opts);
  return { output, mappings, warnings: items.flatMap((m) => m.warnings) };
}

/** adMappingReport's output alone. */
export function formatAdMappings(subjects: AdMappingSubject[], format: AdMappingFormat, opts: AdMappingOptions = {}): string {
  return adMappingReport(subjects, format, opts).output;
}
