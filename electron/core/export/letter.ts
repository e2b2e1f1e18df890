// The hand-over letter: a plain-text template with $Placeholders, as MDM consoles use for the
// certificate password ($ClientCertPwd in Cortado's mail templates).
import { CertDeskError } from '../../../shared/errors.js';

export const LETTER_PLACEHOLDERS = ['$HolderName', '$ClientCertPwd', '$ExpiryDate', '$Fingerprint', '$Alias', '$CaName', '$PfxFile'] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

export const DEFAULT_LETTER_TEMPLATE = `Dear $HolderName,

your new certificate is ready. To install it, open the file $PfxFile on your device and enter
this password when asked:

    $ClientCertPwd

    Certificate file:    $PfxFile
    Name on devices:     $Alias
    Issued by:           $CaName
    Valid until:         $ExpiryDate
    SHA-256 fingerprint: $Fingerprint

The installation sheet that comes with the file shows the steps for Windows, macOS, iPhone and iPad,
Android and Firefox, and how to check the fingerprint after installing.

Please keep this letter apart from the certificate file and destroy it once the certificate is
installed. If anything looks wrong, contact your IT helpdesk.

Kind regards,
Your IT team
`;

/**
 * `$$` is a literal `$`; otherwise `$` followed by letters is a placeholder, taken as the whole run of
 * letters and digits. So a shorter name can never match inside a longer one (`$ClientCertPwd` is not
 * `$Client` + `CertPwd`), which is what replacing longest-first is for, and `$PfxFiles` is flagged
 * rather than silently rendered as the file name plus "s".
 */
const TOKEN = /\$\$|\$([A-Za-z][A-Za-z0-9]*)/g;

const isPlaceholder = (word: string): word is LetterPlaceholder => (LETTER_PLACEHOLDERS as readonly string[]).includes(word);

/** Throws INVALID_INPUT listing every unknown `$Word` and the known placeholders. */
export function checkLetterTemplate(template: string): void {
  if (typeof template !== 'string' || template.trim() === '') {
    throw new CertDeskError('INVALID_INPUT', 'letter template: empty', { field: 'template' });
  }
  const unknown = new Set<string>();
  for (const m of template.matchAll(TOKEN)) if (m[1] !== undefined && !isPlaceholder(m[0])) unknown.add(m[0]);
  if (unknown.size > 0) {
    const list = [...unknown];
    throw new CertDeskError(
      'INVALID_INPUT',
      `letter template: unknown placeholder${list.length > 1 ? 's' : ''} ${list.join(', ')}; known: ${LETTER_PLACEHOLDERS.join(', ')} (write $$ for a literal $)`,
      { field: 'template', unknown: list, known: [...LETTER_PLACEHOLDERS] },
    );
  }
}

/**
 * Fills the template in one pass: values (keyed by placeholder, e.g. `$HolderName`) are inserted
 * literally, never expanded again. A placeholder used in the template without a value is an error,
 * so no letter goes out with a bare `$ClientCertPwd` in it; the message never shows a value.
 */
export function renderLetter(template: string, values: Record<string, string>): string {
  checkLetterTemplate(template);
  const missing = new Set<string>();
  for (const m of template.matchAll(TOKEN)) if (m[1] !== undefined && typeof values[m[0]] !== 'string') missing.add(m[0]);
  if (missing.size > 0) {
    const list = [...missing];
    throw new CertDeskError('INVALID_INPUT', `letter values: no value for ${list.join(', ')}`, { field: 'values', missing: list });
  }
  return template.replace(TOKEN, (token) => (token === '$$' ? '$' : values[token]!));
}
