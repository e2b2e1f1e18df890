// Windows security identifiers (SIDs) and account names as CertDesk accepts them for strong certificate
// mapping (KB5014754): the SID goes into the certificate's SID extension (sid-extension.ts), the account name
// into the PowerShell mapping script (ad-mapping.ts).
import { CertDeskError } from '../../../shared/errors.js';

/** At most 15 sub-authorities ([MS-DTYP] 2.4.2 SID: SubAuthorityCount is at most 15). */
const MAX_SUB_AUTHORITIES = 15;
const UINT32_MAX = 0xffff_ffff;
/** The 48-bit IdentifierAuthority: decimal in the string form up to 2^32 - 1, else 0x-prefixed hex (12 digits). */
const AUTHORITY_RE = /^(?:\d{1,10}|0x[0-9A-Fa-f]{12})$/;

/** A 48-bit identifier authority as ConvertSidToStringSid writes it: decimal when below 2^32, else `0x` and 12 lower-case hex digits. */
function authorityText(value: bigint): string {
  return value <= BigInt(UINT32_MAX) ? value.toString(10) : `0x${value.toString(16).padStart(12, '0')}`;
}

/**
 * A SID in its canonical string form ([MS-DTYP] 2.4.2.1 "SID String Format Syntax": `S-1-` IdentifierAuthority
 * then one to 15 sub-authorities, each a decimal 32-bit unsigned integer), e.g. `S-1-5-21-1004336348-1177238915-
 * 682003330-1001`. Leading and trailing white space is dropped and a lower-case `s-` accepted (Windows does
 * both); leading zeros in a number are refused (they would make two strings for one SID), and an authority
 * given in hex is written as Windows' ConvertSidToStringSid writes it (`S-1-0x000000000005-32-544` is
 * `S-1-5-32-544`; 2^32 and above as `0x` and 12 lower-case hex digits). Throws CertDeskError
 * INVALID_INPUT, message starting with `field`, naming the part that is wrong.
 */
export function checkSid(value: string, field = 'sid'): string {
  const text = value.trim();
  const bad = (problem: string): CertDeskError => new CertDeskError('INVALID_INPUT', `${field}: "${text.slice(0, 200)}" is not a Windows SID: ${problem}`, { field });
  const parts = text.split('-');
  if (parts.length < 3 || parts[0]!.toUpperCase() !== 'S') throw bad('a SID starts with S-1- (like S-1-5-21-...-1001)');
  if (parts[1] !== '1') throw bad(`revision ${parts[1]}; only revision 1 exists`);
  const [authority, ...subs] = parts.slice(2);
  if (!AUTHORITY_RE.test(authority!) || (!authority!.startsWith('0x') && (Number(authority) > UINT32_MAX || /^0\d/.test(authority!)))) {
    throw bad(`identifier authority "${authority}" is not a decimal number up to 4294967295 or 0x and 12 hex digits`);
  }
  // Written as Windows' ConvertSidToStringSid writes it: decimal below 2^32, else 0x and 12 lower-case hex digits.
  const canonicalAuthority = authority!.startsWith('0x') ? authorityText(BigInt(authority!)) : authority!;
  if (subs.length === 0) throw bad('it has no sub-authority');
  if (subs.length > MAX_SUB_AUTHORITIES) throw bad(`${subs.length} sub-authorities; at most ${MAX_SUB_AUTHORITIES}`);
  subs.forEach((s, i) => {
    if (!/^\d{1,10}$/.test(s) || /^0\d/.test(s) || Number(s) > UINT32_MAX) {
      throw bad(`sub-authority ${i + 1} "${s}" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)`);
    }
  });
  return ['S', '1', canonicalAuthority, ...subs].join('-');
}

/**
 * The characters a sAMAccountName may not hold (Microsoft, "sAMAccountName attribute" / user naming rules), and
 * characters an administrator cannot see or that end a line in a script or a text file: control (Cc), format
 * (Cf: bidirectional overrides, zero-width characters), line and paragraph separators (Zl, Zp) and lone
 * surrogates (Cs). Such a name could not be written into ad-mapping.ps1 (PowerShell strings hold no line
 * break), nor checked by eye in it.
 */
const ACCOUNT_FORBIDDEN = /["/\\[\]:;|=,+*?<>@\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** A forbidden character as the message shows it: itself when visible, else `\\u` and its code. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * An Active Directory account name (sAMAccountName) for the mapping script: 1 to 20 characters for a user
 * (computer accounts end in `$`, 1 to 16 characters), none of `" / \ [ ] : ; | = , + * ? < > @`, control,
 * format, line-separator or lone surrogate characters (ACCOUNT_FORBIDDEN), not only dots and spaces. A
 * pre-Windows 2000 logon name longer than 20 characters cannot be created by Windows, so it is refused here
 * rather than left for Set-ADUser to reject. Trimmed. Throws CertDeskError INVALID_INPUT, message starting with
 * `field`, naming the rule broken.
 */
export function checkAccountName(value: string, field = 'account'): string {
  const name = value.trim();
  const bad = (problem: string): CertDeskError => new CertDeskError('INVALID_INPUT', `${field}: account name "${name.slice(0, 100)}" ${problem}`, { field });
  if (name === '') throw bad('is empty');
  const forbidden = ACCOUNT_FORBIDDEN.exec(name);
  if (forbidden) throw bad(`contains "${forbidden[0].replace(INVISIBLE, '\\u' + forbidden[0].charCodeAt(0).toString(16).padStart(4, '0'))}", which an account name cannot hold`);
  if (/^[. ]+$/.test(name)) throw bad('is only dots and spaces');
  const computer = name.endsWith('$');
  const max = computer ? 16 : 20;
  if ([...name].length > max) throw bad(`is ${[...name].length} characters long; a ${computer ? 'computer' : 'user'} account name is at most ${max}`);
  return name;
}
