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
  /** The sAMAccountName (windows/sid.ts checkAccountName), or null when not known. */
  account: string | null;
}

/** The identity the script writes when neither the account nor the SID is known: the administrator replaces it (Set-AD* fails on it as it is). */
export const ACCOUNT_PLACEHOLDER = 'REPLACE-WITH-ACCOUNT-NAME';

/**
 * A PowerShell single-quoted string literal (about_Quoting_Rules): every single quote doubled, including the
 * typographic ones PowerShell also treats as single quotes (U+2018, U+2019, U+201A, U+201B), so the value
 * cannot end the literal. Throws CertDeskError INVALID_INPUT for a line break or other control character
 * (nothing CertDesk maps holds one).
 */
export function psSingleQuoted(value: string): string {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) throw new CertDeskError('INVALID_INPUT', 'a PowerShell string may not hold a line break or control character here', { field: 'powershell' });
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Text safe inside a one-line `#` comment: control and line-separator characters become spaces. */
const commentText = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');

interface Mapped extends AdMappingSubject {
  mapping: AdMapping;
}

function describe(m: Mapped): string {
  return `${commentText(m.holder)}${m.certificateId === undefined ? '' : ` (certificate ${m.certificateId})`}`;
}

function asText(items: Mapped[]): string {
  const blocks = items.map((m) => {
    const lines = [`# ${describe(m)}`];
    if (m.mapping.sid) lines.push(`# SID ${m.mapping.sid} is in the certificate (SID extension): a domain controller maps it without these strings`);
    if (m.account) lines.push(`# account: ${m.account}`);
    return [...lines, ...mappingStrings(m.mapping)].join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

function asPowerShell(items: Mapped[]): string {
  const head = [
    '# altSecurityIdentities for certificates issued by CertDesk: the strong explicit mappings of KB5014754.',
    '# Needs the ActiveDirectory module (RSAT) and the right to write altSecurityIdentities. One mapping per',
    '# certificate is enough: the issuer and serial one is added below, the others are there as alternatives.',
    `# Where the account was not known the script says ${ACCOUNT_PLACEHOLDER}: replace it with the sAMAccountName.`,
    '# The issuing CA must also be in the NTAuth store: certutil -dspublish -f ca.cer NTAuthCA',
    "$ErrorActionPreference = 'Stop'",
    'Import-Module ActiveDirectory',
  ];
  const blocks = items.map((m) => {
    const cmdlet = m.kind === 'device' ? 'Set-ADComputer' : 'Set-ADUser';
    const identity = psSingleQuoted(m.account ?? m.mapping.sid ?? ACCOUNT_PLACEHOLDER);
    const line = (value: string) => `${cmdlet} -Identity ${identity} -Add @{altSecurityIdentities=${psSingleQuoted(value)}}`;
    const [first, ...others] = mappingStrings(m.mapping);
    return [`# ${describe(m)}`, line(first!), ...others.map((v) => `# ${line(v)}`)].join('\n');
  });
  return [...head, '', blocks.join('\n\n'), ''].join('\n');
}

function asJson(items: Mapped[]): string {
  const out = items.map((m) => ({
    ...(m.certificateId === undefined ? {} : { certificateId: m.certificateId }),
    holder: m.holder,
    kind: m.kind,
    account: m.account,
    sid: m.mapping.sid,
    altSecurityIdentities: { issuerSerial: m.mapping.issuerSerial, ski: m.mapping.ski, sha1PublicKey: m.mapping.sha1PublicKey },
  }));
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * The mapping strings of `subjects` in `format`: `text` (a commented block per certificate, one string a line),
 * `powershell` (a script: Set-ADUser for people, Set-ADComputer for devices, `-Add @{altSecurityIdentities='...'}`
 * with the account, else the SID, else ACCOUNT_PLACEHOLDER as identity; values quoted by psSingleQuoted) or
 * `json` (an array of { certificateId?, holder, kind, account, sid, altSecurityIdentities }). Throws what
 * adMappingOf throws.
 */
export function formatAdMappings(subjects: AdMappingSubject[], format: AdMappingFormat): string {
  const items = subjects.map((s) => ({ ...s, mapping: adMappingOf(s.der) }));
  if (format === 'json') return asJson(items);
  return format === 'powershell' ? asPowerShell(items) : asText(items);
}
